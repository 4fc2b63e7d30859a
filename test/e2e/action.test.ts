/**
 * The GitHub Action's lint step (action.yml), run as GitHub would run it: bash, the step's env, a
 * shallow clone of a pull request branch whose base branch is not fetched yet. Checks the base is
 * fetched, only the branch's migrations are linted, annotations and SARIF are written, and the exit
 * code reaches the gate. The GitLab job of docs/ci.md runs the same way (its `script` lines in sh).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dieselMigration, dieselProject, Repo, ROOT } from "./helpers.js";

/** The fenced block after `<!-- test: name -->` in docs/ci.md. */
function docBlock(name: string): string {
  const text = readFileSync(path.join(ROOT, "docs/ci.md"), "utf8");
  return new RegExp(`<!-- test: ${name} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``).exec(text)![1]!;
}

/** The `run: |` block of the step with this id, dedented (action.yml is read without a YAML library). */
function stepScript(id: string): string {
  const lines = readFileSync(path.join(ROOT, "action.yml"), "utf8").split("\n");
  const at = lines.findIndex((l) => l.trim() === `id: ${id}`);
  const run = lines.findIndex((l, i) => i > at && /^\s+run: \|$/.test(l));
  const indent = lines[run]!.search(/\S/);
  const body: string[] = [];
  for (const line of lines.slice(run + 1)) {
    if (line.trim() && line.search(/\S/) <= indent) break;
    body.push(line);
  }
  const margin = Math.min(...body.filter((l) => l.trim()).map((l) => l.search(/\S/)));
  return body.map((l) => l.slice(margin)).join("\n");
}

describe("action.yml lint step", () => {
  let repo: Repo;
  let work: string;

  beforeAll(() => {
    repo = new Repo();
    dieselProject(repo);
    dieselMigration(repo, "2024-01-01-000000_users", "CREATE TABLE users (id bigint PRIMARY KEY, email varchar(80));\n", "DROP TABLE users;\n");
    repo.commitAll("users");
    repo.git("checkout", "-q", "-b", "feature");
    dieselMigration(repo, "2024-02-01-000000_email_idx", "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n", "DROP INDEX CONCURRENTLY users_email_idx;\n");
    repo.commitAll("index");
    work = mkdtempSync(path.join(tmpdir(), "mll-action-"));
  });
  afterAll(() => {
    repo.cleanup();
    rmSync(work, { recursive: true, force: true });
  });

  it("fetches the base branch of a shallow checkout, lints the pull request's migrations, writes SARIF and the exit code", () => {
    const clone = path.join(work, "clone");
    // What actions/checkout does by default: one commit of the pull request's branch.
    repo.git("clone", "-q", "--depth", "1", "--branch", "feature", `file://${repo.dir}`, clone);
    const output = path.join(work, "output");
    const summary = path.join(work, "summary");
    writeFileSync(output, "");
    writeFileSync(summary, "");
    const r = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", "-c", stepScript("lint")], {
      cwd: clone,
      encoding: "utf8",
      env: {
        ...process.env,
        NO_COLOR: "1",
        CI: "true",
        GITHUB_BASE_REF: "main",
        GITHUB_OUTPUT: output,
        GITHUB_STEP_SUMMARY: summary,
        MIGRATION_LINT: path.join(repo.bin, "migration-lint"),
        INPUT_PATHS: ".",
        INPUT_SINCE: "",
        INPUT_FAIL_ON: "",
        INPUT_CONFIG: "",
        INPUT_SARIF: "migration-lint.sarif",
        INPUT_ARGS: "",
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_CONFIG_GLOBAL: "/dev/null",
      },
    });
    expect(r.status).toBe(0); // the step itself passes; the gate step fails the job
    expect(readFileSync(output, "utf8")).toBe("exit-code=1\nsarif=true\n");
    expect(r.stdout).toMatch(/^::error file=migrations\/2024-02-01-000000_email_idx\/up\.sql,line=1,.*title=migration-lint\(concurrently-in-transaction\)::/m);
    expect(r.stdout).not.toContain("2024-01-01-000000_users");
    const sarif = JSON.parse(readFileSync(path.join(clone, "migration-lint.sarif"), "utf8")) as { runs: { results: { ruleId: string }[] }[] };
    expect(sarif.runs[0]!.results.map((x) => x.ruleId)).toContain("concurrently-in-transaction");
    expect(readFileSync(summary, "utf8")).toContain("Findings at or above the failing level in the migrations changed since `origin/main`");
  });
});

describe("docs/ci.md GitLab job", () => {
  let repo: Repo;

  beforeAll(() => {
    repo = new Repo();
    dieselProject(repo);
    dieselMigration(repo, "2024-01-01-000000_users", "CREATE TABLE users (id bigint PRIMARY KEY, email varchar(80));\n", "DROP TABLE users;\n");
    repo.commitAll("users");
    repo.git("checkout", "-q", "-b", "feature");
    dieselMigration(repo, "2024-02-01-000000_email_idx", "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n", "DROP INDEX CONCURRENTLY users_email_idx;\n");
    repo.commitAll("index");
  });
  afterAll(() => repo.cleanup());

  it("writes a JUnit report of the merge request's migrations and fails the job", () => {
    const job = docBlock("gitlab");
    const block = /^ {2}script:\n((?: {4}- .+\n)+)/m.exec(job)![1]!;
    // Everything but the install, which needs the registry: the command is already on PATH here.
    const script = [...block.matchAll(/^ {4}- (.+)$/gm)].map((m) => m[1]!).filter((l) => !l.startsWith("npm install"));
    expect(script).toHaveLength(2);
    const base = repo.git("merge-base", "main", "HEAD").trim();
    const report = repo.sh(`CI_MERGE_REQUEST_DIFF_BASE_SHA=${base}; ${script[0]!}`);
    expect(report.code).toBe(0);
    const xml = repo.read("migration-lint.xml");
    expect(xml).toContain("migrations/2024-02-01-000000_email_idx/up.sql");
    expect(xml).not.toContain("2024-01-01-000000_users");
    expect(xml).toMatch(/<failure/);
    const gate = repo.sh(`CI_MERGE_REQUEST_DIFF_BASE_SHA=${base}; ${script[1]!}`);
    expect(gate.code).toBe(1);
    expect(gate.stdout).toContain("concurrently-in-transaction");
  });
});

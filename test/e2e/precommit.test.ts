/**
 * The pre-commit hook end to end, in a real git repository with the real command line: the hook
 * commands exactly as `.pre-commit-hooks.yaml` and docs/ci.md (lint-staged, lefthook) define them,
 * given the staged files. A bad migration fails the commit with its finding, the fixed one passes,
 * and the rest of the history is replayed but not reported.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { matchesGlob } from "../../src/layout/glob.js";
import { dieselMigration, dieselUsersRepo, Repo, ROOT, shellQuote, USERS_UP } from "./helpers.js";

const BAD = "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);\n";
const DOWN = "DROP INDEX CONCURRENTLY IF EXISTS users_email_idx;\n";
const INDEX = "migrations/2024-03-01-000000_users_email_idx";

interface Hook {
  entry: string;
  files: RegExp;
  passFilenames: boolean;
}

/** The `migration-lint` hook of .pre-commit-hooks.yaml (a few keys, read without a YAML library). */
function preCommitHook(id: string): Hook {
  const text = readFileSync(path.join(ROOT, ".pre-commit-hooks.yaml"), "utf8");
  const block = text.split(/^- /m).find((b) => new RegExp(`^id: ${id}\\s*$`, "m").test(b));
  if (!block) throw new Error(`no hook ${id}`);
  const value = (key: string) => new RegExp(`^\\s*${key}: (.+)$`, "m").exec(block)?.[1]?.trim();
  return { entry: value("entry")!, files: new RegExp(value("files") ?? ""), passFilenames: value("pass_filenames") !== "false" };
}

/** The fenced block after `<!-- test: name -->` in docs/ci.md. */
function docBlock(name: string): string {
  const text = readFileSync(path.join(ROOT, "docs/ci.md"), "utf8");
  const match = new RegExp(`<!-- test: ${name} -->\\n\`\`\`\\w*\\n([\\s\\S]*?)\\n\`\`\``).exec(text);
  if (!match) throw new Error(`docs/ci.md has no block marked ${name}`);
  return match[1]!;
}

/** What pre-commit runs: entry, then the staged files its `files` pattern matches. */
function runPreCommit(repo: Repo, id = "migration-lint") {
  const hook = preCommitHook(id);
  const files = repo.staged().filter((f) => hook.files.test(f));
  if (hook.passFilenames && !files.length) return { code: 0, stdout: "(no files)", stderr: "" };
  return repo.sh([hook.entry, ...(hook.passFilenames ? files.map(shellQuote) : [])].join(" "));
}

/** What lint-staged runs: for each glob, the command with the matching staged files as absolute paths. */
function runLintStaged(repo: Repo) {
  const config = (JSON.parse(docBlock("lint-staged")) as { "lint-staged": Record<string, string> })["lint-staged"];
  let last = { code: 0, stdout: "", stderr: "" };
  for (const [glob, command] of Object.entries(config)) {
    const files = repo.staged().filter((f) => matchesGlob(f, glob));
    if (!files.length) continue;
    last = repo.sh([command, ...files.map((f) => shellQuote(path.join(repo.dir, f)))].join(" "));
    if (last.code !== 0) return last;
  }
  return last;
}

/** What lefthook runs: `run` with {staged_files} replaced by the staged files its glob matches. */
function runLefthook(repo: Repo) {
  const yaml = docBlock("lefthook");
  const glob = /glob: "(.+)"/.exec(yaml)![1]!;
  const run = /run: (.+)/.exec(yaml)![1]!;
  const files = repo.staged().filter((f) => matchesGlob(f, glob));
  if (!files.length) return { code: 0, stdout: "(no files)", stderr: "" };
  return repo.sh(run.replace("{staged_files}", files.map(shellQuote).join(" ")));
}

describe("pre-commit hook in a real git repository", () => {
  let repo: Repo;

  beforeEach(() => {
    repo = dieselUsersRepo();
  });
  afterEach(() => repo.cleanup());

  const hooks: [string, (r: Repo) => { code: number; stdout: string; stderr: string }][] = [
    ["pre-commit (.pre-commit-hooks.yaml)", (r) => runPreCommit(r)],
    ["husky + lint-staged (docs/ci.md)", runLintStaged],
    ["lefthook (docs/ci.md)", runLefthook],
  ];

  for (const [name, runHook] of hooks) {
    it(`${name}: a bad staged migration fails with its finding, the fixed one passes`, () => {
      dieselMigration(repo, "2024-03-01-000000_users_email_idx", BAD, DOWN);
      repo.git("add", "-A");
      const bad = runHook(repo);
      expect(bad.stderr).not.toMatch(/internal error|Error:/);
      expect(bad.code).toBe(1);
      expect(bad.stdout).toContain(`${INDEX}/up.sql`);
      expect(bad.stdout).toMatch(/concurrently-in-transaction/);
      // Only the staged migration is reported, though the whole set was replayed.
      expect(bad.stdout).not.toContain("2024-02-01-000000_nickname");

      // The fix diesel offers: run this migration outside a transaction.
      repo.write(`${INDEX}/metadata.toml`, "run_in_transaction = false\n");
      repo.git("add", "-A");
      const good = runHook(repo);
      expect(good.stderr).not.toMatch(/migration-lint/);
      expect(good.code).toBe(0);
      expect(good.stdout).not.toMatch(/^\s+\d+:\d+\s+error/m);
    });
  }

  it("the hook sees the history: a staged edit of a locked migration fails with migration-modified", () => {
    const lock = repo.cli(["lock"]);
    expect(lock.code).toBe(0);
    repo.commitAll("lock");
    repo.write("migrations/2024-01-01-000000_users/up.sql", USERS_UP.replace("email text NOT NULL", "email text NOT NULL UNIQUE"));
    repo.git("add", "-A");
    const run = runPreCommit(repo);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("migrations/2024-01-01-000000_users/up.sql");
    expect(run.stdout).toMatch(/2024-01-01-000000_users changed after it was locked in migration-lint\.lock.*migration-modified/);
  });

  it("a staged DROP COLUMN is linted with the history: its generated down has the column's exact type", () => {
    dieselMigration(repo, "2024-03-01-000000_drop_nickname", "ALTER TABLE users DROP COLUMN nickname;\n");
    repo.git("add", "-A");
    const run = repo.cli(["migrations/2024-03-01-000000_drop_nickname/up.sql", "--format", "json"]);
    const report = JSON.parse(run.stdout) as { files: { path: string; reversibility?: string }[]; findings: { ruleId: string; path: string }[] };
    expect(report.files.map((f) => f.path)).toEqual(["migrations/2024-03-01-000000_drop_nickname/up.sql"]);
    expect(report.files[0]!.reversibility).toBe("lossy");
    const plan = repo.cli(["plan", "--rollback", "--steps", "1", "migrations"]);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/ALTER TABLE users ADD COLUMN IF NOT EXISTS nickname character varying\(40\);/);
  });

  it("the pre-push hook lints what changed since origin/main", () => {
    // A bare "origin" whose main is the current commit; the branch then adds a bad migration.
    const origin = new Repo("mll-origin-");
    try {
      origin.git("config", "receive.denyCurrentBranch", "ignore");
      repo.git("remote", "add", "origin", origin.dir);
      repo.git("push", "-q", "origin", "main");
      repo.git("fetch", "-q", "origin");
      repo.git("checkout", "-q", "-b", "feature");
      dieselMigration(repo, "2024-03-01-000000_users_email_idx", BAD, DOWN);
      repo.commitAll("index");
      const run = runPreCommit(repo, "migration-lint-since");
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`${INDEX}/up.sql`);
      expect(run.stdout).not.toContain("2024-02-01-000000_nickname");
    } finally {
      origin.cleanup();
    }
  });
});

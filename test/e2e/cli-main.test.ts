/**
 * The default lint command as a user meets it: help, version, every output format, the exit codes
 * (0 clean, 1 findings at the failing level, 2 usage or input errors) and the one-line errors for
 * bad input. Runs the real `main` in process on the bundled examples and small temporary projects.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { TOOL_VERSION } from "../../src/meta.js";
import { Repo, ROOT } from "./helpers.js";
import { runCli } from "./in-process.js";

const cli = (...args: string[]) => runCli(args, ROOT);
const AUTHORS = "examples/diesel-app/migrations/2024-01-10-090000_create_authors";

const tmp = mkdtempSync(path.join(tmpdir(), "mll-cli-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
function file(rel: string, text: string): string {
  const p = path.join(tmp, rel);
  mkdirSync(path.dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

interface JsonReport {
  files: { path: string; role: string; reversibility?: string }[];
  findings: { ruleId: string; severity: string; path: string; line: number; column: number }[];
  summary: { files: number; errors: number; warnings: number; infos: number };
}
const json = (stdout: string) => JSON.parse(stdout) as JsonReport;

describe("help and version (a real process: yargs prints them and exits)", () => {
  const shim = new Repo();
  afterAll(() => shim.cleanup());

  it("--help lists every command, the options and real examples", () => {
    const run = shim.cli(["--help"], ROOT);
    expect(run.code).toBe(0);
    for (const command of ["down <files..>", "verify [paths..]", "schema", "lock [paths..]", "deps [migration] [paths..]", "plan [paths..]"]) {
      expect(run.stdout).toContain(`migration-lint ${command}`);
    }
    for (const option of ["--config", "--layout", "--format", "--max-warnings", "--quiet", "--color", "--fail-on", "--since", "--fix", "--force", "--dry-run"]) {
      expect(run.stdout).toContain(option);
    }
    expect(run.stdout).toContain("migration-lint --fix migrations/");
    expect(run.stdout).toContain("Exit codes: 0 clean, 1 findings at or above the failing level, 2 usage or input error.");
  });

  it("--version prints the version", () => {
    expect(shim.cli(["--version"], ROOT)).toEqual({ code: 0, stdout: `${TOOL_VERSION}\n`, stderr: "" });
  });
});

describe("exit codes and filters", () => {
  it("1 on error findings, 0 when only warnings; --quiet keeps errors only", async () => {
    const all = await cli("examples/diesel-app", "--format", "json");
    expect(all.code).toBe(1);
    const report = json(all.stdout);
    expect(report.findings.filter((f) => f.severity === "error").map((f) => f.ruleId).sort()).toEqual(["down-mismatch", "enum-add-value"]);
    expect(report.summary.warnings).toBeGreaterThan(0);
    const quiet = json((await cli("examples/diesel-app", "--format", "json", "--quiet")).stdout);
    expect(quiet.findings.map((f) => f.severity)).toEqual(["error", "error"]);

    const warningsOnly = await cli(AUTHORS, "--format", "json");
    expect(warningsOnly.code).toBe(0);
    expect(json(warningsOnly.stdout).findings.map((f) => [f.ruleId, f.severity])).toEqual([["prefer-identity", "warning"]]);
  });

  it("--max-warnings and --fail-on choose what fails the run", async () => {
    expect((await cli(AUTHORS, "--max-warnings", "1")).code).toBe(0);
    expect((await cli(AUTHORS, "--max-warnings", "0")).code).toBe(1);
    expect((await cli(AUTHORS, "--fail-on", "warning")).code).toBe(1);
    // The drizzle example adds an enum value (irreversible) and drops a column (lossy).
    expect((await cli("examples/drizzle-app", "--fail-on", "irreversible")).code).toBe(1);
    expect((await cli("examples/drizzle-app/drizzle/0004_project_members.sql", "--fail-on", "irreversible")).code).toBe(0);
    expect((await cli("examples/drizzle-app/drizzle/0004_project_members.sql", "--fail-on", "lossy")).code).toBe(1);
    expect((await cli("examples/drizzle-app/drizzle/0003_users_full_name.sql", "--fail-on", "lossy")).code).toBe(0);
  });

  it("a syntax error is a finding at PostgreSQL's line:col; an empty file is empty-migration", async () => {
    file("plain/migrations/001_users.sql", "CREATE TABLE users (id bigint PRIMARY KEY);\n");
    file("plain/migrations/002_broken.sql", "-- a comment\nALTER TABLE users ADD COLUMN name text\nALTER TABLE users ADD COLUMN age int;\n");
    file("plain/migrations/003_empty.sql", "-- nothing here yet\n");
    const run = await runCli(["--format", "json"], path.join(tmp, "plain"));
    expect(run.code).toBe(1);
    const findings = json(run.stdout).findings.filter((f) => f.ruleId === "syntax-error" || f.ruleId === "empty-migration");
    expect(findings.map((f) => [f.ruleId, f.path, f.line, f.column])).toEqual([
      ["syntax-error", "migrations/002_broken.sql", 3, 1],
      ["empty-migration", "migrations/003_empty.sql", 1, 1],
    ]);
  });
});

describe("formats", () => {
  it("stylish: file, then line:col severity message rule; a summary line; no colours off a TTY", async () => {
    const run = await cli(AUTHORS);
    expect(run.stdout).toMatch(new RegExp(`^${AUTHORS}/up.sql\\n  2:8  warning  authors\\.id is BIGSERIAL: .+  prefer-identity\\n`));
    expect(run.stdout).toMatch(/\n\n⚠ 1 problem \(0 errors, 1 warning\) in 1 of 2 files\n$/);
    expect(run.stdout).not.toContain("\u001b[");
  });

  it("github: one workflow command per finding", async () => {
    const run = await cli(AUTHORS, "--format", "github");
    expect(run.stdout.trim().split("\n")).toHaveLength(1);
    expect(run.stdout).toMatch(new RegExp(`^::warning file=${AUTHORS}/up.sql,line=2,col=8,endLine=2,endColumn=17,title=migration-lint\\(prefer-identity\\)::`));
  });

  it("sarif and junit parse and carry the findings", async () => {
    const sarif = JSON.parse((await cli(AUTHORS, "--format", "sarif")).stdout) as { version: string; runs: { results: { ruleId: string }[] }[] };
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.runs[0]!.results.map((r) => r.ruleId)).toEqual(["prefer-identity"]);
    const junit = (await cli(AUTHORS, "--format", "junit")).stdout;
    expect(junit).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites/);
    expect(junit).toContain("prefer-identity");
  });
});

describe("usage and input errors: exit 2, one message, no stack", () => {
  const cases: [string, string[], string | RegExp][] = [
    ["a missing path", ["no/such/dir"], "migration-lint: no/such/dir: no such file or directory\n"],
    ["an unknown option", ["--bogus"], "migration-lint: Unknown argument: bogus\nRun 'migration-lint --help' for usage.\n"],
    ["a bad format", ["--format", "xml"], /^migration-lint: Invalid values:\n {2}Argument: format, Given: "xml"/],
    ["a missing config", ["-c", "nope.json", "examples"], /^migration-lint: nope\.json: /],
  ];
  for (const [what, args, stderr] of cases) {
    it(what, async () => {
      const run = await cli(...args);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      if (typeof stderr === "string") expect(run.stderr).toBe(stderr);
      else expect(run.stderr).toMatch(stderr);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    });
  }

  it("a bad config names the key and what was expected, or the line:col of a JSON error", async () => {
    const unknownRule = file("c1.json", JSON.stringify({ rules: { "no-such-rule": "off" } }));
    expect((await cli("-c", unknownRule, "examples")).stderr).toBe(`migration-lint: ${unknownRule}: rules.no-such-rule: unknown rule\n`);
    const wrongType = file("c2.json", JSON.stringify({ pgVersion: "fourteen" }));
    expect((await cli("-c", wrongType, "examples")).stderr).toBe(`migration-lint: ${wrongType}: pgVersion: Invalid input: expected number, received string\n`);
    const broken = file("c3.json", '{\n  "pgVersion": 14,\n  "rules": {,}\n}\n');
    const run = await cli("-c", broken, "examples");
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(new RegExp(`^migration-lint: ${broken.replace(/[.]/g, "\\.")}:3:13: config is not valid JSON: `));
  });
});

describe("the README's quick start", () => {
  it("is two commands: lint the bundled examples, run the tests; the first works as described", async () => {
    const readme = readFileSync(path.join(ROOT, "README.md"), "utf8");
    const block = /## Quick start\n[^]*?```sh\n([^]*?)```/.exec(readme)?.[1] ?? "";
    const commands = block
      .trim()
      .split("\n")
      .map((l) => l.replace(/\s+#.*$/, ""));
    expect(commands).toEqual(["npm ci && node bin/migration-lint.js examples", "npm test"]);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string>; bin: Record<string, string> };
    expect(pkg.bin["migration-lint"]).toBe("bin/migration-lint.js");
    expect(pkg.scripts["test"]).toBe("npm run typecheck && npm run lint && vitest run");
    // The examples hold deliberate mistakes: the run reports them from both projects and exits 1.
    const run = await cli("examples", "--format", "json");
    expect(run.code).toBe(1);
    const paths = new Set(json(run.stdout).findings.map((f) => f.path.split("/").slice(0, 2).join("/")));
    expect([...paths].sort()).toEqual(["examples/diesel-app", "examples/drizzle-app"]);
  });
});

describe("stray files", () => {
  const project = path.join(ROOT, "fixtures/projects/stray-migration-file-bad");
  const strays = (stdout: string) => json(stdout).findings.filter((f) => f.ruleId === "stray-migration-file").map((f) => f.path);

  it("a folder lint reports a file the runner never applies and lists it as a stray file", async () => {
    const run = await runCli(["--format", "json"], project);
    expect(strays(run.stdout)).toEqual(["drizzle/0001_add_name.sql"]);
    expect(json(run.stdout).files.map((f) => [f.path, f.role])).toEqual([
      ["drizzle/0000_init.sql", "up"],
      ["drizzle/0001_add_name.sql", "stray"],
    ]);
  });

  it("naming the stray file (as a hook does) reports it; naming another migration does not", async () => {
    expect(strays((await runCli(["drizzle/0001_add_name.sql", "--format", "json"], project)).stdout)).toEqual(["drizzle/0001_add_name.sql"]);
    expect(strays((await runCli(["drizzle/0000_init.sql", "--format", "json"], project)).stdout)).toEqual([]);
  });
});

/**
 * `migration-lint lock` and the three history rules end to end: the lock file's content (sha256 per
 * migration file, in order, paths relative to it), `--check`, `--to`, and lint reporting
 * migration-modified, migration-removed and migration-out-of-order; for drizzle the journal too.
 */
import { createHash } from "node:crypto";
import { cpSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { dieselMigration, dieselProject, Repo, ROOT } from "./helpers.js";

interface JsonReport {
  findings: { ruleId: string; messageId: string; path: string; line: number; message: string; severity: string }[];
}

interface LockJson {
  version: number;
  sets: { root: string; layout: string; migrations: { id: string; path: string; sha256: string; when?: number }[] }[];
}

const sha256 = (text: string): string => createHash("sha256").update(text).digest("hex");

const history = (r: JsonReport) => r.findings.filter((f) => f.ruleId.startsWith("migration-")).map((f) => [f.ruleId, f.messageId, f.path, f.line]);

describe("lock and the history rules (diesel)", () => {
  let repo: Repo;

  beforeEach(() => {
    repo = new Repo();
    dieselProject(repo);
    dieselMigration(repo, "2024-01-01-000000_users", "CREATE TABLE users (id bigint PRIMARY KEY);\n", "DROP TABLE users;\n");
    dieselMigration(repo, "2024-02-01-000000_email", "ALTER TABLE users ADD COLUMN email text;\n", "ALTER TABLE users DROP COLUMN email;\n");
    dieselMigration(repo, "2024-03-01-000000_name", "ALTER TABLE users ADD COLUMN name text;\n", "ALTER TABLE users DROP COLUMN name;\n");
  });
  afterEach(() => repo.cleanup());

  it("writes migration-lint.lock: sha256 of each up file, in order; --check agrees; lint is clean", async () => {
    const run = await repo.run(["lock"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("Wrote migration-lint.lock\n  migrations: 3 added\n");
    const lock = JSON.parse(repo.read("migration-lint.lock")) as LockJson;
    expect(lock.version).toBe(1);
    expect(lock.sets).toHaveLength(1);
    expect(lock.sets[0]!.root).toBe("migrations");
    expect(lock.sets[0]!.layout).toBe("diesel");
    expect(lock.sets[0]!.migrations.map((m) => [m.id, m.path, m.sha256])).toEqual(
      ["2024-01-01-000000_users", "2024-02-01-000000_email", "2024-03-01-000000_name"].map((id) => [id, `migrations/${id}/up.sql`, sha256(repo.read(`migrations/${id}/up.sql`))]),
    );
    // One migration a line, so a review shows each entry.
    expect(repo.read("migration-lint.lock").split("\n").filter((l) => l.includes('"sha256"'))).toHaveLength(3);

    expect(await repo.run(["lock", "--check"])).toMatchObject({ code: 0, stdout: "migration-lint.lock is up to date.\n" });
    expect((await repo.run(["lock"])).stdout).toBe("Unchanged: migration-lint.lock\n  migrations: no change\n");
    const lint = JSON.parse((await repo.run(["--format", "json"])).stdout) as JsonReport;
    expect(history(lint)).toEqual([]);
  });

  it("lint reports an edited, a removed and an out-of-order migration; --check fails until lock runs again", async () => {
    await repo.run(["lock"]);
    repo.write("migrations/2024-02-01-000000_email/up.sql", "ALTER TABLE users ADD COLUMN email text NOT NULL;\n");
    repo.remove("migrations/2024-03-01-000000_name");
    dieselMigration(repo, "2024-01-15-000000_late", "ALTER TABLE users ADD COLUMN late text;\n", "ALTER TABLE users DROP COLUMN late;\n");

    const run = await repo.run(["--format", "json"]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    const lockLine = repo.read("migration-lint.lock").split("\n").findIndex((l) => l.includes('"id": "2024-03-01-000000_name"')) + 1;
    expect(history(report).sort()).toEqual(
      [
        ["migration-modified", "changed", "migrations/2024-02-01-000000_email/up.sql", 1],
        ["migration-out-of-order", "sortsBefore", "migrations/2024-01-15-000000_late/up.sql", 1],
        ["migration-removed", "removed", "migration-lint.lock", lockLine],
      ].sort(),
    );
    expect(report.findings.every((f) => !f.ruleId.startsWith("migration-") || f.severity === "error")).toBe(true);
    const modified = report.findings.find((f) => f.ruleId === "migration-modified")!;
    expect(modified.message).toMatch(/^2024-02-01-000000_email changed after it was locked in migration-lint\.lock \(sha256 [0-9a-f]{12}… is now [0-9a-f]{12}…\)/);
    const outOfOrder = report.findings.find((f) => f.ruleId === "migration-out-of-order")!;
    expect(outOfOrder.message).toContain("sorts before 2024-02-01-000000_email, the last locked migration");

    const check = await repo.run(["lock", "--check"]);
    expect(check.code).toBe(1);
    expect(check.stdout).toBe(
      "migration-lint.lock is out of date:\n  migrations: 1 added, 1 changed (2024-02-01-000000_email), 1 removed (2024-03-01-000000_name)\nRun `migration-lint lock` to update it.\n",
    );
    expect((await repo.run(["lock"])).code).toBe(0);
    expect(history(JSON.parse((await repo.run(["--format", "json"])).stdout) as JsonReport)).toEqual([]);
  });

  it("--to locks what production has applied; later migrations are not out of order", async () => {
    expect((await repo.run(["lock", "--to", "2024-02-01-000000_email"])).code).toBe(0);
    const lock = JSON.parse(repo.read("migration-lint.lock")) as LockJson;
    expect(lock.sets[0]!.migrations.map((m) => m.id)).toEqual(["2024-01-01-000000_users", "2024-02-01-000000_email"]);
    expect(history(JSON.parse((await repo.run(["--format", "json"])).stdout) as JsonReport)).toEqual([]);
  });

  it("the rules follow the config, and lint from a subfolder finds the lock above it", async () => {
    await repo.run(["lock"]);
    repo.write("migrations/2024-02-01-000000_email/up.sql", "ALTER TABLE users ADD COLUMN email varchar(9);\n");
    repo.write("migration-lint.config.json", JSON.stringify({ rules: { "migration-modified": "warning" } }));
    const sub = path.join(repo.dir, "migrations");
    const run = await repo.run(["--format", "json", "."], sub);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.findings.filter((f) => f.ruleId === "migration-modified").map((f) => [f.severity, f.path])).toEqual([["warning", "2024-02-01-000000_email/up.sql"]]);
    repo.write("migration-lint.config.json", JSON.stringify({ rules: { "migration-modified": "off" } }));
    expect(history(JSON.parse((await repo.run(["--format", "json"])).stdout) as JsonReport)).toEqual([]);
  });

  it("a malformed lock file is an input error (exit 2, one line)", async () => {
    repo.write("migration-lint.lock", '{ "version": 1, "sets": [ { "root": "migrations", "layout": "diesel", "migrations": [ { "id": "x", "path": "x", "sha256": "nope" } ] } ] }\n');
    const run = await repo.run([]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe("migration-lint: migration-lint.lock: the lock file is malformed at sets.0.migrations.0.sha256: expected 64 lower-case hex digits");
  });
});

describe("lock and the drizzle journal", () => {
  let repo: Repo;
  const journalPath = "drizzle/meta/_journal.json";

  beforeEach(() => {
    repo = new Repo();
    cpSync(path.join(ROOT, "examples/drizzle-app"), repo.dir, { recursive: true });
    repo.commitAll("drizzle app");
  });
  afterEach(() => repo.cleanup());

  function journal(): { entries: { idx: number; when: number; tag: string; version: string; breakpoints: boolean }[] } {
    return JSON.parse(repo.read(journalPath)) as ReturnType<typeof journal>;
  }

  it("records each entry's `when` and the sha256 drizzle-orm stores as __drizzle_migrations.hash", async () => {
    expect((await repo.run(["lock"])).code).toBe(0);
    const lock = JSON.parse(repo.read("migration-lint.lock")) as LockJson;
    const entries = journal().entries;
    expect(lock.sets[0]!.root).toBe("drizzle");
    expect(lock.sets[0]!.migrations.map((m) => [m.id, m.when, m.sha256])).toEqual(entries.map((e) => [e.tag, e.when, sha256(repo.read(`drizzle/${e.tag}.sql`))]));
  });

  it("a new entry not later than the newest locked one, and a locked entry whose `when` moved", async () => {
    await repo.run(["lock"]);
    const j = journal();
    j.entries[1]!.when += 1;
    // Merged from a branch created before 0004 was generated: drizzle-orm's migrate() would skip it.
    j.entries.push({ idx: 5, version: "7", when: j.entries[3]!.when + 1, tag: "0005_late_branch", breakpoints: true });
    repo.write(journalPath, JSON.stringify(j, null, 2) + "\n");
    repo.write("drizzle/0005_late_branch.sql", 'ALTER TABLE "projects" ADD COLUMN "archived_at" timestamp with time zone;\n');

    const run = await repo.run(["--format", "json"]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    const lineOf = (tag: string) => repo.read(journalPath).split("\n").findIndex((l) => l.includes(`"tag": "${tag}"`)) + 1;
    expect(history(report).sort()).toEqual(
      [
        ["migration-modified", "journalWhen", journalPath, lineOf("0001_project_slug")],
        ["migration-out-of-order", "drizzleWhen", journalPath, lineOf("0005_late_branch")],
      ].sort(),
    );
  });

  it("without a lock, an entry whose `when` goes backwards in the journal is reported", async () => {
    const j = journal();
    j.entries[4]!.when = j.entries[2]!.when - 1;
    repo.write(journalPath, JSON.stringify(j, null, 2) + "\n");
    const report = JSON.parse((await repo.run(["--format", "json"])).stdout) as JsonReport;
    expect(history(report)).toEqual([["migration-out-of-order", "journalOrder", journalPath, repo.read(journalPath).split("\n").findIndex((l) => l.includes('"tag": "0004_project_members"')) + 1]]);
  });
});

/**
 * `--since <ref>` end to end in real git repositories: only the migrations added or changed since the
 * ref are linted and gated, while the whole history is replayed (a dropped column's down re-creates
 * it with its exact earlier type; objects of migrations new since the ref count as new).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { lintWithHistory } from "../../src/history/lint.js";
import { dieselMigration, dieselProject, Repo } from "./helpers.js";

interface JsonReport {
  files: { path: string; migrationId: string; reversibility?: string }[];
  findings: { ruleId: string; path: string; severity: string }[];
}

/** The migrations a report covers (each has an up and a down file). */
const migrationsOf = (r: JsonReport): string[] => [...new Set(r.files.map((f) => f.migrationId))];

const ACCOUNTS = "CREATE TABLE accounts (id bigint PRIMARY KEY, balance numeric(12,2) NOT NULL DEFAULT 0, note varchar(80));\n";
// Raises warnings (prefer-text-field) when linted: it must stay silent under --since once committed.
const LEDGER = "CREATE TABLE ledger (id bigint PRIMARY KEY, account_id bigint NOT NULL, memo varchar(200));\n";

describe("--since in a real git repository", () => {
  let repo: Repo;

  beforeEach(() => {
    repo = new Repo();
    dieselProject(repo);
    dieselMigration(repo, "2024-01-01-000000_accounts", ACCOUNTS, "DROP TABLE accounts;\n");
    dieselMigration(repo, "2024-01-02-000000_ledger", LEDGER, "DROP TABLE ledger;\n");
    repo.commitAll("accounts and ledger");
  });
  afterEach(() => repo.cleanup());

  it("--since HEAD~1 lints the one migration that changed, and its DROP COLUMN down has the exact prior type", async () => {
    dieselMigration(repo, "2024-02-01-000000_drop_balance", "ALTER TABLE accounts DROP COLUMN balance;\n");
    repo.commitAll("drop balance");

    const run = await repo.run(["--since", "HEAD~1", "--format", "json"]);
    expect(run.stderr).toBe("");
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(migrationsOf(report)).toEqual(["2024-02-01-000000_drop_balance"]);
    expect(new Set(report.findings.map((f) => f.path))).toEqual(new Set(["migrations/2024-02-01-000000_drop_balance/up.sql"]));
    expect(report.findings.map((f) => f.ruleId)).toContain("ban-drop-column");

    // The history before it was replayed: the down knows balance was numeric(12,2) NOT NULL DEFAULT 0.
    const result = await lintWithHistory([], { cwd: repo.dir, since: "HEAD~1" });
    const linted = result.sets[0]!.migrations.filter((m) => m.linted);
    expect(linted.map((m) => m.migration.id)).toEqual(["2024-02-01-000000_drop_balance"]);
    expect(linted[0]!.plan.sql).toContain("ALTER TABLE accounts ADD COLUMN IF NOT EXISTS balance numeric(12,2) DEFAULT 0 NOT NULL;");

    // Without --since every migration is linted.
    const all = JSON.parse((await repo.run(["--format", "json"])).stdout) as JsonReport;
    expect(migrationsOf(all)).toEqual(["2024-01-01-000000_accounts", "2024-01-02-000000_ledger", "2024-02-01-000000_drop_balance"]);
  });

  it("an edited (applied) migration is linted alone, and its tables are old for the lock rules", async () => {
    dieselMigration(repo, "2024-01-02-000000_ledger", `${LEDGER}CREATE INDEX accounts_note_idx ON accounts (note);\n`);
    repo.commitAll("edit ledger");
    const report = JSON.parse((await repo.run(["--since", "HEAD~1", "--format", "json"])).stdout) as JsonReport;
    expect(migrationsOf(report)).toEqual(["2024-01-02-000000_ledger"]);
    expect(report.findings.map((f) => f.ruleId)).toContain("require-concurrent-index-creation");
  });

  it("tables created by migrations new since the ref are new: no lock finding for an index on them", async () => {
    dieselMigration(repo, "2024-02-01-000000_invoices", "CREATE TABLE invoices (id bigint PRIMARY KEY, account_id bigint NOT NULL);\n", "DROP TABLE invoices;\n");
    repo.commitAll("invoices");
    // Not committed, not even added: untracked files count as changed too.
    dieselMigration(repo, "2024-02-02-000000_invoices_idx", "CREATE INDEX invoices_account_idx ON invoices (account_id);\n", "DROP INDEX invoices_account_idx;\n");
    const report = JSON.parse((await repo.run(["--since", "HEAD~1", "--format", "json"])).stdout) as JsonReport;
    expect(migrationsOf(report)).toEqual(["2024-02-01-000000_invoices", "2024-02-02-000000_invoices_idx"]);
    expect(report.findings.map((f) => f.ruleId)).not.toContain("require-concurrent-index-creation");

    // Compared with HEAD, invoices is committed (so applied): the index is on an old table.
    const sinceHead = JSON.parse((await repo.run(["--since", "HEAD", "--format", "json"])).stdout) as JsonReport;
    expect(migrationsOf(sinceHead)).toEqual(["2024-02-02-000000_invoices_idx"]);
    expect(sinceHead.findings.map((f) => f.ruleId)).toContain("require-concurrent-index-creation");
  });

  it("gates: exit 1 on an irreversible change, exit 0 when nothing changed", async () => {
    expect((await repo.run(["--since", "HEAD"])).code).toBe(0);
    repo.write("migrations/2024-01-01-000000_accounts/up.sql", `CREATE TYPE mood AS ENUM ('ok');\n${ACCOUNTS}`);
    repo.commitAll("mood");
    dieselMigration(repo, "2024-03-01-000000_mood", "ALTER TYPE mood ADD VALUE 'sad';\n", "-- none\n");
    const run = await repo.run(["--since", "HEAD", "--fail-on", "irreversible"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("migrations/2024-03-01-000000_mood/up.sql");
  });

  it("paths narrow the selection: a changed migration outside them is not linted", async () => {
    dieselMigration(repo, "2024-02-01-000000_drop_balance", "ALTER TABLE accounts DROP COLUMN balance;\n");
    dieselMigration(repo, "2024-02-02-000000_drop_note", "ALTER TABLE accounts DROP COLUMN note;\n");
    const report = JSON.parse((await repo.run(["migrations/2024-02-02-000000_drop_note/up.sql", "--since", "HEAD", "--format", "json"])).stdout) as JsonReport;
    expect(migrationsOf(report)).toEqual(["2024-02-02-000000_drop_note"]);
  });

  it("an unknown ref or a folder outside git is an input error (exit 2, one line)", async () => {
    const unknown = await repo.run(["--since", "no-such-branch"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe("migration-lint: --since no-such-branch: not a commit in this repository");
    const outside = mkdtempSync(path.join(tmpdir(), "mll-nogit-"));
    try {
      const run = await repo.run(["--since", "HEAD"], outside);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(/^migration-lint: --since needs a git repository/);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});

describe("--since and stray files", () => {
  it("reports a stray file added since the ref, not one that was already there", async () => {
    const repo = new Repo();
    try {
      repo.write("drizzle/meta/_journal.json", JSON.stringify({ version: "7", dialect: "postgresql", entries: [{ idx: 0, version: "7", when: 1717430400000, tag: "0000_init", breakpoints: true }] }));
      repo.write("drizzle/0000_init.sql", 'CREATE TABLE "users" ("id" bigint PRIMARY KEY);\n');
      repo.write("drizzle/old_notes.sql", "-- kept beside the migrations for years\nSELECT 1;\n");
      repo.commitAll("init");
      const strays = async () =>
        ((JSON.parse((await repo.run(["--since", "HEAD", "--format", "json"])).stdout) as JsonReport).findings ?? []).filter((f) => f.ruleId === "stray-migration-file").map((f) => f.path);
      expect(await strays()).toEqual([]);
      repo.write("drizzle/0001_by_hand.sql", 'ALTER TABLE "users" ADD COLUMN IF NOT EXISTS "name" text;\n');
      expect(await strays()).toEqual(["drizzle/0001_by_hand.sql"]);
      // Without --since, the whole folder: both.
      const all = JSON.parse((await repo.run(["--format", "json"])).stdout) as JsonReport;
      expect(all.findings.filter((f) => f.ruleId === "stray-migration-file").map((f) => f.path).sort()).toEqual(["drizzle/0001_by_hand.sql", "drizzle/old_notes.sql"]);
    } finally {
      repo.cleanup();
    }
  });
});

/**
 * The configurable journal of a hand-made runner, --backup, and a SIGTERM in the middle of a down, against
 * a real PostgreSQL server (a fresh database per test).
 * Each test replays the history on PGlite (the drift check) at least once: minutes, not seconds, on a busy machine.
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { runCli } from "../e2e/in-process.js";
import { drizzleAppApplied, drizzleRows, liveServer, relationExists, ROOT, withClient } from "./helpers.js";

const { serverUrl, database } = await liveServer("live custom-journal tests");

/** A plain folder of numbered migrations with downs, run by a hand-made runner that keeps `migration_history`. */
function handMadeProject(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "mlrb-custom-"));
  const migrations = path.join(dir, "migrations");
  mkdirSync(migrations);
  writeFileSync(path.join(migrations, "001_create_accounts.up.sql"), "CREATE TABLE accounts (id int PRIMARY KEY, email text NOT NULL);\n");
  writeFileSync(path.join(migrations, "001_create_accounts.down.sql"), "DROP TABLE accounts;\n");
  writeFileSync(path.join(migrations, "002_add_accounts_name.up.sql"), "ALTER TABLE accounts ADD COLUMN name text;\n");
  writeFileSync(path.join(migrations, "002_add_accounts_name.down.sql"), "ALTER TABLE accounts DROP COLUMN name;\n");
  writeFileSync(
    path.join(dir, "migration-lint.config.json"),
    JSON.stringify({
      journal: { table: "migration_history", idColumn: "migration_name", appliedAtColumn: "applied_at", statusColumn: "status", rolledBackAtColumn: "rollback_at" },
    }),
  );
  return dir;
}

describe.skipIf(!serverUrl)("hand-made runners, backups and signals on PostgreSQL", { timeout: 240_000 }, () => {
  it("reads and un-records a configured migration_history(migration_name, status, applied_at, rollback_at) table, backing up the dropped column", async () => {
    const url = await database();
    const dir = handMadeProject();
    await withClient(url, async (c) => {
      await c.query(`CREATE TABLE migration_history (migration_name text PRIMARY KEY, status text NOT NULL, applied_at timestamptz NOT NULL, rollback_at timestamptz)`);
      await c.query(`CREATE TABLE accounts (id int PRIMARY KEY, email text NOT NULL); ALTER TABLE accounts ADD COLUMN name text`);
      await c.query(`INSERT INTO accounts VALUES (1, 'a@example.com', 'Ann'), (2, 'b@example.com', 'Bob')`);
      await c.query(`INSERT INTO migration_history VALUES ('001_create_accounts', 'applied', '2024-01-01', NULL), ('002_add_accounts_name', 'applied', '2024-01-02', NULL)`);
    });
    const status = await runCli(["status", "migrations", "--database-url", url, "--format", "json"], dir);
    expect(status.stderr).toBe("");
    const parsed = JSON.parse(status.stdout) as { journal: { table: string }; migrations: { id: string; state: string; detail?: string }[] };
    expect(parsed.journal.table).toBe("public.migration_history");
    expect(parsed.migrations.map((m) => [m.id, m.state, m.detail])).toEqual([
      ["001_create_accounts", "applied", "status = applied"],
      ["002_add_accounts_name", "applied", "status = applied"],
    ]);
    expect(status.code).toBe(0);

    const run = await runCli(["rollback", "migrations", "--database-url", url, "--steps", "1", "--yes", "--backup"], dir);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`journal: UPDATE "public"."migration_history" SET "rollback_at" = now() WHERE "migration_name"::text = '002_add_accounts_name' AND "rollback_at" IS NULL`);
    expect(run.stdout).toMatch(/backup: "migration_lint_backup"\."\d{8}T\d{6}_accounts_name"/);
    const rows = await withClient(url, async (c) => (await c.query("SELECT migration_name, rollback_at IS NOT NULL AS rolled_back FROM migration_history ORDER BY 1")).rows);
    expect(rows).toEqual([
      { migration_name: "001_create_accounts", rolled_back: false },
      { migration_name: "002_add_accounts_name", rolled_back: true },
    ]);
    const backup = await withClient(url, async (c) => {
      const t = (await c.query("SELECT tablename FROM pg_tables WHERE schemaname = 'migration_lint_backup'")).rows[0].tablename as string;
      return (await c.query(`SELECT * FROM migration_lint_backup."${t}" ORDER BY id`)).rows;
    });
    expect(backup).toEqual([
      { id: 1, name: "Ann" },
      { id: 2, name: "Bob" },
    ]);
    const audit = await withClient(url, async (c) => (await c.query("SELECT backup_schema, migrations FROM migration_lint.rollbacks")).rows);
    expect(audit[0].backup_schema).toBe("migration_lint_backup");
    expect(audit[0].migrations[0].backup[0]).toMatch(/_accounts_name"$/);
    const again = JSON.parse((await runCli(["status", "migrations", "--database-url", url, "--format", "json"], dir)).stdout) as typeof parsed;
    expect(again.migrations.map((m) => m.state)).toEqual(["applied", "pending"]);
  });

  it("--single-transaction: a failing part undoes the parts before it too", async () => {
    const { url, folder } = await drizzleAppApplied(database);
    writeFileSync(
      path.join(folder, "rollback/0003_rollback.sql"),
      `ALTER TABLE "users" DROP COLUMN "last_login_at";\nALTER TABLE "users" RENAME COLUMN "full_name" TO "display_name";\nDO $$ BEGIN IF EXISTS (SELECT 1 FROM users WHERE display_name IS NULL) THEN RAISE EXCEPTION 'users without a name'; END IF; END $$;\n`,
    );
    await withClient(url, (c) => c.query(`INSERT INTO users (email) VALUES ('nameless@example.com')`));
    const rows = await drizzleRows(url);
    const run = await runCli(["rollback", folder, "--database-url", url, "--steps", "2", "--yes", "--allow-lossy", "--single-transaction", "--no-audit"], process.cwd());
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/0004_project_members {2}not-run\n {2}0003_users_full_name {2}failed: .*rollback\/0003_rollback\.sql:3:1: users without a name/);
    expect(run.stdout).toContain("Rolled back: none; not rolled back: 0004_project_members, 0003_users_full_name");
    expect(await drizzleRows(url)).toEqual(rows);
    expect(await relationExists(url, "public.project_members")).toBe(true);
  });

  it("a part with CONCURRENTLY is not rehearsed by --dry-run, and runs outside a transaction for real", async () => {
    const { url, folder } = await drizzleAppApplied(database);
    writeFileSync(
      path.join(folder, "rollback/0004_rollback.sql"),
      `ALTER TABLE users ADD COLUMN IF NOT EXISTS last_login_at timestamp with time zone;\nDROP INDEX CONCURRENTLY IF EXISTS project_members_user_id_idx;\nDROP TABLE IF EXISTS project_members;\n`,
    );
    const rows = await drizzleRows(url);
    const dry = await runCli(["rollback", folder, "--database-url", url, "--steps", "1", "--dry-run", "--allow-lossy"], process.cwd());
    expect(dry.stdout).toContain("1. 0004_project_members  lossy  (written down");
    expect(dry.stdout).toContain(", outside a transaction)");
    expect(dry.stdout).toMatch(/0004_project_members {2}not-rehearsed\n {4}must run outside a transaction block/);
    expect(dry.stdout).toContain("not rehearsed: 0004_project_members; nothing was committed");
    expect(await drizzleRows(url)).toEqual(rows);
    const run = await runCli(["rollback", folder, "--database-url", url, "--steps", "1", "--yes", "--allow-lossy", "--no-audit"], process.cwd());
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(await drizzleRows(url)).toEqual(rows.slice(0, 4));
    expect(await relationExists(url, "public.project_members")).toBe(false);
  });

  it("SIGTERM in the middle of a down rolls that part's transaction back and says so", async () => {
    const { url, folder } = await drizzleAppApplied(database);
    writeFileSync(
      path.join(folder, "rollback/0004_rollback.sql"),
      `DROP TABLE project_members;\nSELECT pg_sleep(60);\nALTER TABLE users ADD COLUMN last_login_at timestamptz;\n`,
    );
    const rows = await drizzleRows(url);
    const tsx = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
    const child = spawn(
      process.execPath,
      ["--import", tsx, path.join(ROOT, "test/e2e/cli.ts"), "rollback", folder, "--database-url", url, "--steps", "1", "--yes", "--allow-lossy", "--no-audit"],
      { env: { ...process.env, NO_COLOR: "1" }, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += String(d)));
    child.stderr.on("data", (d) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    // Wait until the down is inside its pg_sleep: the DROP TABLE has run in the part's open transaction.
    const db = decodeURIComponent(new URL(url).pathname.slice(1));
    const deadline = Date.now() + 200_000;
    for (;;) {
      const sleeping = await withClient(serverUrl!, async (c) => (await c.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'SELECT pg_sleep(60)%'`, [db])).rowCount);
      if (sleeping) break;
      if (Date.now() > deadline) throw new Error(`the rollback never reached its pg_sleep: ${stdout}${stderr}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    child.kill("SIGTERM");
    expect(await exited).toBe(143);
    expect(stderr).toContain("migration-lint rollback: SIGTERM: stopping; the part in progress is rolled back by its transaction");
    expect(stdout).toContain("interrupted by SIGTERM: rolled back: none; not rolled back: 0004_project_members (0004_project_members's transaction was rolled back)");
    expect(await drizzleRows(url)).toEqual(rows);
    expect(await relationExists(url, "public.project_members")).toBe(true);
  });
});

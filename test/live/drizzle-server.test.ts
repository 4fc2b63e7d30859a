/**
 * status and rollback against a real PostgreSQL server, with drizzle-orm's real migrator applying
 * examples/drizzle-app (a temporary copy per test) into a fresh database per test.
 */
import { appendFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/verify/diff.js";
import { runCli } from "../e2e/in-process.js";
import { drizzleAppApplied, drizzleAppCopy, drizzleMigrate, drizzleRows, liveServer, liveSnapshot, startPasswordCluster, truncateJournal, withClient } from "./helpers.js";

const { serverUrl, database } = await liveServer("live drizzle tests");

interface StatusJson {
  journal: { table: string; exists: boolean };
  migrations: { id: string; state: string; detail?: string; rollback?: { class: string; down: string; blockedBy: string[] } }[];
  drift?: { lines: string[] };
  lastRollbacks: { outcome: string; database_user: string; client_host: string; tool_version: string; migrations: { id: string; outcome: string; source: string; class: string; down_sha256: string }[] }[];
}

describe.skipIf(!serverUrl)("drizzle-orm's migrator, status and rollback on PostgreSQL", { timeout: 240_000 }, () => {
  it("status: applied, pending, modified and missing, as drizzle's journal says", async () => {
    const url = await database();
    const folder = drizzleAppCopy();
    const restore = truncateJournal(folder, 3);
    await drizzleMigrate(url, folder);
    restore();
    // An applied migration edited afterwards, and a row whose migration is gone from the folder.
    appendFileSync(path.join(folder, "0001_project_slug.sql"), "\n-- edited after it was applied\n");
    await withClient(url, (c) => c.query(`INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES ('deadbeef', 1700000000000)`));
    const run = await runCli(["status", folder, "--database-url", url, "--format", "json"], process.cwd());
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    const status = JSON.parse(run.stdout) as StatusJson;
    expect(status.journal).toEqual({ table: "drizzle.__drizzle_migrations", exists: true });
    expect(status.migrations.map((m) => [m.id, m.state])).toEqual([
      ["0000_init_users_projects", "applied"],
      ["0001_project_slug", "modified"],
      ["0002_project_status_paused", "applied"],
      ["0003_users_full_name", "pending"],
      ["0004_project_members", "pending"],
      ["1700000000000", "missing"],
    ]);
    expect(status.migrations[1]!.detail).toMatch(/^the drizzle journal recorded hash [0-9a-f]{12}, the file now hashes to [0-9a-f]{12}$/);
    const paused = status.migrations[2]!.rollback!;
    expect(paused.class).toBe("irreversible");
    expect(paused.blockedBy[0]).toMatch(/^irreversible: line 1: /);
    expect(status.migrations[0]!.rollback).toMatchObject({ class: "reversible", down: "written" });
    expect(status.migrations[0]!.rollback!.blockedBy[0]).toMatch(/^needs 0001_project_slug, 0002_project_status_paused rolled back first/);

    const text = await runCli(["status", folder, "--database-url", url], process.cwd());
    expect(text.stdout).toMatch(/0003_users_full_name\s+pending/);
    expect(text.stdout).toContain("2 applied, 1 modified, 2 pending, 1 missing");
  });

  it("plan --rollback --database-url counts the applied migrations, not the files", async () => {
    const url = await database();
    const folder = drizzleAppCopy();
    const restore = truncateJournal(folder, 4);
    await drizzleMigrate(url, folder);
    restore();
    const live = await runCli(["plan", "--rollback", folder, "--steps", "1", "--database-url", url, "--format", "json"], process.cwd());
    expect(live.stderr).toBe("");
    expect(JSON.parse(live.stdout)).toMatchObject({ target: "0002_project_status_paused", parts: [{ id: "0003_users_full_name" }] });
    const files = await runCli(["plan", "--rollback", folder, "--steps", "1", "--format", "json"], process.cwd());
    expect(JSON.parse(files.stdout)).toMatchObject({ target: "0003_users_full_name", parts: [{ id: "0004_project_members" }] });
    const tooMany = await runCli(["plan", "--rollback", folder, "--steps", "5", "--database-url", url], process.cwd());
    expect(tooMany.stderr).toBe("migration-lint: --steps 5: the database has only 4 applied migrations of " + folder + "\n");
    expect(tooMany.code).toBe(2);
  });

  it("status --drift: in sync after drizzle's migrator, then finds a column added by hand", async () => {
    const { url, folder } = await drizzleAppApplied(database);
    const clean = await runCli(["status", folder, "--database-url", url, "--drift"], process.cwd());
    expect(clean.stdout).toContain("drift: none (the live schema is the one the 5 applied migrations create)");
    expect(clean.code).toBe(0);
    await withClient(url, (c) => c.query(`ALTER TABLE users ADD COLUMN nickname text; CREATE TABLE audit_by_hand (id int)`));
    const run = await runCli(["status", folder, "--database-url", url, "--drift", "--format", "json"], process.cwd());
    expect(run.code).toBe(1);
    const status = JSON.parse(run.stdout) as StatusJson;
    expect(status.drift!.lines).toEqual(["+ table public.audit_by_hand", "+ table public.users › column nickname"]);
  });

  it("rollback refuses without --yes when there is no terminal, and changes nothing", async () => {
    const { url, folder } = await drizzleAppApplied(database);
    const before = await drizzleRows(url);
    const run = await runCli(["rollback", folder, "--database-url", url, "--steps", "1"], process.cwd());
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("refusing to roll back without a terminal to confirm on: pass --yes");
    expect(await drizzleRows(url)).toEqual(before);
  });

  it("--dry-run prints the script and the journal update, rehearses, and commits nothing", async () => {
    const { url, folder } = await drizzleAppApplied(database);
    const rows = await drizzleRows(url);
    const snapshot = await liveSnapshot(url);
    const run = await runCli(["rollback", folder, "--database-url", url, "--steps", "2", "--dry-run", "--allow-lossy"], process.cwd());
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`journal: DELETE FROM "drizzle"."__drizzle_migrations" WHERE created_at = '1719849600000' AND hash = '${rows[4]!.hash}'`);
    expect(run.stdout).toContain("-- 1/2  0004_project_members: lossy (generated down)");
    expect(run.stdout).toMatch(/0004_project_members {2}rehearsed\n {2}0003_users_full_name {2}rehearsed/);
    expect(run.stdout).toContain("rehearsed 2 parts in a transaction that was rolled back; nothing was committed");
    expect(await drizzleRows(url)).toEqual(rows);
    expect(canonicalJson(await liveSnapshot(url))).toBe(canonicalJson(snapshot));
  });

  it("rollback --steps 2 --yes, then drizzle's migrator re-applies exactly those two and the catalog is the one before", async () => {
    const { url, folder } = await drizzleAppApplied(database);
    const rowsBefore = await drizzleRows(url);
    const before = await liveSnapshot(url);
    const run = await runCli(["rollback", folder, "--database-url", url, "--steps", "2", "--yes", "--allow-lossy"], process.cwd());
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("rolled back 0004_project_members, 0003_users_full_name");
    const rowsAfter = await drizzleRows(url);
    expect(rowsAfter).toEqual(rowsBefore.slice(0, 3));
    const middle = await liveSnapshot(url);
    expect(Object.keys(middle.relations)).not.toContain("public.project_members");
    expect(middle.relations["public.users"]!.columns.map((c) => c.name)).toEqual(["id", "email", "display_name", "created_at"]);

    // The audit row says who rolled back what, with which down.
    const audit = await withClient(url, async (c) => (await c.query("SELECT * FROM migration_lint.rollbacks")).rows);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ database_user: "postgres", outcome: "rolled-back", runner: "drizzle", tool_version: "0.1.0", backup_schema: null });
    expect(audit[0].client_host).toBeTruthy();
    expect(audit[0].finished_at).toBeInstanceOf(Date);
    expect(audit[0].migrations).toEqual([
      { id: "0004_project_members", class: "lossy", source: "generated", down_sha256: expect.stringMatching(/^[0-9a-f]{64}$/), outcome: "rolled-back" },
      { id: "0003_users_full_name", class: "reversible", source: "written", down_sha256: expect.stringMatching(/^[0-9a-f]{64}$/), outcome: "rolled-back" },
    ]);

    await drizzleMigrate(url, folder);
    const rowsAgain = await drizzleRows(url);
    expect(rowsAgain.map((r) => [r.hash, r.created_at])).toEqual(rowsBefore.map((r) => [r.hash, r.created_at]));
    expect(rowsAgain.slice(3).map((r) => r.id)).toEqual([6, 7]);
    // The audit schema is this tool's: the rest of the catalog is exactly what it was.
    const after = await liveSnapshot(url);
    delete after.schemas["migration_lint"];
    for (const key of Object.keys(after.relations)) if (key.startsWith("migration_lint.")) delete after.relations[key];
    for (const key of Object.keys(after.sequences)) if (key.startsWith("migration_lint.")) delete after.sequences[key];
    for (const key of Object.keys(after.indexes)) if (key.startsWith("migration_lint.")) delete after.indexes[key];
    expect(canonicalJson(after)).toBe(canonicalJson(before));

    const status = JSON.parse((await runCli(["status", folder, "--database-url", url, "--format", "json"], process.cwd())).stdout) as StatusJson;
    expect(status.lastRollbacks.map((r) => [r.outcome, r.migrations.map((m) => m.id)])).toEqual([["rolled-back", ["0004_project_members", "0003_users_full_name"]]]);
  });

  it("prefer-written: a written down that PGlite finds wrong gives way to the generated one, and says why", async () => {
    const { url, folder } = await drizzleAppApplied(database);
    writeFileSync(path.join(folder, "rollback/0003_rollback.sql"), `ALTER TABLE "users" DROP COLUMN "last_login_at";\nALTER TABLE "users" RENAME COLUMN "no_such_column" TO "display_name";\n`);
    const run = await runCli(["rollback", folder, "--database-url", url, "--steps", "2", "--dry-run", "--allow-lossy"], process.cwd());
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/2\. 0003_users_full_name {2}reversible {2}\(generated down\)\n {7}the written down fails on PGlite at .*rollback\/0003_rollback\.sql:2:1: column "no_such_column" does not exist: using the generated down/);
    expect(run.stdout).toMatch(/0003_users_full_name {2}rehearsed/);
  });

  it("a failing down stops the rollback: that part's schema and journal row are untouched, the earlier part stays rolled back", async () => {
    const { url, folder } = await drizzleAppApplied(database);
    // A guard that holds on an empty schema (PGlite) and fails on the live rows.
    writeFileSync(
      path.join(folder, "rollback/0003_rollback.sql"),
      `ALTER TABLE "users" DROP COLUMN "last_login_at";\nALTER TABLE "users" RENAME COLUMN "full_name" TO "display_name";\nDO $$ BEGIN IF EXISTS (SELECT 1 FROM users WHERE display_name IS NULL) THEN RAISE EXCEPTION 'users without a name: fill display_name first'; END IF; END $$;\n`,
    );
    await withClient(url, (c) => c.query(`INSERT INTO users (email) VALUES ('nameless@example.com')`));
    const rows = await drizzleRows(url);
    const run = await runCli(["rollback", folder, "--database-url", url, "--steps", "2", "--yes", "--allow-lossy", "--format", "json"], process.cwd());
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as { outcome: string; message: string; parts: { id: string; source: string }[]; results: { id: string; outcome: string; error?: string }[] };
    expect(report.outcome).toBe("failed");
    expect(report.parts.map((p) => p.source)).toEqual(["generated", "written"]);
    expect(report.results.map((r) => [r.id, r.outcome])).toEqual([
      ["0004_project_members", "rolled-back"],
      ["0003_users_full_name", "failed"],
    ]);
    expect(report.results[1]!.error).toMatch(/rollback\/0003_rollback\.sql:3:1: users without a name: fill display_name first$/);
    expect(report.message).toContain("Rolled back: 0004_project_members; not rolled back: 0003_users_full_name");
    expect(await drizzleRows(url)).toEqual(rows.slice(0, 4));
    const users = (await liveSnapshot(url)).relations["public.users"]!.columns.map((c) => c.name);
    expect(users).toEqual(["id", "email", "full_name", "created_at", "last_login_at"]);
    const audit = await withClient(url, async (c) => (await c.query("SELECT outcome, migrations FROM migration_lint.rollbacks")).rows);
    expect(audit[0].outcome).toBe("failed");
    expect(audit[0].migrations.map((m: { id: string; outcome: string }) => [m.id, m.outcome])).toEqual([
      ["0004_project_members", "rolled-back"],
      ["0003_users_full_name", "failed"],
    ]);
  });

  it("a rollback waits for the lock another rollback holds, then fails clearly and changes nothing", async () => {
    const { url, folder } = await drizzleAppApplied(database);
    const rows = await drizzleRows(url);
    const holder = await import("pg").then((m) => new m.default.Client({ connectionString: url, application_name: "other rollback" }));
    await holder.connect();
    try {
      await holder.query("SELECT pg_advisory_lock(469970870891)");
      const pid = (await holder.query("SELECT pg_backend_pid() AS pid")).rows[0].pid as number;
      const started = Date.now();
      const run = await runCli(["rollback", folder, "--database-url", url, "--steps", "1", "--yes", "--allow-lossy", "--lock-wait", "2", "--no-audit"], process.cwd());
      const waited = Date.now() - started;
      expect(run.code).toBe(1);
      expect(run.stdout).toContain(`the migration-lint advisory lock (key 469970870891) is held by pid ${pid} (other rollback, idle): waited 2s (--lock-wait); nothing was rolled back`);
      expect(waited).toBeGreaterThanOrEqual(2000);
      expect(await drizzleRows(url)).toEqual(rows);
    } finally {
      await holder.end();
    }
  });

  it("a wrong URL, a refused connection or a missing database is one line and exit 2", async () => {
    const missing = new URL(serverUrl!);
    missing.pathname = "/no_such_db_here";
    const cases: [string, RegExp][] = [
      ["not a url", /^migration-lint: --database-url: expected postgres:\/\/user:password@host:port\/database, got not a url\n$/],
      ["postgres://postgres:secret@127.0.0.1:1/x", /^migration-lint: cannot connect to postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:1\/x: connection refused \(is PostgreSQL running on 127\.0\.0\.1:1\?\)\n$/],
      [missing.toString(), /^migration-lint: cannot connect to .*: database "no_such_db_here" does not exist\n$/],
    ];
    for (const [url, message] of cases) {
      const run = await runCli(["status", path.join(drizzleAppCopy()), "--database-url", url], process.cwd());
      expect(run.stderr).toMatch(message);
      expect(run.code).toBe(2);
    }
  });

  it("a wrong password is one line and exit 2 (a private cluster that checks passwords)", async (ctx) => {
    const cluster = await startPasswordCluster("right-password");
    if (!cluster) return ctx.skip("no PostgreSQL server binaries to start a cluster that checks passwords");
    try {
      const good = await runCli(["status", drizzleAppCopy(), "--database-url", `postgres://postgres:right-password@127.0.0.1:${cluster.port}/postgres`], process.cwd());
      expect(good.stderr).toBe("");
      expect(good.stdout).toContain("journal: drizzle.__drizzle_migrations (does not exist: nothing applied)");
      const bad = await runCli(["status", drizzleAppCopy(), "--database-url", `postgres://postgres:wrong@127.0.0.1:${cluster.port}/postgres`], process.cwd());
      expect(bad.stderr).toBe(`migration-lint: cannot connect to postgres://postgres:***@127.0.0.1:${cluster.port}/postgres: password authentication failed for user "postgres"\n`);
      expect(bad.code).toBe(2);
    } finally {
      await cluster.stop();
    }
  });
});

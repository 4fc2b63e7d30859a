/**
 * `status` and `rollback` end to end on PostgreSQL for the two Go runners that install nowhere here,
 * authelia and concourse: a fresh database gets each project applied the way the runner applies it (its
 * own journal DDL, its own INSERTs, one transaction as it uses one: the statements quoted in
 * src/layout/authelia-journal.ts and concourse-journal.ts), then the real CLI reads and rolls back, and the
 * rows left are the ones the runner's own version query reads. Each runner's lock is held by a second
 * session the way the runner holds it, and the rollback must wait for it and then say who holds it.
 */
import { rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/verify/diff.js";
import { runCli } from "../e2e/in-process.js";
import { NO_SERVER, SERVER_URL } from "../journal/harness.js";
import { projectFolder } from "../journal/real-runners.js";
import { liveDatabases, liveSnapshot, withClient } from "./helpers.js";

const database = liveDatabases(SERVER_URL, "mlgo");
const folders: string[] = [];
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

interface Status {
  journal: { table: string };
  migrations: { id: string; state: string }[];
}

async function status(dir: string, url: string, extra: string[] = []): Promise<Status> {
  const run = await runCli(["status", dir, "--database-url", url, "--format", "json", ...extra], process.cwd());
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout) as Status;
}

const schemaOf = async (url: string) => canonicalJson(await liveSnapshot(url));

/** A second session, named after the runner it stands for. */
async function session(url: string, name: string): Promise<pg.Client> {
  const c = new pg.Client({ connectionString: url, application_name: name });
  await c.connect();
  return c;
}

// --- authelia -----------------------------------------------------------------------------------------

const AUTHELIA = "internal/storage/migrations/postgres";
// V0001 makes the journal itself, as authelia's V0001.Initial_Schema.postgres.up.sql does (its DDL verbatim).
const AUTHELIA_TREE = {
  [`${AUTHELIA}/V0001.Initial_Schema.up.sql`]: `CREATE TABLE IF NOT EXISTS user_preferences (
    id SERIAL,
    username VARCHAR(100) NOT NULL,
    second_factor_method VARCHAR(11) NOT NULL,
    PRIMARY KEY (id),
    UNIQUE (username)
);

CREATE TABLE IF NOT EXISTS migrations (
    id SERIAL,
    applied TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    version_before INTEGER NULL DEFAULT NULL,
    version_after INTEGER NOT NULL,
    application_version VARCHAR(128) NOT NULL,
    PRIMARY KEY (id)
);
`,
  [`${AUTHELIA}/V0001.Initial_Schema.down.sql`]: "DROP TABLE IF EXISTS user_preferences;\nDROP TABLE IF EXISTS migrations;\n",
  [`${AUTHELIA}/V0002.WebAuthn.up.sql`]: "CREATE TABLE webauthn_devices (id SERIAL PRIMARY KEY, username VARCHAR(100) NOT NULL, kid VARCHAR(100) NOT NULL);\nCREATE INDEX webauthn_devices_username_idx ON webauthn_devices (username);\n",
  [`${AUTHELIA}/V0002.WebAuthn.down.sql`]: "DROP TABLE webauthn_devices;\n",
  [`${AUTHELIA}/V0003.WebAuthnKIDLength.up.sql`]: "ALTER TABLE webauthn_devices ALTER COLUMN kid TYPE VARCHAR(512);\n",
  [`${AUTHELIA}/V0003.WebAuthnKIDLength.down.sql`]: "ALTER TABLE webauthn_devices ALTER COLUMN kid TYPE VARCHAR(100);\n",
};

const ups = (tree: Record<string, string>, dir: string) =>
  Object.keys(tree)
    .filter((f) => f.startsWith(`${dir}/`) && f.endsWith(".up.sql"))
    .sort()
    .map((f) => ({ version: Number(/V(\d+)\./.exec(f)![1]), sql: tree[f]! }));

/**
 * authelia's SchemaMigrate on PostgreSQL: one transaction; LOCK TABLE migrations once it exists; each up,
 * then `INSERT INTO migrations (applied, version_before, version_after, application_version)`.
 */
async function autheliaUp(url: string, from = 0): Promise<void> {
  await withClient(url, async (c) => {
    await c.query("BEGIN");
    if (from > 0) await c.query("LOCK TABLE migrations IN ACCESS EXCLUSIVE MODE");
    for (const [i, m] of ups(AUTHELIA_TREE, AUTHELIA).filter((m) => m.version > from).entries()) {
      if (from === 0 && i === 1) await c.query("LOCK TABLE migrations IN ACCESS EXCLUSIVE MODE");
      await c.query(m.sql);
      await c.query("INSERT INTO migrations (applied, version_before, version_after, application_version) VALUES ($1, $2, $3, $4)", [new Date(), m.version - 1, m.version, "v4.38.0"]);
    }
    await c.query("COMMIT");
  });
}

/** authelia's SchemaVersion: no table in the schema: 0; else the newest row's version_after. */
async function autheliaVersion(url: string): Promise<number> {
  return withClient(url, async (c) => {
    const tables = await c.query("SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' AND table_schema = $1", ["public"]);
    if (!tables.rows.some((r) => r.table_name === "migrations")) return 0;
    return (await c.query("SELECT id, applied, version_before, version_after, application_version FROM migrations ORDER BY id DESC LIMIT 1")).rows[0].version_after as number;
  });
}

const autheliaRows = (url: string) => withClient(url, async (c) => (await c.query("SELECT version_before, version_after, application_version FROM migrations ORDER BY id")).rows);

describe.skipIf(!SERVER_URL)(`authelia: status and rollback against its migrations table${SERVER_URL ? "" : ` (skipped: ${NO_SERVER})`}`, { timeout: 240_000 }, () => {
  it("status, --dry-run, rollback --steps 2 --yes writes authelia's down rows, authelia's next run re-applies exactly those two; then down to version 0", async () => {
    const url = await database();
    const root = projectFolder("authelia", AUTHELIA_TREE);
    folders.push(root);
    const dir = path.join(root, AUTHELIA);
    // The first migration alone, then the other two: the catalog after each step is what a rollback must restore.
    await withClient(url, async (c) => {
      await c.query("BEGIN");
      await c.query(AUTHELIA_TREE[`${AUTHELIA}/V0001.Initial_Schema.up.sql`]!);
      await c.query("INSERT INTO migrations (applied, version_before, version_after, application_version) VALUES ($1, 0, 1, 'v4.38.0')", [new Date()]);
      await c.query("COMMIT");
    });
    const afterFirst = await schemaOf(url);
    await autheliaUp(url, 1);
    const full = await schemaOf(url);

    const before = await status(dir, url);
    expect(before.journal.table).toBe("public.migrations");
    expect(before.migrations.map((m) => [m.id, m.state])).toEqual([
      ["V0001.Initial_Schema", "applied"],
      ["V0002.WebAuthn", "applied"],
      ["V0003.WebAuthnKIDLength", "applied"],
    ]);

    const dry = await runCli(["rollback", dir, "--database-url", url, "--steps", "2", "--dry-run", "--allow-lossy"], process.cwd());
    expect(dry.stderr).toBe("");
    expect(dry.stdout).toContain("journal: INSERT INTO migrations (applied, version_before, version_after, application_version) VALUES (now(), 3, 2, 'migration-lint ");
    expect(dry.stdout).toContain("LOCK TABLE migrations IN ACCESS EXCLUSIVE MODE (first in each part's transaction)");
    expect(dry.stdout).toContain("nothing was committed");
    expect(await autheliaRows(url)).toHaveLength(3);

    const run = await runCli(["rollback", dir, "--database-url", url, "--steps", "2", "--yes", "--allow-lossy", "--no-audit"], process.cwd());
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("rolled back V0003.WebAuthnKIDLength, V0002.WebAuthn");
    const rows = await autheliaRows(url);
    expect(rows.slice(3).map((r) => [r.version_before, r.version_after])).toEqual([
      [3, 2],
      [2, 1],
    ]);
    expect(rows[3].application_version).toMatch(/^migration-lint \d/);
    expect(await schemaOf(url)).toBe(afterFirst);
    expect((await status(dir, url)).migrations.map((m) => m.state)).toEqual(["applied", "pending", "pending"]);

    // authelia's own reading: version 1, so its next start migrates 1 → 3, exactly the two rolled back.
    expect(await autheliaVersion(url)).toBe(1);
    await autheliaUp(url, 1);
    expect(await schemaOf(url)).toBe(full);
    expect((await status(dir, url)).migrations.map((m) => m.state)).toEqual(["applied", "applied", "applied"]);

    // All the way down: V0001's down drops the journal, and authelia (like us) writes no row for it.
    const zero = await runCli(["rollback", dir, "--database-url", url, "--steps", "3", "--yes", "--allow-lossy", "--no-audit"], process.cwd());
    expect(zero.stderr).toBe("");
    expect(zero.code).toBe(0);
    expect(await autheliaVersion(url)).toBe(0);
    const gone = await runCli(["status", dir, "--database-url", url], process.cwd());
    expect(gone.stdout).toContain("journal: public.migrations (does not exist: nothing applied)");
  });

  /** The authelia project applied, then `body` run while a session holds authelia's lock in an open transaction. */
  async function whileAutheliaMigrates(name: string, body: (dir: string, url: string, pid: number) => Promise<void>): Promise<string> {
    const url = await database();
    const root = projectFolder(name, AUTHELIA_TREE);
    folders.push(root);
    await autheliaUp(url);
    const authelia = await session(url, "authelia");
    try {
      await authelia.query("BEGIN");
      await authelia.query("LOCK TABLE migrations IN ACCESS EXCLUSIVE MODE");
      const pid = (await authelia.query("SELECT pg_backend_pid() AS pid")).rows[0].pid as number;
      await body(path.join(root, AUTHELIA), url, pid);
    } finally {
      await authelia.end();
    }
    return url;
  }

  it("authelia migrating (LOCK TABLE migrations in its open transaction): the rollback waits --lock-wait, names the holder, changes nothing", async () => {
    const url = await whileAutheliaMigrates("authelia-lock", async (dir, url, pid) => {
      const started = Date.now();
      const run = await runCli(["rollback", dir, "--database-url", url, "--steps", "1", "--yes", "--lock-wait", "2", "--no-audit", "--allow-drift"], process.cwd());
      expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(new RegExp(`the authelia \\(authelia SchemaMigrate: .*\\) table lock on public\\.migrations is held by pid ${pid} \\(authelia, idle in transaction\\) in AccessExclusiveLock: waited 2s \\(--lock-wait\\); nothing was rolled back`));
    });
    expect(await autheliaRows(url)).toHaveLength(3);
  });

  it("authelia migrating: status waits --lock-wait for the locked journal, then says who holds it in one line (exit 2)", async () => {
    let folder = "";
    const url = await whileAutheliaMigrates("authelia-status-lock", async (dir, url, pid) => {
      folder = dir;
      const started = Date.now();
      const run = await runCli(["status", dir, "--database-url", url, "--lock-wait", "1"], process.cwd());
      expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe("");
      expect(run.stderr.trim().split("\n")).toHaveLength(1);
      expect(run.stderr).toMatch(new RegExp(`the authelia journal public\\.migrations is locked by pid ${pid} \\(authelia, idle in transaction\\) in AccessExclusiveLock \\(a migration is running\\?\\): waited 1s \\(--lock-wait\\)`));
    });
    // The lock gone, the same status reads the journal.
    const free = await runCli(["status", folder, "--database-url", url, "--lock-wait", "1", "--format", "json"], process.cwd());
    expect(JSON.parse(free.stdout).migrations.filter((m: { state: string }) => m.state === "applied")).toHaveLength(3);
  });

  it("while a part runs, the part holds authelia's lock: authelia's version read waits for it", async () => {
    const url = await database();
    const tree = { ...AUTHELIA_TREE, [`${AUTHELIA}/V0003.WebAuthnKIDLength.down.sql`]: "ALTER TABLE webauthn_devices ALTER COLUMN kid TYPE VARCHAR(100);\nSELECT pg_sleep(3);\n" };
    const root = projectFolder("authelia-held", tree);
    folders.push(root);
    const dir = path.join(root, AUTHELIA);
    await autheliaUp(url);
    const rollback = runCli(["rollback", dir, "--database-url", url, "--steps", "1", "--yes", "--no-audit"], process.cwd());
    const authelia = await session(url, "authelia");
    try {
      const db = decodeURIComponent(new URL(url).pathname.slice(1));
      const deadline = Date.now() + 120_000;
      for (;;) {
        const sleeping = await authelia.query(`SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND query LIKE 'SELECT pg_sleep(3)%'`, [db]);
        if (sleeping.rowCount) break;
        if (Date.now() > deadline) throw new Error("the rollback never reached its pg_sleep");
        await new Promise((r) => setTimeout(r, 50));
      }
      await authelia.query("SET lock_timeout = '300ms'");
      await expect(authelia.query("SELECT id, applied, version_before, version_after, application_version FROM migrations ORDER BY id DESC LIMIT 1")).rejects.toThrow(/lock timeout/);
    } finally {
      await authelia.end();
    }
    const run = await rollback;
    expect(run.code).toBe(0);
    expect(await autheliaVersion(url)).toBe(2);
  });
});

// --- concourse ----------------------------------------------------------------------------------------

const CONCOURSE = "atc/db/migration/migrations";
const CONCOURSE_TREE = {
  [`${CONCOURSE}/1510262030_initial_schema.up.sql`]: "CREATE TABLE teams (id serial PRIMARY KEY, name text NOT NULL);\n",
  [`${CONCOURSE}/1510262030_initial_schema.down.sql`]: "DROP TABLE teams;\n",
  [`${CONCOURSE}/1626194317_add_team_auth.up.sql`]: "ALTER TABLE teams ADD COLUMN auth text;\n",
  [`${CONCOURSE}/1626194317_add_team_auth.down.sql`]: "ALTER TABLE teams DROP COLUMN auth;\n",
  [`${CONCOURSE}/1700000000_add_team_slug.up.sql`]: "ALTER TABLE teams ADD COLUMN slug text;\n",
  [`${CONCOURSE}/1700000000_add_team_slug.down.sql`]: "ALTER TABLE teams DROP COLUMN slug;\n",
};

/** concourse's Migrate: its DDL, then each up in a transaction of its own with its 'passed' row. */
async function concourseUp(url: string): Promise<void> {
  await withClient(url, async (c) => {
    await c.query("CREATE TABLE IF NOT EXISTS migrations_history (version bigint, tstamp timestamp with time zone, direction varchar, status varchar, dirty boolean)");
    for (const [file, sql] of Object.entries(CONCOURSE_TREE).filter(([f]) => f.endsWith(".up.sql"))) {
      await c.query("BEGIN");
      await c.query(sql);
      await c.query("INSERT INTO migrations_history (version, tstamp, direction, status, dirty) VALUES ($1, current_timestamp, $2, 'passed', false)", [path.basename(file).split("_")[0], "up"]);
      await c.query("COMMIT");
    }
  });
}

/** concourse's CurrentVersion query (the newest non-failed row). */
const concourseNewest = (url: string) =>
  withClient(url, async (c) => (await c.query("SELECT version::text AS version, direction FROM migrations_history WHERE status!='failed' ORDER BY tstamp DESC LIMIT 1")).rows[0]);

describe.skipIf(!SERVER_URL)(`concourse: status and rollback against migrations_history, and its migration lock${SERVER_URL ? "" : ` (skipped: ${NO_SERVER})`}`, { timeout: 240_000 }, () => {
  it("rollback --steps 1 --yes writes concourse's down row; with pg_try_advisory_lock(5) held by concourse, the rollback waits and names it", async () => {
    const url = await database();
    const root = projectFolder("concourse", CONCOURSE_TREE);
    folders.push(root);
    const dir = path.join(root, CONCOURSE);
    await concourseUp(url);
    expect((await status(dir, url, ["--layout", "concourse"])).migrations.map((m) => m.state)).toEqual(["applied", "applied", "applied"]);

    // concourse's migrator holds its lock (LockTypeDatabaseMigration = 5) for the whole migration.
    const concourse = await session(url, "concourse");
    try {
      expect((await concourse.query("SELECT pg_try_advisory_lock($1) AS ok", [5])).rows[0].ok).toBe(true);
      const pid = (await concourse.query("SELECT pg_backend_pid() AS pid")).rows[0].pid as number;
      const started = Date.now();
      const busy = await runCli(["rollback", dir, "--layout", "concourse", "--database-url", url, "--steps", "1", "--yes", "--allow-lossy", "--lock-wait", "2", "--no-audit"], process.cwd());
      expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
      expect(busy.code).toBe(1);
      expect(busy.stdout).toMatch(new RegExp(`the concourse \\(concourse migration lock: .*\\) advisory lock \\(key 5\\) is held by pid ${pid} \\(concourse, idle\\): waited 2s \\(--lock-wait\\); nothing was rolled back`));
      expect(await concourseNewest(url)).toEqual({ version: "1700000000", direction: "up" });
    } finally {
      await concourse.end();
    }

    const run = await runCli(["rollback", dir, "--layout", "concourse", "--database-url", url, "--steps", "1", "--yes", "--allow-lossy", "--no-audit"], process.cwd());
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("concourse (concourse migration lock: pg_try_advisory_lock(5)");
    expect(await concourseNewest(url)).toEqual({ version: "1700000000", direction: "down" });
    expect((await status(dir, url, ["--layout", "concourse"])).migrations.map((m) => m.state)).toEqual(["applied", "applied", "pending"]);
  });
});

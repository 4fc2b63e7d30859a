/**
 * The journals of diesel, golang-migrate, dbmate, sqlx, supabase and pop, on PGlite and on the real
 * PostgreSQL server: create the table with the runner's DDL, record a real set (discovered by the real
 * layout from files named the runner's way), read it back, un-record the newest migration and check the
 * rows the runner would then read. None of these runners installs here except dbmate (see
 * dbmate-real.test.ts), so the expected rows are the ones their source says they read.
 */
import { describe, expect, it } from "vitest";
import { dbmateJournal } from "../../src/layout/dbmate-journal.js";
import { dieselJournal } from "../../src/layout/diesel-journal.js";
import { golangMigrateJournal } from "../../src/layout/golang-migrate-journal.js";
import { popJournal } from "../../src/layout/pop-journal.js";
import { sqlxJournal } from "../../src/layout/sqlx-journal.js";
import { supabaseJournal } from "../../src/layout/supabase-journal.js";
import { NO_SERVER, pgliteDatabase, recordApplied, SERVER_URL, serverDatabase, setFromTree, summary, unrecordNewest, useDatabase, type TestDatabase } from "./harness.js";

const USERS = "CREATE TABLE users (id bigint PRIMARY KEY);\n";
const POSTS = "CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\nCREATE INDEX posts_user_idx ON posts (user_id);\n";

function suite(open: () => Promise<TestDatabase>) {
  const db = useDatabase(open, ["supabase_migrations", "ops"]);

  it("diesel: one row per folder version, DELETE on revert", async () => {
    const set = await setFromTree(
      {
        "/repo/migrations/2024-01-01-000000_users/up.sql": USERS,
        "/repo/migrations/2024-01-01-000000_users/down.sql": "DROP TABLE users;\n",
        "/repo/migrations/2024-02-01-120000_posts/up.sql": POSTS,
        "/repo/migrations/2024-02-01-120000_posts/down.sql": "DROP TABLE posts;\n",
      },
      "diesel",
      "migrations",
    );
    await recordApplied(db, dieselJournal, set);
    const rows = await db.client.query<{ version: string }>("SELECT version FROM __diesel_schema_migrations ORDER BY version");
    expect(rows.map((r) => r.version)).toEqual(["20240101000000", "20240201120000"]);
    const state = await dieselJournal.read(db.client, set, {});
    expect(state.exists).toBe(true);
    expect(summary(state.entries)).toEqual([
      { id: "2024-01-01-000000_users", recorded: "20240101000000", state: "applied" },
      { id: "2024-02-01-120000_posts", recorded: "20240201120000", state: "applied" },
    ]);
    expect(state.entries[0]!.appliedAt).toBeInstanceOf(Date);
    await unrecordNewest(db, dieselJournal, set);
    // diesel's `migration run` applies every version it does not find: exactly the posts migration.
    expect((await db.client.query<{ version: string }>("SELECT version FROM __diesel_schema_migrations")).map((r) => r.version)).toEqual(["20240101000000"]);
    expect(dieselJournal.lock).toBeUndefined();
    expect(dieselJournal.hashOf).toBeUndefined();
  });

  it("diesel: a missing table reads as nothing applied, a row with no folder as an entry without migration", async () => {
    const set = await setFromTree({ "/repo/migrations/2024-01-01-000000_users/up.sql": USERS }, "diesel", "migrations");
    expect(await dieselJournal.read(db.client, set, {})).toEqual({ location: { schema: "public", table: "__diesel_schema_migrations" }, exists: false, entries: [] });
    await recordApplied(db, dieselJournal, set);
    await db.client.query("INSERT INTO __diesel_schema_migrations (version) VALUES ('20230101000000')");
    expect(summary((await dieselJournal.read(db.client, set, {})).entries)).toEqual([
      { id: null, recorded: "20230101000000", state: "applied" },
      { id: "2024-01-01-000000_users", recorded: "20240101000000", state: "applied" },
    ]);
  });

  const pairs = {
    "/repo/db/000001_users.up.sql": USERS,
    "/repo/db/000001_users.down.sql": "DROP TABLE users;\n",
    "/repo/db/000002_posts.up.sql": POSTS,
    "/repo/db/000002_posts.down.sql": "DROP TABLE posts;\n",
    "/repo/db/000003_note.up.sql": "ALTER TABLE posts ADD COLUMN note text;\n",
    "/repo/db/000003_note.down.sql": "ALTER TABLE posts DROP COLUMN note;\n",
  };

  it("golang-migrate: one row (version, dirty); un-record writes the previous version, then an empty table", async () => {
    const set = await setFromTree(pairs, "golang-migrate", "db");
    await recordApplied(db, golangMigrateJournal, set);
    expect(await db.client.query(`SELECT version::text AS version, dirty FROM "public"."schema_migrations"`)).toEqual([{ version: "3", dirty: false }]);
    const state = await golangMigrateJournal.read(db.client, set, {});
    expect(summary(state.entries)).toEqual([
      { id: "000001_users", recorded: "1", state: "applied" },
      { id: "000002_posts", recorded: "2", state: "applied" },
      { id: "000003_note", recorded: "3", state: "applied" },
    ]);
    await unrecordNewest(db, golangMigrateJournal, set);
    expect(await db.client.query(`SELECT version::text AS version, dirty FROM "public"."schema_migrations"`)).toEqual([{ version: "2", dirty: false }]);
    await unrecordNewest(db, golangMigrateJournal, set);
    await unrecordNewest(db, golangMigrateJournal, set);
    // Below the first migration golang-migrate leaves the table empty (NilVersion): everything is pending.
    expect(await db.client.query(`SELECT * FROM "public"."schema_migrations"`)).toEqual([]);
    expect((await golangMigrateJournal.read(db.client, set, {})).entries).toEqual([]);
  });

  it("golang-migrate: dirty marks the recorded version failed; x-migrations-table moves the table; the lock key is the runner's", async () => {
    const set = await setFromTree(pairs, "golang-migrate", "db");
    const settings = { schema: "ops", table: "migrate_version" };
    await db.client.query("CREATE SCHEMA ops");
    await recordApplied(db, golangMigrateJournal, set, settings, 2);
    await db.client.query(`UPDATE "ops"."migrate_version" SET dirty = true`);
    const state = await golangMigrateJournal.read(db.client, set, settings);
    expect(state.location).toEqual({ schema: "ops", table: "migrate_version" });
    expect(summary(state.entries)).toEqual([
      { id: "000001_users", recorded: "1", state: "applied" },
      { id: "000002_posts", recorded: "2", state: "failed" },
    ]);
    expect(state.entries[1]!.detail).toMatch(/^dirty/);
    // crc32("public\0schema_migrations\0/app") * 1486364155 mod 2^32, computed with Python's zlib.
    expect(golangMigrateJournal.lock!.key("app", { schema: "public", table: "schema_migrations" })).toBe(1726534663n);
    expect(golangMigrateJournal.lock!.mode).toBe("wait");
  });

  it("dbmate: one row per version in the search_path schema; delete on rollback", async () => {
    const set = await setFromTree(
      {
        "/repo/db/migrations/20240101000000_users.sql": `-- migrate:up\n${USERS}\n-- migrate:down\nDROP TABLE users;\n`,
        "/repo/db/migrations/20240201000000_posts.sql": `-- migrate:up\n${POSTS}\n-- migrate:down\nDROP TABLE posts;\n`,
      },
      "dbmate",
      "db/migrations",
    );
    await recordApplied(db, dbmateJournal, set);
    expect(await db.client.query("SELECT version FROM public.schema_migrations ORDER BY version")).toEqual([{ version: "20240101000000" }, { version: "20240201000000" }]);
    expect(summary((await dbmateJournal.read(db.client, set, {})).entries)).toEqual([
      { id: "20240101000000_users", recorded: "20240101000000", state: "applied" },
      { id: "20240201000000_posts", recorded: "20240201000000", state: "applied" },
    ]);
    await unrecordNewest(db, dbmateJournal, set);
    expect(await db.client.query("SELECT version FROM public.schema_migrations")).toEqual([{ version: "20240101000000" }]);
  });

  it("sqlx: checksum = SHA-384 of the file, success flag, description from the file name, DELETE on revert", async () => {
    const set = await setFromTree(
      {
        "/repo/migrations/20240101000000_create_users.up.sql": USERS,
        "/repo/migrations/20240101000000_create_users.down.sql": "DROP TABLE users;\n",
        "/repo/migrations/20240201000000_create_posts.up.sql": POSTS,
        "/repo/migrations/20240201000000_create_posts.down.sql": "DROP TABLE posts;\n",
      },
      "sqlx",
      "migrations",
    );
    // sha384sum of a file holding USERS, computed with coreutils.
    const usersSha384 = "c72d83fd3fa44d3458d479ba249777d97527fde4ccd1e1483878051ba8ee6f15fcf7964f412c5d17e122e4397248e42a";
    expect(sqlxJournal.hashOf!(set.migrations[0]!)).toBe(usersSha384);
    await recordApplied(db, sqlxJournal, set);
    expect(
      await db.client.query("SELECT version::text AS version, description, success, encode(checksum, 'hex') AS checksum, execution_time::int AS t FROM _sqlx_migrations ORDER BY version"),
    ).toEqual([
      { version: "20240101000000", description: "create users", success: true, checksum: usersSha384, t: -1 },
      { version: "20240201000000", description: "create posts", success: true, checksum: sqlxJournal.hashOf!(set.migrations[1]!), t: -1 },
    ]);
    await db.client.query("UPDATE _sqlx_migrations SET success = false WHERE version = 20240201000000");
    const state = await sqlxJournal.read(db.client, set, {});
    expect(summary(state.entries)).toEqual([
      { id: "20240101000000_create_users", recorded: "20240101000000", state: "applied", hash: usersSha384 },
      { id: "20240201000000_create_posts", recorded: "20240201000000", state: "failed", hash: sqlxJournal.hashOf!(set.migrations[1]!) },
    ]);
    await unrecordNewest(db, sqlxJournal, set);
    expect(await db.client.query("SELECT version::text AS version FROM _sqlx_migrations")).toEqual([{ version: "20240101000000" }]);
    // 0x3d32ad9e * crc32("app"), computed with Python's zlib.
    expect(sqlxJournal.lock!.key("app", sqlxJournal.location({}))).toBe(3469795979745788610n);
  });

  it("sqlx: a configured table name is honoured", async () => {
    const set = await setFromTree({ "/repo/migrations/1_users.up.sql": USERS, "/repo/migrations/1_users.down.sql": "DROP TABLE users;\n" }, "sqlx", "migrations");
    await db.client.query("CREATE SCHEMA ops");
    await recordApplied(db, sqlxJournal, set, { schema: "ops", table: "sqlx_history" });
    expect(await db.client.query("SELECT version::text AS version, description FROM ops.sqlx_history")).toEqual([{ version: "1", description: "users" }]);
    expect(summary((await sqlxJournal.read(db.client, set, { schema: "ops", table: "sqlx_history" })).entries)).toEqual([
      { id: "1_users", recorded: "1", state: "applied", hash: sqlxJournal.hashOf!(set.migrations[0]!) },
    ]);
  });

  it("supabase: version, name and statements in supabase_migrations; repair --status reverted deletes the version", async () => {
    const set = await setFromTree(
      { "/repo/supabase/migrations/20240101000000_users.sql": USERS, "/repo/supabase/migrations/20240201000000_posts.sql": POSTS },
      "supabase",
      "supabase/migrations",
    );
    await recordApplied(db, supabaseJournal, set);
    expect(await db.client.query("SELECT version, name, statements FROM supabase_migrations.schema_migrations ORDER BY version")).toEqual([
      { version: "20240101000000", name: "users", statements: ["CREATE TABLE users (id bigint PRIMARY KEY)"] },
      {
        version: "20240201000000",
        name: "posts",
        statements: ["CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users)", "CREATE INDEX posts_user_idx ON posts (user_id)"],
      },
    ]);
    expect(summary((await supabaseJournal.read(db.client, set, {})).entries)).toEqual([
      { id: "20240101000000_users", recorded: "20240101000000_users", state: "applied" },
      { id: "20240201000000_posts", recorded: "20240201000000_posts", state: "applied" },
    ]);
    await unrecordNewest(db, supabaseJournal, set);
    expect(await db.client.query("SELECT version FROM supabase_migrations.schema_migrations")).toEqual([{ version: "20240101000000" }]);
    expect(supabaseJournal.ownedObjects({})).toEqual({ schemas: ["supabase_migrations"], relations: ["supabase_migrations.schema_migrations", "supabase_migrations.schema_migrations_pkey"] });
  });

  it("pop: popx's schema_migration with version_self; DELETE on down", async () => {
    const set = await setFromTree(
      {
        "/repo/persistence/sql/migrations/20240101000000_users.postgres.up.sql": USERS,
        "/repo/persistence/sql/migrations/20240101000000_users.postgres.down.sql": "DROP TABLE users;\n",
        "/repo/persistence/sql/migrations/20240201000000_posts.up.sql": POSTS,
        "/repo/persistence/sql/migrations/20240201000000_posts.down.sql": "DROP TABLE posts;\n",
      },
      "pop",
      "persistence/sql/migrations",
    );
    await recordApplied(db, popJournal, set);
    expect(await db.client.query("SELECT version, version_self FROM schema_migration ORDER BY version")).toEqual([
      { version: "20240101000000", version_self: 0 },
      { version: "20240201000000", version_self: 0 },
    ]);
    const indexes = await db.client.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'schema_migration' ORDER BY 1");
    expect(indexes.map((i) => i.indexname)).toEqual(["schema_migration_version_idx", "schema_migration_version_self_idx"]);
    expect(summary((await popJournal.read(db.client, set, {})).entries)).toEqual([
      { id: "20240101000000_users", recorded: "20240101000000", state: "applied" },
      { id: "20240201000000_posts", recorded: "20240201000000", state: "applied" },
    ]);
    await unrecordNewest(db, popJournal, set);
    expect(await db.client.query("SELECT version FROM schema_migration")).toEqual([{ version: "20240101000000" }]);
  });
}

describe("row journals on PGlite", () => suite(pgliteDatabase));
describe.skipIf(!SERVER_URL)(`row journals on PostgreSQL (${SERVER_URL ? "server" : NO_SERVER})`, () => suite(() => serverDatabase("rows")));

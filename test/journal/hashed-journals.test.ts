/**
 * The journals that keep a hash: prisma (SHA-256), flyway (CRC-32 line by line) and postgres-migrations
 * (SHA-1 of name + SQL), on PGlite and on the real PostgreSQL server. The expected hashes and lock keys
 * were computed outside this code (coreutils sha256sum, Python's zlib and hashlib, Java's hashCode
 * formula in Python). prisma and flyway cannot run here, so the rows asserted after un-recording are the
 * ones their source says they read; postgres-migrations is also run for real in
 * postgres-migrations-real.test.ts.
 */
import { describe, expect, it } from "vitest";
import { flywayChecksum, flywayJournal } from "../../src/layout/flyway-journal.js";
import { postgresMigrationsJournal } from "../../src/layout/postgres-migrations-journal.js";
import { prismaJournal } from "../../src/layout/prisma-journal.js";
import { NO_SERVER, pgliteDatabase, recordApplied, SERVER_URL, serverDatabase, setFromTree, summary, unrecordNewest, useDatabase, type TestDatabase } from "./harness.js";

const USERS = "CREATE TABLE users (id bigint PRIMARY KEY);\n";
const POSTS_CRLF = "CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\r\nCREATE INDEX posts_user_idx ON posts (user_id);\r\n";
const USERS_SHA256 = "3456c330330e5584db1ea42d855fe843569a61c7c200bd34b52f8f9c03b28f0d";

function suite(open: () => Promise<TestDatabase>) {
  const db = useDatabase(open);

  const prismaTree = {
    "/repo/prisma/migrations/20240101000000_init/migration.sql": USERS,
    "/repo/prisma/migrations/20240201000000_posts/migration.sql": POSTS_CRLF,
    "/repo/prisma/migrations/migration_lock.toml": 'provider = "postgresql"\n',
  };

  it("prisma: checksum is the SHA-256 of migration.sql; finished rows are applied, unfinished failed, rolled back ignored", async () => {
    const set = await setFromTree(prismaTree, "prisma", "prisma/migrations");
    expect(prismaJournal.hashOf!(set.migrations[0]!)).toBe(USERS_SHA256);
    await recordApplied(db, prismaJournal, set);
    expect(
      await db.client.query("SELECT checksum, migration_name, finished_at IS NOT NULL AS finished, rolled_back_at, applied_steps_count, length(id) AS id_length FROM _prisma_migrations ORDER BY migration_name"),
    ).toEqual([
      { checksum: USERS_SHA256, migration_name: "20240101000000_init", finished: true, rolled_back_at: null, applied_steps_count: 1, id_length: 36 },
      { checksum: prismaJournal.hashOf!(set.migrations[1]!), migration_name: "20240201000000_posts", finished: true, rolled_back_at: null, applied_steps_count: 1, id_length: 36 },
    ]);
    // A failed attempt of a third migration, and an older rolled-back attempt of the second.
    await db.client.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, started_at) VALUES ('00000000-0000-0000-0000-000000000001', 'x', '20240301000000_gone', 'ERROR: boom', now() + interval '1 hour')`,
    );
    await db.client.query(
      `INSERT INTO _prisma_migrations (id, checksum, migration_name, rolled_back_at, started_at) VALUES ('00000000-0000-0000-0000-000000000002', 'y', '20240201000000_posts', now(), now() - interval '1 hour')`,
    );
    const state = await prismaJournal.read(db.client, set, {});
    expect(summary(state.entries)).toEqual([
      { id: "20240101000000_init", recorded: "20240101000000_init", state: "applied", hash: USERS_SHA256 },
      { id: "20240201000000_posts", recorded: "20240201000000_posts", state: "applied", hash: prismaJournal.hashOf!(set.migrations[1]!) },
      { id: null, recorded: "20240301000000_gone", state: "failed", hash: "x" },
    ]);
    expect(state.entries[2]!.detail).toContain("logs: ERROR: boom");
  });

  it("prisma: un-recording deletes every row of the migration's name, so migrate status and deploy both see it pending", async () => {
    const set = await setFromTree(prismaTree, "prisma", "prisma/migrations");
    await recordApplied(db, prismaJournal, set);
    await unrecordNewest(db, prismaJournal, set);
    expect(await db.client.query("SELECT migration_name FROM _prisma_migrations")).toEqual([{ migration_name: "20240101000000_init" }]);
    expect(prismaJournal.lock!.key("app", prismaJournal.location({}))).toBe(72707369n);
  });

  const flywayTree = {
    "/repo/db/migration/V1__create_users.sql": USERS,
    "/repo/db/migration/V1.1__create_posts.sql": POSTS_CRLF,
    "/repo/db/migration/R__user_view.sql": "CREATE OR REPLACE VIEW user_ids AS SELECT id FROM users;\n",
  };

  it("flyway: checksum = CRC-32 of the lines without line breaks (signed), one row per script", async () => {
    const set = await setFromTree(flywayTree, "flyway", "db/migration");
    // Python: zlib.crc32 over str.splitlines(), as signed int.
    expect(flywayChecksum(USERS)).toBe(1812668543);
    expect(flywayChecksum(POSTS_CRLF)).toBe(1316075511);
    expect(flywayChecksum(POSTS_CRLF.replace(/\r\n/g, "\n"))).toBe(1316075511);
    expect(flywayChecksum(`\uFEFF${USERS}`)).toBe(1812668543);
    await recordApplied(db, flywayJournal, set);
    expect(
      await db.client.query(`SELECT "installed_rank", "version", "description", "type", "script", "checksum", "success" FROM "public"."flyway_schema_history" ORDER BY 1`),
    ).toEqual([
      { installed_rank: 1, version: "1", description: "create users", type: "SQL", script: "V1__create_users.sql", checksum: 1812668543, success: true },
      { installed_rank: 2, version: "1.1", description: "create posts", type: "SQL", script: "V1.1__create_posts.sql", checksum: 1316075511, success: true },
      { installed_rank: 3, version: null, description: "user view", type: "SQL", script: "R__user_view.sql", checksum: flywayChecksum(flywayTree["/repo/db/migration/R__user_view.sql"]), success: true },
    ]);
    const indexes = await db.client.query<{ indexname: string }>("SELECT indexname FROM pg_indexes WHERE tablename = 'flyway_schema_history' ORDER BY 1");
    expect(indexes.map((i) => i.indexname)).toEqual(["flyway_schema_history_pk", "flyway_schema_history_s_idx"]);
    const state = await flywayJournal.read(db.client, set, {});
    expect(summary(state.entries)).toEqual([
      { id: "V1__create_users", recorded: "1", state: "applied", hash: "1812668543" },
      { id: "V1.1__create_posts", recorded: "1.1", state: "applied", hash: "1316075511" },
      { id: "R__user_view", recorded: "R__user_view.sql", state: "applied", hash: flywayJournal.hashOf!(set.migrations[2]!) },
    ]);
    // 0x466C79776179 + '"public"."flyway_schema_history"'.hashCode(), computed in Python.
    expect(flywayJournal.lock!.key("app", flywayJournal.location({}))).toBe(77433833903597n);
    expect(flywayJournal.lock!.mode).toBe("try");
  });

  it("flyway: failed rows, Teams' UNDO_SQL rows and un-recording by deleting the version's newest row", async () => {
    const set = await setFromTree(flywayTree, "flyway", "db/migration");
    await recordApplied(db, flywayJournal, set, {}, 2);
    const table = `"public"."flyway_schema_history"`;
    await db.client.query(`UPDATE ${table} SET "success" = false WHERE "version" = '1.1'`);
    expect(summary((await flywayJournal.read(db.client, set, {})).entries).map((e) => e.state)).toEqual(["applied", "failed"]);
    await db.client.query(`UPDATE ${table} SET "success" = true`);
    await db.client.query(
      `INSERT INTO ${table} VALUES (3, '1.1', 'create posts', 'UNDO_SQL', 'U1.1__create_posts.sql', 1, current_user, now(), 0, true)`,
    );
    expect(summary((await flywayJournal.read(db.client, set, {})).entries).map((e) => e.recorded)).toEqual(["1"]);
    await db.client.query(`DELETE FROM ${table} WHERE "installed_rank" = 3`);
    await unrecordNewest(db, flywayJournal, set);
    expect(await db.client.query(`SELECT "installed_rank", "version" FROM ${table}`)).toEqual([{ installed_rank: 1, version: "1" }]);
  });

  it("flyway: a configured schema and table", async () => {
    const set = await setFromTree(flywayTree, "flyway", "db/migration");
    await db.client.query("CREATE SCHEMA IF NOT EXISTS app");
    const settings = { schema: "app", table: "schema_history" };
    await recordApplied(db, flywayJournal, set, settings, 1);
    expect(summary((await flywayJournal.read(db.client, set, settings)).entries)).toEqual([{ id: "V1__create_users", recorded: "1", state: "applied", hash: "1812668543" }]);
    expect(flywayJournal.ownedObjects(settings).relations[0]).toBe("app.schema_history");
    await db.client.query("DROP SCHEMA app CASCADE");
  });

  it("postgres-migrations: row 0 is the runner's own, hash = SHA-1(file name + SQL), delete to un-record", async () => {
    const set = await setFromTree(
      { "/repo/migrations/0001_users.sql": USERS, "/repo/migrations/0002_posts.sql": POSTS_CRLF, "/repo/package.json": '{"dependencies":{"postgres-migrations":"5.3.0"}}' },
      "postgres-migrations",
      "migrations",
    );
    // sha1 of "0001_users.sql" + USERS, computed with Python's hashlib.
    expect(postgresMigrationsJournal.hashOf!(set.migrations[0]!)).toBe("5ef5c21ed43d9802d88ae10c6e6537c7661cbd12");
    await recordApplied(db, postgresMigrationsJournal, set);
    expect(await db.client.query("SELECT id, name, hash FROM migrations ORDER BY id")).toEqual([
      { id: 0, name: "create-migrations-table", hash: expect.stringMatching(/^[0-9a-f]{40}$/) },
      { id: 1, name: "users", hash: "5ef5c21ed43d9802d88ae10c6e6537c7661cbd12" },
      { id: 2, name: "posts", hash: postgresMigrationsJournal.hashOf!(set.migrations[1]!) },
    ]);
    expect(summary((await postgresMigrationsJournal.read(db.client, set, {})).entries)).toEqual([
      { id: "0001_users", recorded: "1", state: "applied", hash: "5ef5c21ed43d9802d88ae10c6e6537c7661cbd12" },
      { id: "0002_posts", recorded: "2", state: "applied", hash: postgresMigrationsJournal.hashOf!(set.migrations[1]!) },
    ]);
    await unrecordNewest(db, postgresMigrationsJournal, set);
    expect(await db.client.query("SELECT id FROM migrations ORDER BY id")).toEqual([{ id: 0 }, { id: 1 }]);
  });
}

describe("hashed journals on PGlite", () => suite(pgliteDatabase));
describe.skipIf(!SERVER_URL)(`hashed journals on PostgreSQL (${SERVER_URL ? "server" : NO_SERVER})`, () => suite(() => serverDatabase("hashed")));

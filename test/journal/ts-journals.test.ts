/**
 * The TypeScript runners' journals on PGlite: TypeORM, MikroORM, Kysely, knex and node-pg-migrate. Sets
 * are discovered by the real layouts from modules written the runner's way; rows are recorded with the
 * runner's DDL, read back, and the newest un-recorded as `rollback` does. The real libraries run against
 * the same journals in test/live/ts-runners-server.test.ts; here are the cases they do not reach: moved
 * tables, rows the runner wrote in older releases, Kysely's order, knex's lock row when it is held.
 */
import { describe, expect, it } from "vitest";
import { knexJournal } from "../../src/layout/knex-journal.js";
import { kyselyJournal } from "../../src/layout/kysely-journal.js";
import { mikroOrmJournal } from "../../src/layout/mikro-orm-journal.js";
import { nodePgMigrateJournal } from "../../src/layout/node-pg-migrate-journal.js";
import { typeormJournal } from "../../src/layout/typeorm-journal.js";
import { LockBusyError, locksFor, releaseLocks, takeLocks } from "../../src/live/lock.js";
import { pgliteDatabase, recordApplied, setFromTree, summary, unrecordNewest, useDatabase } from "./harness.js";

const db = useDatabase(pgliteDatabase, ["ops"]);

const names = async (sql: string) => (await db.client.query<{ name: string }>(sql)).map((r) => r.name);

describe("TypeORM", () => {
  const typeormClass = (name: string, ts: string, sql: string) =>
    `import type { MigrationInterface, QueryRunner } from "typeorm";\nexport class ${name}${ts} implements MigrationInterface {\n  async up(q: QueryRunner) { await q.query("${sql}"); }\n  async down(q: QueryRunner) {}\n}\n`;
  const tree = {
    "/repo/migrations/1700000000000-CreateUsers.ts": typeormClass("CreateUsers", "1700000000000", "CREATE TABLE users (id int)"),
    "/repo/migrations/1700000001000-AddPosts.ts": typeormClass("AddPosts", "1700000001000", "CREATE TABLE posts (id int)"),
  };

  it("records the class name and its timestamp, reads by class name, deletes by both", async () => {
    const set = await setFromTree(tree, "typeorm", "migrations");
    await recordApplied(db, typeormJournal, set);
    expect(await db.client.query(`SELECT "timestamp"::text AS ts, name FROM migrations ORDER BY id`)).toEqual([
      { ts: "1700000000000", name: "CreateUsers1700000000000" },
      { ts: "1700000001000", name: "AddPosts1700000001000" },
    ]);
    const state = await typeormJournal.read(db.client, set, {});
    expect(summary(state.entries)).toEqual([
      { id: "1700000000000-CreateUsers", recorded: "CreateUsers1700000000000", state: "applied" },
      { id: "1700000001000-AddPosts", recorded: "AddPosts1700000001000", state: "applied" },
    ]);
    expect(typeormJournal.unrecordSql(state.entries[1]!, state, {})).toEqual([
      { text: `DELETE FROM "public"."migrations" WHERE "timestamp" = $1 AND "name" = $2`, params: ["1700000001000", "AddPosts1700000001000"] },
    ]);
    await unrecordNewest(db, typeormJournal, set);
    expect(await names("SELECT name FROM migrations ORDER BY id")).toEqual(["CreateUsers1700000000000"]);
  });

  it("follows migrationsTableName (journal.table) and another schema", async () => {
    const set = await setFromTree(tree, "typeorm", "migrations");
    await db.client.query("CREATE SCHEMA ops");
    const settings = { schema: "ops", table: "typeorm_migrations" };
    await recordApplied(db, typeormJournal, set, settings, 1);
    const state = await typeormJournal.read(db.client, set, settings);
    expect(state.location).toEqual({ schema: "ops", table: "typeorm_migrations" });
    expect(state.entries.map((e) => e.migration?.id)).toEqual(["1700000000000-CreateUsers"]);
    expect(typeormJournal.ownedObjects(settings).relations).toContain("ops.typeorm_migrations_id_seq");
  });
});

describe("MikroORM", () => {
  const mikro = (name: string, sql: string) =>
    `import { Migration } from "@mikro-orm/migrations";\nexport class ${name} extends Migration {\n  async up() { this.addSql('${sql}'); }\n}\n`;

  it("records the name without extension; a row an older release wrote with .ts matches and is deleted", async () => {
    const set = await setFromTree(
      {
        "/repo/migrations/Migration20240101000000.ts": mikro("Migration20240101000000", "create table a (id int);"),
        "/repo/migrations/Migration20240102000000.ts": mikro("Migration20240102000000", "create table b (id int);"),
      },
      "mikro-orm",
      "migrations",
    );
    for (const sql of mikroOrmJournal.createSql({})) await db.client.query(sql);
    await db.client.query(`insert into mikro_orm_migrations ("name") values ('Migration20240101000000'), ('Migration20240102000000.ts')`);
    const state = await mikroOrmJournal.read(db.client, set, {});
    expect(summary(state.entries)).toEqual([
      { id: "Migration20240101000000", recorded: "Migration20240101000000", state: "applied" },
      { id: "Migration20240102000000", recorded: "Migration20240102000000.ts", state: "applied" },
    ]);
    expect(state.entries[0]!.appliedAt).toBeInstanceOf(Date);
    await unrecordNewest(db, mikroOrmJournal, set);
    expect(await names("select name from mikro_orm_migrations order by id")).toEqual(["Migration20240101000000"]);
  });
});

describe("Kysely", () => {
  const kysely = (sql: string) => `import { sql, type Kysely } from "kysely";\nexport async function up(db: Kysely<unknown>) { await sql\`${sql}\`.execute(db); }\n`;

  it("orders rows by their timestamp, then by name, as the Migrator does, and deletes by name", async () => {
    const set = await setFromTree(
      { "/repo/migrations/0001_a.ts": kysely("CREATE TABLE a (id int)"), "/repo/migrations/0002_b.ts": kysely("CREATE TABLE b (id int)"), "/repo/migrations/0003_c.ts": kysely("CREATE TABLE c (id int)") },
      "kysely",
      "migrations",
    );
    for (const sql of kyselyJournal.createSql({})) await db.client.query(sql);
    // One Migrator run writes the same millisecond for several rows; insertion order is not the runner's order.
    await db.client.query(
      `insert into kysely_migration (name, "timestamp") values ('0003_c', '2024-01-02T00:00:00.000Z'), ('0002_b', '2024-01-01T00:00:00.000Z'), ('0001_a', '2024-01-01T00:00:00.000Z')`,
    );
    const state = await kyselyJournal.read(db.client, set, {});
    expect(state.entries.map((e) => e.migration?.id)).toEqual(["0001_a", "0002_b", "0003_c"]);
    expect(state.entries[2]!.appliedAt).toEqual(new Date("2024-01-02T00:00:00.000Z"));
    await unrecordNewest(db, kyselyJournal, set);
    expect(await names("select name from kysely_migration order by name")).toEqual(["0001_a", "0002_b"]);
    expect(await db.client.query("select id, is_locked from kysely_migration_lock")).toEqual([{ id: "migration_lock", is_locked: 0 }]);
    expect(kyselyJournal.ownedObjects({ lockTable: "app_migration_lock" }).relations).toContain("public.app_migration_lock");
  });
});

describe("knex", () => {
  const knex = (sql: string) => `exports.up = (knex) => knex.raw("${sql}");\nexports.down = (knex) => knex.raw("SELECT 1");\n`;
  const tree = {
    "/repo/migrations/20240101000000_a.ts": `import type { Knex } from "knex";\n${knex("CREATE TABLE a (id int)")}`,
    "/repo/migrations/20240102000000_b.ts": `import type { Knex } from "knex";\n${knex("CREATE TABLE b (id int)")}`,
  };

  it("records file names with their extension and a batch; a compiled project's .js rows match the .ts files", async () => {
    const set = await setFromTree(tree, "knex", "migrations");
    await recordApplied(db, knexJournal, set);
    expect(await db.client.query("select name, batch from knex_migrations order by id")).toEqual([
      { name: "20240101000000_a.ts", batch: 1 },
      { name: "20240102000000_b.ts", batch: 2 },
    ]);
    await db.client.query("update knex_migrations set name = replace(name, '.ts', '.js')");
    const state = await knexJournal.read(db.client, set, {});
    expect(summary(state.entries)).toEqual([
      { id: "20240101000000_a", recorded: "20240101000000_a.js", state: "applied" },
      { id: "20240102000000_b", recorded: "20240102000000_b.js", state: "applied" },
    ]);
    expect(state.entries.map((e) => e.detail)).toEqual(["batch 1", "batch 2"]);
    await unrecordNewest(db, knexJournal, set);
    expect(await names("select name from knex_migrations order by id")).toEqual(["20240101000000_a.js"]);
  });

  it("the lock row: taken when free, busy while knex holds it, released to 0", async () => {
    for (const sql of knexJournal.createSql({})) await db.client.query(sql);
    const [, row] = locksFor(knexJournal, "db", knexJournal.location({}));
    expect(row!.row!.table).toEqual({ schema: "public", table: "knex_migrations_lock" });
    const held = await takeLocks(db.client, [row!], 500);
    expect(await db.client.query("select is_locked from knex_migrations_lock")).toEqual([{ is_locked: 1 }]);
    await releaseLocks(db.client, held);
    expect(await db.client.query("select is_locked from knex_migrations_lock")).toEqual([{ is_locked: 0 }]);
    // knex mid-run (or a knex that died holding it: `knex migrate:unlock`).
    await db.client.query("update knex_migrations_lock set is_locked = 1");
    await expect(takeLocks(db.client, [row!], 300, 50)).rejects.toThrow(LockBusyError);
    await expect(takeLocks(db.client, [row!], 300, 50)).rejects.toThrow("lock row in public.knex_migrations_lock is taken (a migration is running, or one died holding it)");
  });

  it("no lock table yet (knex never ran): nothing to take, and nothing released that knex could later hold", async () => {
    const [, row] = locksFor(knexJournal, "db", knexJournal.location({}));
    expect(await takeLocks(db.client, [row!], 300)).toEqual([]);
  });
});

describe("node-pg-migrate", () => {
  it("records the file name without its extension, reads by run_on then id, deletes by name", async () => {
    const set = await setFromTree(
      {
        "/repo/migrations/1700000000000_a.js": `exports.up = (pgm) => { pgm.sql("CREATE TABLE a (id int)"); };\n`,
        "/repo/migrations/1700000001000_b.sql": "-- Up Migration\nCREATE TABLE b (id int);\n-- Down Migration\nDROP TABLE b;\n",
      },
      "node-pg-migrate",
      "migrations",
    );
    await recordApplied(db, nodePgMigrateJournal, set);
    const state = await nodePgMigrateJournal.read(db.client, set, {});
    expect(summary(state.entries)).toEqual([
      { id: "1700000000000_a", recorded: "1700000000000_a", state: "applied" },
      { id: "1700000001000_b", recorded: "1700000001000_b", state: "applied" },
    ]);
    await unrecordNewest(db, nodePgMigrateJournal, set);
    expect(await names("SELECT name FROM pgmigrations ORDER BY id")).toEqual(["1700000000000_a"]);
  });
});

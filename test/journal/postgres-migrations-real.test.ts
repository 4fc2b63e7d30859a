/**
 * The postgres-migrations journal against the real npm package on PostgreSQL: `migrate()` applies a
 * folder, the module reads the rows (hashes must be the package's), drop the newest migration's objects
 * and un-record it, then `migrate()` must apply exactly that file again. Row 0 and the table the package
 * creates must be what our createSql writes.
 */
import pg from "pg";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postgresMigrationsJournal } from "../../src/layout/postgres-migrations-journal.js";
import { NO_SERVER, SERVER_URL, serverDatabase, setFromFolder, summary, type TestDatabase } from "./harness.js";
import { postgresMigrations, projectFolder, RUNNERS_MISSING } from "./real-runners.js";

const dir = projectFolder("pgmig", {
  "migrations/0001_users.sql": "CREATE TABLE users (id bigint PRIMARY KEY);\n",
  "migrations/0002_posts.sql": "CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\n",
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const skip = !SERVER_URL ? NO_SERVER : RUNNERS_MISSING;

describe.skipIf(skip !== "")(`the real postgres-migrations${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let db: TestDatabase;
  const runMigrate = async () => {
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      return (await postgresMigrations().migrate({ client }, `${dir}/migrations`)).map((m) => m.fileName);
    } finally {
      await client.end();
    }
  };
  beforeAll(async () => {
    db = await serverDatabase("pgmig");
  });
  afterAll(async () => db?.close());

  it("migrate, read, un-record, migrate re-applies exactly that file", async () => {
    expect(await runMigrate()).toEqual(["0_create-migrations-table.sql", "0001_users.sql", "0002_posts.sql"]);
    const set = await setFromFolder(`${dir}/migrations`, "postgres-migrations");
    const state = await postgresMigrationsJournal.read(db.client, set, {});
    const rows = await db.client.query<{ id: number; name: string; hash: string }>("SELECT id, name, hash FROM migrations ORDER BY id");
    expect(rows.map((r) => r.name)).toEqual(["create-migrations-table", "users", "posts"]);
    expect(summary(state.entries)).toEqual([
      { id: "0001_users", recorded: "1", state: "applied", hash: rows[1]!.hash },
      { id: "0002_posts", recorded: "2", state: "applied", hash: rows[2]!.hash },
    ]);
    expect(set.migrations.map((m) => postgresMigrationsJournal.hashOf!(m))).toEqual([rows[1]!.hash, rows[2]!.hash]);

    await db.client.query("BEGIN");
    await db.client.query("DROP TABLE posts");
    for (const s of postgresMigrationsJournal.unrecordSql(state.entries[1]!, state, {})) await db.client.query(s.text, s.params);
    await db.client.query("COMMIT");
    expect(await runMigrate()).toEqual(["0002_posts.sql"]);
    expect(summary((await postgresMigrationsJournal.read(db.client, set, {})).entries).map((e) => e.recorded)).toEqual(["1", "2"]);
  });

  it("row 0 and the table are the package's", async () => {
    const [create, insert] = postgresMigrationsJournal.createSql({ schema: "ours" });
    await db.client.query("CREATE SCHEMA ours");
    await db.client.query(create!);
    await db.client.query(insert!);
    const row0 = "SELECT id, name, hash FROM %s WHERE id = 0";
    expect(await db.client.query(row0.replace("%s", "ours.migrations"))).toEqual(await db.client.query(row0.replace("%s", "public.migrations")));
    const columns = "SELECT column_name, data_type, character_maximum_length, is_nullable, column_default FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'migrations' ORDER BY ordinal_position";
    expect(await db.client.query(columns, ["ours"])).toEqual(await db.client.query(columns, ["public"]));
  });
});

/**
 * dbmate's journal against the real dbmate (npm `dbmate`, whose binary comes from `@dbmate/linux-x64`)
 * on PostgreSQL: `dbmate up`, read `schema_migrations` with the module, run the newest migration's down
 * section and the module's un-record in one transaction, check `dbmate status`, then `dbmate up` must
 * apply exactly that migration again. The table dbmate created must have the columns our DDL creates.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dbmateJournal } from "../../src/layout/dbmate-journal.js";
import { NO_SERVER, SERVER_URL, serverDatabase, setFromFolder, summary, type TestDatabase } from "./harness.js";
import { DBMATE, projectFolder, runner, RUNNERS_MISSING } from "./real-runners.js";

const dir = projectFolder("dbmate", {
  "db/migrations/20240101000000_users.sql": "-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY);\n\n-- migrate:down\nDROP TABLE users;\n",
  "db/migrations/20240201000000_posts.sql":
    "-- migrate:up\nCREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\n\n-- migrate:down\nDROP TABLE posts;\n",
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const skip = !SERVER_URL ? NO_SERVER : RUNNERS_MISSING;

describe.skipIf(skip !== "")(`the real dbmate${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let db: TestDatabase;
  let url: string;
  const dbmate = (...args: string[]) => runner(DBMATE, ["--url", url, "--migrations-dir", "db/migrations", "--no-dump-schema", ...args], {}, dir);
  beforeAll(async () => {
    db = await serverDatabase("dbmate");
    url = `${db.url!}?sslmode=disable`;
  });
  afterAll(async () => db?.close());

  it("up, read, down + un-record, status, up re-applies exactly that migration", async () => {
    const first = await dbmate("up");
    expect(first).toContain("Applying: 20240101000000_users.sql");
    expect(first).toContain("Applying: 20240201000000_posts.sql");
    const set = await setFromFolder(`${dir}/db/migrations`, "dbmate");
    const state = await dbmateJournal.read(db.client, set, {});
    expect(state.location).toEqual({ schema: "public", table: "schema_migrations" });
    expect(summary(state.entries)).toEqual([
      { id: "20240101000000_users", recorded: "20240101000000", state: "applied" },
      { id: "20240201000000_posts", recorded: "20240201000000", state: "applied" },
    ]);

    const newest = state.entries[1]!;
    const down = newest.migration!.down!;
    const downSql = down.regions!.map((r) => down.text.slice(r.start, r.end)).join("\n");
    await db.client.query("BEGIN");
    await db.client.query(downSql);
    for (const s of dbmateJournal.unrecordSql(newest, state, {})) await db.client.query(s.text, s.params);
    await db.client.query("COMMIT");
    const oursLeft = await db.client.query("SELECT version FROM schema_migrations ORDER BY version");

    const status = await dbmate("status");
    expect(status).toContain("[X] 20240101000000_users.sql");
    expect(status).toContain("[ ] 20240201000000_posts.sql");
    const again = await dbmate("up");
    expect(again).toContain("Applying: 20240201000000_posts.sql");
    expect(again).not.toContain("20240101000000_users.sql");
    expect(summary((await dbmateJournal.read(db.client, set, {})).entries).map((e) => e.recorded)).toEqual(["20240101000000", "20240201000000"]);

    // dbmate's own rollback leaves the journal exactly as our un-record did.
    expect(await dbmate("rollback")).toContain("Rolling back: 20240201000000_posts.sql");
    expect(await db.client.query("SELECT version FROM schema_migrations ORDER BY version")).toEqual(oursLeft);
    await dbmate("up");
  });

  it("the table dbmate creates is the one our DDL creates", async () => {
    const columns = "SELECT column_name, data_type, character_maximum_length, is_nullable FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'schema_migrations' ORDER BY ordinal_position";
    const key = "SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = to_regclass($1)";
    const theirs = await db.client.query(columns, ["public"]);
    const theirKey = await db.client.query(key, ["public.schema_migrations"]);
    await db.client.query("CREATE SCHEMA ours");
    for (const sql of dbmateJournal.createSql({ schema: "ours" })) await db.client.query(sql);
    expect(theirs).toEqual([{ column_name: "version", data_type: "character varying", character_maximum_length: null, is_nullable: "NO" }]);
    expect(await db.client.query(columns, ["ours"])).toEqual(theirs);
    expect(await db.client.query(key, ["ours.schema_migrations"])).toEqual(theirKey);
  });
});

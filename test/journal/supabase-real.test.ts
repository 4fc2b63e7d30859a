/**
 * The Supabase journal against the real Supabase CLI (npm `supabase`, whose binary comes from
 * `@supabase/cli-linux-x64`; `db push --db-url` needs no Docker) on PostgreSQL: `db push`, read
 * `supabase_migrations.schema_migrations` with the module (the statements must be the CLI's), drop the
 * newest migration's objects and un-record it, check `migration list`, then `db push` must apply exactly
 * that file again. The table the CLI made must have the columns our DDL makes.
 */
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadParser } from "../../src/parse/index.js";
import { supabaseJournal, supabaseStatements } from "../../src/layout/supabase-journal.js";
import { NO_SERVER, SERVER_URL, serverDatabase, setFromFolder, summary, type TestDatabase } from "./harness.js";
import { projectFolder, runner, RUNNERS_MISSING, SUPABASE } from "./real-runners.js";

const dir = projectFolder("supabase", {
  "supabase/migrations/20240101000000_users.sql": "CREATE TABLE users (id bigint PRIMARY KEY);\n",
  "supabase/migrations/20240201000000_posts.sql":
    "-- posts of a user\nCREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\nCREATE INDEX posts_user_idx ON posts (user_id);\n",
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const skip = !SERVER_URL ? NO_SERVER : RUNNERS_MISSING;

describe.skipIf(skip !== "")(`the real Supabase CLI${skip ? ` (skipped: ${skip})` : ""}`, () => {
  let db: TestDatabase;
  let url: string;
  const supabase = (...args: string[]) => runner(SUPABASE, [...args, "--db-url", url], { SUPABASE_TELEMETRY_DISABLED: "1", DO_NOT_TRACK: "1" }, dir);
  beforeAll(async () => {
    await loadParser();
    db = await serverDatabase("supabase");
    url = `${db.url!}?sslmode=disable`;
  });
  afterAll(async () => db?.close());

  it("db push, read, down + un-record, migration list, db push re-applies exactly that file", async () => {
    const first = await supabase("db", "push", "--yes");
    expect(first).toContain("Applying migration 20240101000000_users.sql");
    expect(first).toContain("Applying migration 20240201000000_posts.sql");
    const set = await setFromFolder(`${dir}/supabase/migrations`, "supabase");
    const stored = await db.client.query<{ version: string; name: string; statements: string[] }>(
      "SELECT version, name, statements FROM supabase_migrations.schema_migrations ORDER BY version",
    );
    // The statements our recordSql would store are the ones the CLI stored.
    expect(stored.map((r) => r.statements)).toEqual(set.migrations.map(supabaseStatements));
    const state = await supabaseJournal.read(db.client, set, {});
    expect(summary(state.entries)).toEqual([
      { id: "20240101000000_users", recorded: "20240101000000_users", state: "applied" },
      { id: "20240201000000_posts", recorded: "20240201000000_posts", state: "applied" },
    ]);

    await db.client.query("BEGIN");
    await db.client.query("DROP TABLE posts");
    for (const s of supabaseJournal.unrecordSql(state.entries[1]!, state, {})) await db.client.query(s.text, s.params);
    await db.client.query("COMMIT");
    const rows = "SELECT version, name, statements FROM supabase_migrations.schema_migrations ORDER BY version";
    const oursLeft = await db.client.query(rows);

    const list = await supabase("migration", "list");
    expect(list).toMatch(/`20240101000000` \| `20240101000000`/);
    expect(list).toMatch(/`20240201000000` \| ` ` +\|/); // local only: pending
    const again = await supabase("db", "push", "--yes");
    expect(again).toContain("Applying migration 20240201000000_posts.sql");
    expect(again).not.toContain("20240101000000_users.sql");
    expect(summary((await supabaseJournal.read(db.client, set, {})).entries).map((e) => e.recorded)).toEqual(["20240101000000_users", "20240201000000_posts"]);

    // The CLI's own `migration repair --status reverted` leaves the journal exactly as our un-record did.
    await supabase("migration", "repair", "--status", "reverted", "20240201000000", "--yes");
    expect(await db.client.query(rows)).toEqual(oursLeft);
  });

  it("the table the CLI creates is the one our DDL creates", async () => {
    const columns = "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'supabase_migrations' AND table_name = 'schema_migrations' ORDER BY ordinal_position";
    const theirs = await db.client.query(columns);
    await db.client.query("DROP SCHEMA supabase_migrations CASCADE");
    for (const sql of supabaseJournal.createSql({})) await db.client.query(sql);
    expect(await db.client.query(columns)).toEqual(theirs);
  });
});

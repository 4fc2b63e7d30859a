/**
 * authelia's `migrations` on PGlite, created with authelia's own DDL: a set discovered by the real layout
 * (authelia's folder-per-provider naming, a mysql file beside) is recorded, read back, un-recorded newest
 * first, and the rows are the ones authelia's SchemaVersion reads and its `storage migrate down` writes.
 * authelia itself does not install here, so the expected rows come from internal/storage (see the module).
 */
import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { autheliaJournal } from "../../src/layout/authelia-journal.js";
import { loadParser } from "../../src/parse/index.js";
import { TOOL_VERSION } from "../../src/meta.js";
import { pgliteDatabase, recordApplied, setFromTree, summary, unrecordNewest, type TestDatabase } from "./harness.js";

let db: TestDatabase;
beforeAll(async () => {
  await loadParser();
  db = await pgliteDatabase();
});
afterAll(async () => db?.close());
beforeEach(async () => {
  await db.client.query("DROP SCHEMA IF EXISTS public CASCADE");
  await db.client.query("CREATE SCHEMA public");
});

const DIR = "/repo/internal/storage/migrations/postgres";
const TREE = {
  [`${DIR}/V0001.Initial_Schema.up.sql`]: "CREATE TABLE user_preferences (id serial PRIMARY KEY, username varchar(100) NOT NULL);\n",
  [`${DIR}/V0001.Initial_Schema.down.sql`]: "DROP TABLE IF EXISTS user_preferences;\nDROP TABLE IF EXISTS migrations;\n",
  [`${DIR}/V0002.WebAuthn.up.sql`]: "CREATE TABLE webauthn_devices (id serial PRIMARY KEY, username varchar(100));\n",
  [`${DIR}/V0002.WebAuthn.down.sql`]: "DROP TABLE webauthn_devices;\n",
  [`${DIR}/V0002.WebAuthn.mysql.up.sql`]: "CREATE TABLE webauthn_devices (id int AUTO_INCREMENT PRIMARY KEY);\n",
  [`${DIR}/V0003.WebAuthnKIDLength.up.sql`]: "ALTER TABLE webauthn_devices ADD COLUMN kid varchar(512);\n",
  [`${DIR}/V0003.WebAuthnKIDLength.down.sql`]: "ALTER TABLE webauthn_devices DROP COLUMN kid;\n",
};

const APP = `migration-lint ${TOOL_VERSION}`;
const rows = () => db.client.query("SELECT id, version_before, version_after, application_version FROM migrations ORDER BY id");
const tableThere = async () => (await db.client.query<{ t: string | null }>("SELECT to_regclass('migrations')::text AS t"))[0]!.t !== null;

it("records (V-1, V) rows, reads every version up to the newest row's version_after, un-records with (V, V-1) rows", async () => {
  const set = await setFromTree(TREE, "authelia", DIR);
  expect(set.migrations.map((m) => m.id)).toEqual(["V0001.Initial_Schema", "V0002.WebAuthn", "V0003.WebAuthnKIDLength"]);
  await recordApplied(db, autheliaJournal, set);
  expect(await rows()).toEqual([
    { id: 1, version_before: 0, version_after: 1, application_version: APP },
    { id: 2, version_before: 1, version_after: 2, application_version: APP },
    { id: 3, version_before: 2, version_after: 3, application_version: APP },
  ]);
  const state = await autheliaJournal.read(db.client, set, {});
  expect(state.exists).toBe(true);
  expect(summary(state.entries)).toEqual([
    { id: "V0001.Initial_Schema", recorded: "1", state: "applied" },
    { id: "V0002.WebAuthn", recorded: "2", state: "applied" },
    { id: "V0003.WebAuthnKIDLength", recorded: "3", state: "applied" },
  ]);
  expect(state.entries.every((e) => e.appliedAt instanceof Date)).toBe(true);

  // Rolling back the newest: the row authelia's own down writes (Before = V, After = V-1).
  await unrecordNewest(db, autheliaJournal, set);
  expect((await rows()).at(-1)).toEqual({ id: 4, version_before: 3, version_after: 2, application_version: APP });
  expect((await autheliaJournal.read(db.client, set, {})).entries.map((e) => e.migration?.id)).toEqual(["V0001.Initial_Schema", "V0002.WebAuthn"]);
  await unrecordNewest(db, autheliaJournal, set);
  expect((await rows()).at(-1)).toMatchObject({ version_before: 2, version_after: 1 });

  // Version 1's down drops the table itself (authelia's V0001 down does): then no row is written, as authelia
  // writes none, and with the table gone nothing is applied.
  const state1 = await autheliaJournal.read(db.client, set, {});
  await db.client.query("BEGIN");
  await db.client.query(autheliaJournal.tableLock!.statement(state1.location).text);
  await db.client.query(set.migrations[0]!.down!.text);
  for (const s of autheliaJournal.unrecordSql(state1.entries[0]!, state1, {})) await db.client.query(s.text, s.params);
  await db.client.query("COMMIT");
  expect(await tableThere()).toBe(false);
  expect(await autheliaJournal.read(db.client, set, {})).toEqual({ location: { schema: "public", table: "migrations" }, exists: false, entries: [] });
});

it("a version-1 down that leaves the table gets a (1, 0) row, so the newest row says version 0", async () => {
  const set = await setFromTree(TREE, "authelia", DIR);
  await recordApplied(db, autheliaJournal, set, {}, 1);
  await unrecordNewest(db, autheliaJournal, set);
  expect(await rows()).toEqual([
    { id: 1, version_before: 0, version_after: 1, application_version: APP },
    { id: 2, version_before: 1, version_after: 0, application_version: APP },
  ]);
  expect((await autheliaJournal.read(db.client, set, {})).entries).toEqual([]);
});

it("no table: nothing applied; an empty table: nothing applied; a current version with no file is listed without one", async () => {
  const set = await setFromTree(TREE, "authelia", DIR);
  expect(await autheliaJournal.read(db.client, set, {})).toEqual({ location: { schema: "public", table: "migrations" }, exists: false, entries: [] });
  for (const sql of autheliaJournal.createSql({})) await db.client.query(sql);
  expect(await autheliaJournal.read(db.client, set, {})).toEqual({ location: { schema: "public", table: "migrations" }, exists: true, entries: [] });
  // A newer authelia migrated to 4, then this folder (which stops at 3) is read.
  await db.client.query("INSERT INTO migrations (applied, version_before, version_after, application_version) VALUES (now(), 0, 4, 'v4.38.0')");
  expect(summary((await autheliaJournal.read(db.client, set, {})).entries).map((e) => [e.id, e.recorded])).toEqual([
    ["V0001.Initial_Schema", "1"],
    ["V0002.WebAuthn", "2"],
    ["V0003.WebAuthnKIDLength", "3"],
    [null, "4"],
  ]);
});

it("the newest row is the highest id, whatever its time; a down of V means every version below V, folder gaps included", async () => {
  const tree = {
    [`${DIR}/V0001.Initial_Schema.up.sql`]: "CREATE TABLE a (id int);\n",
    [`${DIR}/V0002.Two.up.sql`]: "CREATE TABLE b (id int);\n",
    [`${DIR}/V0005.Five.up.sql`]: "CREATE TABLE c (id int);\n",
  };
  const set = await setFromTree(tree, "authelia", DIR);
  for (const sql of autheliaJournal.createSql({})) await db.client.query(sql);
  // authelia's own rows: up 0→5 in one run (three rows), then `storage migrate down --target 2`, whose
  // single down row carries an older timestamp (a client clock behind).
  await db.client.query(`INSERT INTO migrations (applied, version_before, version_after, application_version) VALUES
    (now(), 0, 1, 'v4.38.0'), (now(), 1, 2, 'v4.38.0'), (now(), 2, 5, 'v4.38.0'), (now() - interval '1 day', 5, 4, 'v4.38.0')`);
  const state = await autheliaJournal.read(db.client, set, {});
  expect(state.entries.map((e) => e.migration?.id)).toEqual(["V0001.Initial_Schema", "V0002.Two"]);
});

it("the table lock is the statement authelia runs, and holds inside a transaction", async () => {
  const loc = autheliaJournal.location({});
  expect(autheliaJournal.tableLock!.statement(loc).text).toBe("LOCK TABLE migrations IN ACCESS EXCLUSIVE MODE");
  expect(autheliaJournal.tableLock!.statement({ schema: "auth", table: "migrations" }).text).toBe("LOCK TABLE auth.migrations IN ACCESS EXCLUSIVE MODE");
  for (const sql of autheliaJournal.createSql({})) await db.client.query(sql);
  await db.client.query("BEGIN");
  await db.client.query(autheliaJournal.tableLock!.statement(loc).text);
  const held = await db.client.query<{ mode: string }>("SELECT mode FROM pg_locks WHERE locktype = 'relation' AND relation = 'migrations'::regclass AND granted");
  await db.client.query("COMMIT");
  expect(held.map((r) => r.mode)).toContain("AccessExclusiveLock");
});

/**
 * concourse's `migrations_history` on PGlite, created with concourse's own DDL: a set discovered by the
 * real layout (SQL migrations beside a Go one, two migrations sharing a version) is recorded, read back,
 * un-recorded newest first, and the rows are what concourse's CurrentVersion reads. concourse itself does
 * not install here, so the expected rows are the ones atc/db/migration/migration.go reads and writes.
 */
import { expect, it } from "vitest";
import { concourseJournal } from "../../src/layout/concourse-journal.js";
import { pgliteDatabase, recordApplied, setFromTree, summary, unrecordNewest, useDatabase } from "./harness.js";

const db = useDatabase(pgliteDatabase);

const TREE = {
  "/repo/migrations/1510262030_initial_schema.up.sql": "CREATE TABLE teams (id serial PRIMARY KEY, name text);\n",
  "/repo/migrations/1510262030_initial_schema.down.sql": "DROP TABLE teams;\n",
  "/repo/migrations/1626194317_add_team_auth.up.sql": "ALTER TABLE teams ADD COLUMN auth text;\n",
  "/repo/migrations/1626194317_add_team_auth.down.sql": "ALTER TABLE teams DROP COLUMN auth;\n",
  "/repo/migrations/1626194317_add_team_admin.up.sql": "ALTER TABLE teams ADD COLUMN admin boolean;\n",
  "/repo/migrations/1626194317_add_team_admin.down.sql": "ALTER TABLE teams DROP COLUMN admin;\n",
  "/repo/migrations/1700000000_add_team_slug.up.sql": "ALTER TABLE teams ADD COLUMN slug text;\n",
  "/repo/migrations/1700000000_add_team_slug.down.sql": "ALTER TABLE teams DROP COLUMN slug;\n",
};

const history = () => db.client.query("SELECT version::text AS version, direction, status, dirty FROM migrations_history ORDER BY tstamp");

it("records up rows, reads every migration up to the current version, un-records with down rows", async () => {
  const set = await setFromTree(TREE, "concourse", "/repo/migrations");
  expect(set.migrations.map((m) => m.version)).toEqual(["1510262030", "1626194317", "1626194317", "1700000000"]);
  await recordApplied(db, concourseJournal, set);
  expect((await history()).map((r) => [r.version, r.direction, r.status])).toEqual([
    ["1510262030", "up", "passed"],
    ["1626194317", "up", "passed"],
    ["1626194317", "up", "passed"],
    ["1700000000", "up", "passed"],
  ]);
  const state = await concourseJournal.read(db.client, set, {});
  expect(state.exists).toBe(true);
  expect(summary(state.entries).map((e) => e.recorded)).toEqual(["1510262030", "1626194317", "1626194317", "1700000000"]);

  // A failed attempt is history, not the current version (CurrentVersion skips status 'failed').
  await db.client.query("INSERT INTO migrations_history (version, tstamp, direction, status, dirty) VALUES (1800000000, clock_timestamp(), 'up', 'failed', false)");
  expect((await concourseJournal.read(db.client, set, {})).entries).toHaveLength(4);

  // Rolling back the newest: a down row for its version, as concourse's own down writes.
  await unrecordNewest(db, concourseJournal, set);
  expect((await history()).at(-1)).toEqual({ version: "1700000000", direction: "down", status: "passed", dirty: false });
  const after = await concourseJournal.read(db.client, set, {});
  expect(after.entries.map((e) => e.migration?.id)).toEqual(["1510262030_initial_schema", "1626194317_add_team_admin", "1626194317_add_team_auth"]);

  // The version two migrations share goes back as one: the current version is then the first.
  await unrecordNewest(db, concourseJournal, set);
  expect((await concourseJournal.read(db.client, set, {})).entries.map((e) => e.migration?.id)).toEqual(["1510262030_initial_schema"]);
  await unrecordNewest(db, concourseJournal, set);
  expect((await concourseJournal.read(db.client, set, {})).entries).toEqual([]);
});

it("no table: nothing applied; a current version with no file is listed without one", async () => {
  const set = await setFromTree(TREE, "concourse", "/repo/migrations");
  expect(await concourseJournal.read(db.client, set, {})).toEqual({ location: { schema: "public", table: "migrations_history" }, exists: false, entries: [] });
  for (const sql of concourseJournal.createSql({})) await db.client.query(sql);
  await db.client.query("INSERT INTO migrations_history (version, tstamp, direction, status, dirty) VALUES (1900000000, clock_timestamp(), 'up', 'passed', false)");
  expect(summary((await concourseJournal.read(db.client, set, {})).entries).map((e) => [e.id, e.recorded])).toEqual([
    ["1510262030_initial_schema", "1510262030"],
    ["1626194317_add_team_admin", "1626194317"],
    ["1626194317_add_team_auth", "1626194317"],
    ["1700000000_add_team_slug", "1700000000"],
    [null, "1900000000"],
  ]);
});

it("a row it writes is the newest even after a row from a clock ahead of this one (or within one tick)", async () => {
  const set = await setFromTree(TREE, "concourse", "/repo/migrations");
  for (const sql of concourseJournal.createSql({})) await db.client.query(sql);
  // Another host whose clock runs an hour ahead applied the first migration.
  await db.client.query("INSERT INTO migrations_history (version, tstamp, direction, status, dirty) VALUES (1510262030, clock_timestamp() + interval '1 hour', 'up', 'passed', false)");
  for (const m of set.migrations.slice(1)) {
    for (const s of concourseJournal.recordSql(m, set, {})) await db.client.query(s.text, s.params);
  }
  expect(summary((await concourseJournal.read(db.client, set, {})).entries).map((e) => e.recorded)).toEqual(["1510262030", "1626194317", "1626194317", "1700000000"]);
  const stamps = (await db.client.query<{ t: string }>("SELECT tstamp::text AS t FROM migrations_history ORDER BY tstamp")).map((r) => r.t);
  expect(new Set(stamps).size).toBe(stamps.length);
});

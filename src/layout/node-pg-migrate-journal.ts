/**
 * node-pg-migrate's journal: `pgmigrations` (`--migrations-table` / `--migrations-schema`: config keys
 * `journal.table` / `journal.schema`), one row per applied migration: serial id, the file name without
 * its extension, and `run_on`. Source: node-pg-migrate 9.0 `dist/bundle/index.js`:
 * `ensureMigrationsTable` (the DDL below verbatim), `Migration._getMarkAsRun` (the INSERT on up,
 * `DELETE … WHERE name='…'` on down, in the migration's transaction), `getRunMigrations` (applied =
 * the names ordered by `run_on, id`), and `lock` (`pg_try_advisory_lock(7241865325823964)`, failing
 * with "Another migration is already running" in the default advisory lock mode `fail`; `wait` blocks in
 * `pg_advisory_lock`). node-pg-migrate keeps no hash.
 *
 * Tested against the real node-pg-migrate in test/live/ts-runners-server.test.ts.
 */
import type { JournalLocation, JournalSettings, JournalState, RunnerJournal, SqlClient } from "./journal.js";
import { alwaysQuoted, asDate, entryFor, indexBy, locate, tableExists } from "./journal-support.js";
import type { MigrationSet } from "./types.js";

const location = (settings: JournalSettings) => locate(settings, "public", "pgmigrations");

function qualified(loc: JournalLocation): string {
  return `${alwaysQuoted(loc.schema)}.${alwaysQuoted(loc.table)}`;
}

export const nodePgMigrateJournal: RunnerJournal = {
  runner: "node-pg-migrate",
  layouts: ["node-pg-migrate"],
  location,
  createSql: (settings) => [`CREATE TABLE ${qualified(location(settings))} (id SERIAL PRIMARY KEY, name varchar(255) NOT NULL, run_on timestamp NOT NULL)`],
  recordSql: (migration, _set, settings) => [{ text: `INSERT INTO ${qualified(location(settings))} (name, run_on) VALUES ($1, NOW())`, params: [migration.id] }],
  async read(client: SqlClient, set: MigrationSet, settings: JournalSettings): Promise<JournalState> {
    const loc = location(settings);
    if (!(await tableExists(client, loc))) return { location: loc, exists: false, entries: [] };
    const rows = await client.query<{ id: number; name: string; run_on: unknown }>(`SELECT id, name, run_on FROM ${qualified(loc)} ORDER BY run_on, id`);
    const byName = indexBy(set, (m) => m.id);
    return { location: loc, exists: true, entries: rows.map((r) => entryFor(byName.get(r.name), r.name, { appliedAt: asDate(r.run_on) })) };
  },
  unrecordSql: (entry, _state, settings) => [{ text: `DELETE FROM ${qualified(location(settings))} WHERE name = $1`, params: [entry.recorded] }],
  lock: {
    key: () => 7241865325823964n,
    mode: "try",
    source: "node-pg-migrate runner lock: pg_try_advisory_lock(7241865325823964) (advisoryLockMode fail; wait uses pg_advisory_lock)",
  },
  ownedObjects: (settings) => {
    const loc = location(settings);
    return { schemas: [], relations: [`${loc.schema}.${loc.table}`, `${loc.schema}.${loc.table}_id_seq`, `${loc.schema}.${loc.table}_pkey`] };
  },
};

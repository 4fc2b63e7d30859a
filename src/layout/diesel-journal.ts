/**
 * diesel's journal: `__diesel_schema_migrations`, one row per applied migration, keyed by the version
 * (the folder name up to its first `_`, dashes removed). Sources: diesel_migrations
 * `setup_migration_table.sql` (the DDL below, verbatim) and `migration_harness.rs` (`run_migration`
 * inserts the version, `revert_migration` runs down.sql and deletes the row in the same transaction).
 * diesel keeps no hash and takes no advisory lock.
 *
 * diesel itself is a Rust crate with no npm/Debian build here: tested against its DDL only
 * (docs/rollback-runners.md).
 */
import type { JournalSettings, RunnerJournal, SqlClient } from "./journal.js";
import { asDate, entryFor, indexBy, locate, quotedIfNeeded, tableExists } from "./journal-support.js";
import type { MigrationSet } from "./types.js";

const TABLE = "__diesel_schema_migrations";

function table(settings: JournalSettings): string {
  const loc = locate(settings, "public", TABLE);
  // diesel names the table unqualified: it lives in the connection's current schema.
  return loc.schema === "public" ? quotedIfNeeded(loc.table) : `${quotedIfNeeded(loc.schema)}.${quotedIfNeeded(loc.table)}`;
}

export const dieselJournal: RunnerJournal = {
  runner: "diesel",
  layouts: ["diesel"],
  location: (settings) => locate(settings, "public", TABLE),
  createSql: (settings) => [
    `CREATE TABLE IF NOT EXISTS ${table(settings)} (
       version VARCHAR(50) PRIMARY KEY NOT NULL,
       run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);`,
  ],
  recordSql: (migration, _set, settings) => [{ text: `INSERT INTO ${table(settings)} (version) VALUES ($1)`, params: [migration.version] }],
  async read(client: SqlClient, set: MigrationSet, settings: JournalSettings) {
    const location = locate(settings, "public", TABLE);
    if (!(await tableExists(client, location))) return { location, exists: false, entries: [] };
    const rows = await client.query<{ version: string; run_on: unknown }>(`SELECT version, run_on FROM ${table(settings)} ORDER BY version`);
    const byVersion = indexBy(set, (m) => m.version);
    const entries = rows.map((r) => entryFor(byVersion.get(r.version), r.version, { appliedAt: asDate(r.run_on) }));
    return { location, exists: true, entries };
  },
  unrecordSql: (entry, _state, settings) => [{ text: `DELETE FROM ${table(settings)} WHERE version = $1`, params: [entry.recorded] }],
  ownedObjects: (settings) => {
    const loc = locate(settings, "public", TABLE);
    // The table and its primary-key index: every pg_class relation the DDL makes.
    return { schemas: [], relations: [`${loc.schema}.${loc.table}`, `${loc.schema}.${loc.table}_pkey`] };
  },
};

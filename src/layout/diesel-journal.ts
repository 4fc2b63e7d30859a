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
import { asDate, entryFor, inCurrentSchema, locate, readVersionRows, tableWithPrimaryKey } from "./journal-support.js";
import type { MigrationSet } from "./types.js";

const TABLE = "__diesel_schema_migrations";

function table(settings: JournalSettings): string {
  // diesel names the table unqualified: it lives in the connection's current schema.
  return inCurrentSchema(locate(settings, "public", TABLE));
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
  read: (client: SqlClient, set: MigrationSet, settings: JournalSettings) =>
    readVersionRows<{ version: string; run_on: unknown }>(client, set, {
      location: locate(settings, "public", TABLE),
      select: `SELECT version, run_on FROM ${table(settings)} ORDER BY version`,
      entry: (r, migration) => entryFor(migration, r.version, { appliedAt: asDate(r.run_on) }),
    }),
  unrecordSql: (entry, _state, settings) => [{ text: `DELETE FROM ${table(settings)} WHERE version = $1`, params: [entry.recorded] }],
  ownedObjects: (settings) => tableWithPrimaryKey(locate(settings, "public", TABLE)),
};

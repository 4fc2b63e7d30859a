/**
 * pop / ory popx's journal: `schema_migration`, one row per applied migration, keyed by the version (the
 * file name's leading number). popx (kratos, hydra, keto) creates it with a wider version and a
 * `version_self` column it uses to migrate the table itself. Source: ory/x `popx/migrator.go`
 * (`createTransactionalMigrationTable`: the three statements below verbatim; `Up` inserts
 * `(version)`; `Down` runs the down and `DELETE FROM … WHERE version = ?` in one transaction). pop keeps
 * no hash and takes no advisory lock.
 *
 * pop/popx are Go libraries with no npm/Debian build here: tested against their DDL only
 * (docs/rollback-runners.md).
 */
import type { JournalLocation, JournalSettings, JournalState, RunnerJournal, SqlClient } from "./journal.js";
import { inCurrentSchema, locate, readVersionRows } from "./journal-support.js";
import type { MigrationSet } from "./types.js";

const location = (settings: JournalSettings) => locate(settings, "public", "schema_migration");

const qualified = (loc: JournalLocation) => inCurrentSchema(loc);

export const popJournal: RunnerJournal = {
  runner: "pop",
  layouts: ["pop"],
  location,
  createSql: (settings) => {
    const loc = location(settings);
    const table = qualified(loc);
    return [
      `CREATE TABLE ${table} (version VARCHAR (48) NOT NULL, version_self INT NOT NULL DEFAULT 0)`,
      `CREATE UNIQUE INDEX ${loc.table}_version_idx ON ${table} (version)`,
      `CREATE INDEX ${loc.table}_version_self_idx ON ${table} (version_self)`,
    ];
  },
  recordSql: (migration, _set, settings) => [{ text: `INSERT INTO ${qualified(location(settings))} (version) VALUES ($1)`, params: [migration.version] }],
  read(client: SqlClient, set: MigrationSet, settings: JournalSettings): Promise<JournalState> {
    const loc = location(settings);
    return readVersionRows(client, set, { location: loc, select: `SELECT version FROM ${qualified(loc)} ORDER BY version` });
  },
  unrecordSql: (entry, _state, settings) => [{ text: `DELETE FROM ${qualified(location(settings))} WHERE version = $1`, params: [entry.recorded] }],
  ownedObjects: (settings) => {
    const loc = location(settings);
    return { schemas: [], relations: [`${loc.schema}.${loc.table}`, `${loc.schema}.${loc.table}_version_idx`, `${loc.schema}.${loc.table}_version_self_idx`] };
  },
};

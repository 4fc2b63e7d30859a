/**
 * dbmate's journal: `schema_migrations` (`--migrations-table`, optionally `schema.table`) in the first
 * schema of the URL's `search_path`, else the current schema; one row per applied migration, keyed by
 * the file's numeric version. Source: dbmate `pkg/driver/postgres/postgres.go` (`CreateMigrationsTable`,
 * `InsertMigration`, `DeleteMigration`: the statements below verbatim; names quoted by the server's
 * `quote_ident`). The DDL is dbmate 2.36's (`version varchar primary key`, as the npm binary runs it);
 * older releases wrote `varchar(255)`, which reads the same. `dbmate rollback` runs the newest migration's down section and deletes its row in one
 * transaction. dbmate keeps no hash and takes no advisory lock.
 *
 * Tested against the real dbmate binary (npm `dbmate`) in test/journal/dbmate-real.test.ts.
 */
import type { JournalLocation, JournalSettings, JournalState, RunnerJournal, SqlClient } from "./journal.js";
import { locate, quotedIfNeeded, readVersionRows, tableWithPrimaryKey } from "./journal-support.js";
import type { MigrationSet } from "./types.js";

const location = (settings: JournalSettings) => locate(settings, "public", "schema_migrations");

function qualified(loc: JournalLocation): string {
  return `${quotedIfNeeded(loc.schema)}.${quotedIfNeeded(loc.table)}`;
}

export const dbmateJournal: RunnerJournal = {
  runner: "dbmate",
  layouts: ["dbmate"],
  location,
  createSql: (settings) => [`create table if not exists ${qualified(location(settings))} (version varchar primary key)`],
  recordSql: (migration, _set, settings) => [{ text: `insert into ${qualified(location(settings))} (version) values ($1)`, params: [migration.version] }],
  read(client: SqlClient, set: MigrationSet, settings: JournalSettings): Promise<JournalState> {
    const loc = location(settings);
    // dbmate orders by version (it keeps no applied-at time), as `dbmate status` lists them.
    return readVersionRows(client, set, { location: loc, select: `select version from ${qualified(loc)} order by version` });
  },
  unrecordSql: (entry, _state, settings) => [{ text: `delete from ${qualified(location(settings))} where version = $1`, params: [entry.recorded] }],
  ownedObjects: (settings) => tableWithPrimaryKey(location(settings)),
};

/**
 * TypeORM's journal: `migrations` (the data source's `migrationsTableName`, config key `journal.table`)
 * in the connection's schema, one row per applied migration: a serial id, the timestamp (the last 13
 * characters of the class name) and the class name (`CreateUsers1700000000000`). Source: typeorm 1.1
 * `migration/MigrationExecutor.js`: `createMigrationsTableIfNotExist` (the DDL below, as its Table
 * builder renders it on PostgreSQL: `migrationId` int4 → SERIAL, `migrationTimestamp` int8,
 * `migrationName` varchar, the primary key named by `DefaultNamingStrategy.primaryKeyName`),
 * `insertExecutedMigration`, `loadExecutedMigrations` (ordered by id; a migration is applied when a row
 * has its class name) and `deleteExecutedMigration` (`DELETE … WHERE "timestamp" = $1 AND "name" = $2`);
 * `undoLastMigration` reverts the row with the highest id. TypeORM keeps no hash and takes no lock on
 * PostgreSQL: nothing stops a `migration:run` started during a rollback but migration-lint's re-read of
 * the journal under its own lock.
 *
 * Tested against the real TypeORM in test/live/ts-runners-server.test.ts.
 */
import type { JournalLocation, JournalSettings, JournalState, RunnerJournal, SqlClient } from "./journal.js";
import { alwaysQuoted, entryFor, indexBy, locate, sha1Hex, tableExists } from "./journal-support.js";
import type { Migration, MigrationSet } from "./types.js";

const location = (settings: JournalSettings) => locate(settings, "public", "migrations");

function qualified(loc: JournalLocation): string {
  return `${alwaysQuoted(loc.schema)}.${alwaysQuoted(loc.table)}`;
}

/**
 * The class name TypeORM records: the layout keeps the name without its 13-digit timestamp and the
 * timestamp as the version, so the two side by side are the class name again.
 */
export function typeormClassName(m: Migration): string {
  return /^\d{13}$/.test(m.version) && m.name !== m.id ? `${m.name}${m.version}` : m.name;
}

/** `PK_` + the first 27 hex digits of sha1(`<table path with . as _>_id`), TypeORM's DefaultNamingStrategy. */
function primaryKeyName(loc: JournalLocation): string {
  const path = loc.schema === "public" ? loc.table : `${loc.schema}_${loc.table}`;
  return `PK_${sha1Hex(`${path}_id`).slice(0, 27)}`;
}

export const typeormJournal: RunnerJournal = {
  runner: "typeorm",
  layouts: ["typeorm"],
  location,
  createSql: (settings) => {
    const loc = location(settings);
    return [
      `CREATE TABLE ${qualified(loc)} ("id" SERIAL NOT NULL, "timestamp" bigint NOT NULL, "name" character varying NOT NULL, CONSTRAINT ${alwaysQuoted(primaryKeyName(loc))} PRIMARY KEY ("id"))`,
    ];
  },
  recordSql: (migration, _set, settings) => [
    { text: `INSERT INTO ${qualified(location(settings))}("timestamp", "name") VALUES ($1, $2)`, params: [migration.version, typeormClassName(migration)] },
  ],
  async read(client: SqlClient, set: MigrationSet, settings: JournalSettings): Promise<JournalState> {
    const loc = location(settings);
    if (!(await tableExists(client, loc))) return { location: loc, exists: false, entries: [] };
    const rows = await client.query<{ id: number; timestamp: string; name: string }>(`SELECT "id", "timestamp"::text AS "timestamp", "name" FROM ${qualified(loc)} ORDER BY "id"`);
    const byName = indexBy(set, typeormClassName);
    return {
      location: loc,
      exists: true,
      // The timestamp is the migration's (from its class name), not when it ran: TypeORM keeps no applied-at time.
      entries: rows.map((r) => entryFor(byName.get(r.name), r.name)),
    };
  },
  unrecordSql: (entry, _state, settings) => {
    // The row's own timestamp: the class name ends with it (TypeORM refuses a class name that does not).
    const timestamp = /(\d{13})$/.exec(entry.recorded)?.[1] ?? entry.migration?.version ?? "0";
    return [{ text: `DELETE FROM ${qualified(location(settings))} WHERE "timestamp" = $1 AND "name" = $2`, params: [timestamp, entry.recorded] }];
  },
  ownedObjects: (settings) => {
    const loc = location(settings);
    return { schemas: [], relations: [`${loc.schema}.${loc.table}`, `${loc.schema}.${loc.table}_id_seq`, `${loc.schema}.${primaryKeyName(loc)}`] };
  },
};

/**
 * Kysely's journal: `kysely_migration` (the Migrator's `migrationTableName` / `migrationTableSchema`:
 * config keys `journal.table` / `journal.schema`) with its lock table `kysely_migration_lock` beside it
 * (`migrationLockTableName`: config key `journal.lockTable`), one row per applied migration: the
 * migration's name (the file name without its extension, as FileMigrationProvider keys it) and the
 * time it ran as an ISO string. Source: kysely 0.28 `migration/migrator.js`
 * (`#ensureMigrationTableExists`, `#ensureMigrationLockTableExists`, `#ensureLockRowExists`: the DDL
 * below as Kysely compiles it; `#getExecutedMigrations` orders by the timestamp, then by name;
 * `#migrateDown` runs the down and deletes the row by name in the Migrator's transaction) and
 * `dialect/postgres/postgres-adapter.js`: on PostgreSQL the lock is NOT the lock table's row but
 * `pg_advisory_lock(3853314791062309107)`, held for the whole run. Kysely keeps no hash.
 *
 * Tested against the real Kysely in test/live/ts-runners-server.test.ts.
 */
import type { JournalEntry, JournalLocation, JournalSettings, JournalState, RunnerJournal, SqlClient } from "./journal.js";
import { alwaysQuoted, entryFor, indexBy, locate, tableExists } from "./journal-support.js";
import type { MigrationSet } from "./types.js";

const location = (settings: JournalSettings) => locate(settings, "public", "kysely_migration");
const lockLocation = (settings: JournalSettings): JournalLocation => ({ schema: location(settings).schema, table: settings.lockTable ?? "kysely_migration_lock" });
const LOCK_ROW = "migration_lock";

function qualified(loc: JournalLocation): string {
  return `${alwaysQuoted(loc.schema)}.${alwaysQuoted(loc.table)}`;
}

export const kyselyJournal: RunnerJournal = {
  runner: "kysely",
  layouts: ["kysely"],
  location,
  createSql: (settings) => [
    `create table if not exists ${qualified(location(settings))} ("name" varchar(255) not null primary key, "timestamp" varchar(255) not null)`,
    `create table if not exists ${qualified(lockLocation(settings))} ("id" varchar(255) not null primary key, "is_locked" integer default 0 not null)`,
    `insert into ${qualified(lockLocation(settings))} ("id", "is_locked") values ('${LOCK_ROW}', 0)`,
  ],
  recordSql: (migration, _set, settings) => [
    { text: `insert into ${qualified(location(settings))} ("name", "timestamp") values ($1, to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))`, params: [migration.id] },
  ],
  async read(client: SqlClient, set: MigrationSet, settings: JournalSettings): Promise<JournalState> {
    const loc = location(settings);
    if (!(await tableExists(client, loc))) return { location: loc, exists: false, entries: [] };
    const rows = await client.query<{ name: string; timestamp: string }>(`select "name", "timestamp" from ${qualified(loc)}`);
    // Kysely's own order (kysely issue 843): by the time each ran, then by name, compared as JavaScript does.
    rows.sort((a, b) => (a.timestamp === b.timestamp ? a.name.localeCompare(b.name) : new Date(a.timestamp).getTime() - new Date(b.timestamp).getTime()));
    const byName = indexBy(set, (m) => m.id);
    const entries: JournalEntry[] = rows.map((r) => entryFor(byName.get(r.name), r.name, { appliedAt: new Date(r.timestamp) }));
    return { location: loc, exists: true, entries };
  },
  unrecordSql: (entry, _state, settings) => [{ text: `delete from ${qualified(location(settings))} where "name" = $1`, params: [entry.recorded] }],
  lock: {
    key: () => 3853314791062309107n,
    mode: "wait",
    source: "kysely dialect/postgres/postgres-adapter.js acquireMigrationLock: pg_advisory_lock(3853314791062309107), lock_timeout 1 h",
  },
  ownedObjects: (settings) => {
    const loc = location(settings);
    const lock = lockLocation(settings);
    // The tables and their primary-key indexes: every pg_class relation the DDL makes.
    const tables = [loc, lock].map((t) => `${t.schema}.${t.table}`);
    return { schemas: [], relations: [...tables, ...tables.map((t) => `${t}_pkey`)] };
  },
};

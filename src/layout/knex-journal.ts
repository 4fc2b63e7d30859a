/**
 * knex's journal: `knex_migrations` (`migrations.tableName` / `schemaName`: config keys `journal.table` /
 * `journal.schema`) in the connection's schema, one row per applied migration: serial id, the file
 * name WITH its extension (`20240101000000_create_orders.js`), the batch number of the
 * `migrate:latest` that applied it and `migration_time`; beside it `<table>_lock` holding one row whose
 * `is_locked` is knex's lock. Sources (knex 3.3 `lib/migrations/migrate/`): `table-creator.js` (the
 * DDL below as knex compiles it on PostgreSQL, and the lock row insert), `Migrator.js`
 * (`_waterfallBatch`: insert with the batch on up, `.where({ name }).del()` on down; `_lockMigrations`:
 * `update … set is_locked = 1 where is_locked = 0`, "Migration table is already locked" when no row
 * changes, inside the batch's transaction; `_freeLock` sets it back to 0), `migration-list-resolver.js`
 * (applied = the names ordered by id).
 *
 * knex's own rollback unit is the batch: `migrate:rollback` undoes every migration of the newest batch,
 * `migrate:down` the newest one. `rollback --steps N` counts rows (newest id first), so `--steps 1` is
 * `migrate:down` and `--steps <size of the newest batch>` is `migrate:rollback`; `status` shows each
 * row's batch. A partly rolled-back batch is what `migrate:down` leaves too: knex re-applies the
 * migrations in a new batch.
 *
 * Tested against the real knex in test/live/ts-runners-server.test.ts.
 */
import type { JournalEntry, JournalLocation, JournalSettings, JournalState, RowLock, RunnerJournal, SqlClient } from "./journal.js";
import { alwaysQuoted, asDate, entryFor, fileNameOf, indexBy, locate, tableExists } from "./journal-support.js";
import type { MigrationSet } from "./types.js";

const location = (settings: JournalSettings) => locate(settings, "public", "knex_migrations");

function qualified(loc: JournalLocation): string {
  return `${alwaysQuoted(loc.schema)}.${alwaysQuoted(loc.table)}`;
}

/** knex's `getLockTableName`: the journal's name with `_lock`, in the same schema. */
const lockTable = (loc: JournalLocation): JournalLocation => ({ schema: loc.schema, table: `${loc.table}_lock` });

const rowLock: RowLock = {
  table: lockTable,
  takeSql: (loc) => ({ text: `update ${qualified(lockTable(loc))} set "is_locked" = 1 where "is_locked" = 0 returning "is_locked"` }),
  releaseSql: (loc) => ({ text: `update ${qualified(lockTable(loc))} set "is_locked" = 0` }),
  source: "knex lib/migrations/migrate/Migrator.js _lockMigrations: update <table>_lock set is_locked = 1 where is_locked = 0 (a held lock fails knex's migrate with \"Migration table is already locked\"; `knex migrate:unlock` frees a stale one)",
};

export const knexJournal: RunnerJournal = {
  runner: "knex",
  layouts: ["knex"],
  location,
  createSql: (settings) => {
    const loc = location(settings);
    return [
      `create table ${qualified(loc)} ("id" serial primary key, "name" varchar(255), "batch" integer, "migration_time" timestamptz)`,
      `create table ${qualified(lockTable(loc))} ("index" serial primary key, "is_locked" integer)`,
      `insert into ${qualified(lockTable(loc))} ("is_locked") values (0)`,
    ];
  },
  // Each recorded migration as a batch of its own (tests and verify record them one by one).
  recordSql: (migration, _set, settings) => {
    const table = qualified(location(settings));
    return [{ text: `insert into ${table} ("batch", "migration_time", "name") values ((select coalesce(max("batch"), 0) + 1 from ${table}), now(), $1)`, params: [fileNameOf(migration.up.path)] }];
  },
  async read(client: SqlClient, set: MigrationSet, settings: JournalSettings): Promise<JournalState> {
    const loc = location(settings);
    if (!(await tableExists(client, loc))) return { location: loc, exists: false, entries: [] };
    const rows = await client.query<{ id: number; name: string; batch: number | null; migration_time: unknown }>(
      `select "id", "name", "batch", "migration_time" from ${qualified(loc)} order by "id" asc`,
    );
    const byFile = indexBy(set, (m) => fileNameOf(m.up.path));
    // A project migrated from its compiled `.js` files records names the `.ts` folder has under another extension.
    const byStem = indexBy(set, (m) => m.id);
    const entries: JournalEntry[] = rows.map((r) =>
      entryFor(byFile.get(r.name) ?? byStem.get(r.name.replace(/\.[^.]+$/, "")), r.name, { appliedAt: asDate(r.migration_time), ...(r.batch !== null ? { detail: `batch ${r.batch}` } : {}) }),
    );
    return { location: loc, exists: true, entries };
  },
  unrecordSql: (entry, _state, settings) => [{ text: `delete from ${qualified(location(settings))} where "name" = $1`, params: [entry.recorded] }],
  rowLock,
  ownedObjects: (settings) => {
    const loc = location(settings);
    const lock = lockTable(loc);
    return {
      schemas: [],
      relations: [loc, lock].flatMap((t) => [`${t.schema}.${t.table}`, `${t.schema}.${t.table}_pkey`]).concat(`${loc.schema}.${loc.table}_id_seq`, `${lock.schema}.${lock.table}_index_seq`),
    };
  },
};

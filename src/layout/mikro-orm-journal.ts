/**
 * MikroORM's journal: `mikro_orm_migrations` (`migrations.tableName`, which may be `schema.table`: config
 * keys `journal.schema` / `journal.table`) in the configured schema, one row per applied migration: a
 * serial id, the migration's name (its file name without `.ts`/`.js`, or the `migrationsList` name) and
 * `executed_at`. Source: @mikro-orm/migrations 6.6 `MigrationStorage.js`: `ensureTable` (knex's
 * `increments()`, `string('name')`, `dateTime('executed_at').defaultTo(now())`, rendered on PostgreSQL as
 * the DDL below), `logMigration`, `getExecutedMigrations` (ordered by id) and `unlogMigration`, which
 * deletes the name with and without `.js` / `.ts` (older releases stored the extension): the
 * un-record below does the same. MikroORM keeps no hash and takes no lock (umzug's Migrator has
 * none): a concurrent `migration:up` is kept out only by migration-lint re-reading the journal under
 * its own lock.
 *
 * Tested against the real MikroORM in test/live/ts-runners-server.test.ts.
 */
import type { JournalLocation, JournalSettings, JournalState, RunnerJournal, SqlClient } from "./journal.js";
import { alwaysQuoted, asDate, entryFor, indexBy, locate, tableExists } from "./journal-support.js";
import type { MigrationSet } from "./types.js";

const location = (settings: JournalSettings) => locate(settings, "public", "mikro_orm_migrations");

function qualified(loc: JournalLocation): string {
  return `${alwaysQuoted(loc.schema)}.${alwaysQuoted(loc.table)}`;
}

/** `getMigrationName`: the name without a `.js` / `.ts` extension. */
function withoutExtension(name: string): string {
  return name.replace(/\.(?:js|ts)$/, "");
}

export const mikroOrmJournal: RunnerJournal = {
  runner: "mikro-orm",
  layouts: ["mikro-orm"],
  location,
  createSql: (settings) => [
    `create table ${qualified(location(settings))} ("id" serial primary key, "name" varchar(255), "executed_at" timestamptz default CURRENT_TIMESTAMP)`,
  ],
  recordSql: (migration, _set, settings) => [{ text: `insert into ${qualified(location(settings))} ("name") values ($1)`, params: [migration.id] }],
  async read(client: SqlClient, set: MigrationSet, settings: JournalSettings): Promise<JournalState> {
    const loc = location(settings);
    if (!(await tableExists(client, loc))) return { location: loc, exists: false, entries: [] };
    const rows = await client.query<{ id: number; name: string; executed_at: unknown }>(`select "id", "name", "executed_at" from ${qualified(loc)} order by "id" asc`);
    const byName = indexBy(set, (m) => m.id);
    return { location: loc, exists: true, entries: rows.map((r) => entryFor(byName.get(withoutExtension(r.name)), r.name, { appliedAt: asDate(r.executed_at) })) };
  },
  unrecordSql: (entry, _state, settings) => {
    const name = withoutExtension(entry.recorded);
    return [{ text: `delete from ${qualified(location(settings))} where "name" in ($1, $2, $3, $4)`, params: [entry.recorded, name, `${name}.js`, `${name}.ts`] }];
  },
  ownedObjects: (settings) => {
    const loc = location(settings);
    return { schemas: [], relations: [`${loc.schema}.${loc.table}`, `${loc.schema}.${loc.table}_id_seq`, `${loc.schema}.${loc.table}_pkey`] };
  },
};

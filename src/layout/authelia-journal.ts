/**
 * authelia's journal: `migrations` in the storage schema (`storage.postgres.schema`, default `public`,
 * which authelia sets as the connection's `search_path`), an append-only history with one row per
 * migration run: (id serial, applied, version_before, version_after, application_version).
 *
 * Sources, repository authelia/authelia:
 * - `internal/storage/migrations/V0001.Initial_Schema.postgres.up.sql`: the DDL below verbatim (authelia
 *   creates its journal in its own first migration, not beside it; `V0001.Initial_Schema.all.down.sql`
 *   drops it again).
 * - `internal/storage/sql_provider_queries.go`: `queryFmtSelectLatestMigration` (`… ORDER BY id DESC
 *   LIMIT 1`) and `queryFmtInsertMigration` (`INSERT INTO migrations (applied, version_before,
 *   version_after, application_version)`).
 * - `internal/storage/sql_provider_schema.go`: `SchemaVersion` (no table in the schema: version 0; the
 *   `migrations` table: the newest row's `version_after`), `schemaMigrateFinalize` (after each migration,
 *   in the same transaction on PostgreSQL, a row `time.Now(), Before(), After(), utils.Version()`; none
 *   for the down of version 1, whose file dropped the table), `schemaMigrateLock`.
 * - `internal/model/schema_migration.go`: an up of version V is Before = V-1, After = V; a down of V is
 *   Before = V, After = V-1 (arithmetic, not the folder's previous version).
 * So every migration whose version is at most the newest row's `version_after` counts as applied, and
 * un-recording one is the row authelia's own `storage migrate down` writes for it: (V, V-1). Rows are
 * ordered by `id`, never by time, so several rows in one transaction need no clock tricks.
 *
 * The lock: on PostgreSQL `SchemaMigrate` runs `LOCK TABLE migrations IN ACCESS EXCLUSIVE MODE`
 * (`schemaMigrateLock` with `queryFmtPostgreSQLLockTable` = `LOCK TABLE %s IN %s MODE;`, a constant of
 * internal/storage beside `queryFmtRenameTable`) inside its migration transaction: before the first
 * migration when the schema is not at version 0, else after the first one (which made the table). No
 * advisory key. Older releases (before `schemaMigrateLock`) take no lock at all. A rollback takes the
 * same table lock first in each part's transaction, so a starting authelia queues behind it (even its
 * SchemaVersion read of the table waits: ACCESS EXCLUSIVE conflicts with every other lock).
 *
 * authelia is a Go program with no npm/Debian build here: tested against its DDL only
 * (test/journal/authelia-journal.test.ts, docs/rollback-runners.md).
 */
import { TOOL_NAME, TOOL_VERSION } from "../meta.js";
import type { JournalEntry, JournalLocation, JournalSettings, JournalState, RunnerJournal, SqlClient, Statement } from "./journal.js";
import { asDate, entryFor, inCurrentSchema, integerKey, locate, tableExists, tableWithPrimaryKey } from "./journal-support.js";
import type { Migration } from "./types.js";

const location = (settings: JournalSettings) => locate(settings, "public", "migrations");
// authelia names its tables unqualified: they live in the schema its search_path names.
const qualified = (loc: JournalLocation) => inCurrentSchema(loc);

/** What our rows say wrote them, where authelia writes its own version (`v4.38.0`); varchar(128). */
const APPLICATION_VERSION = `${TOOL_NAME} ${TOOL_VERSION}`;

const versionOf = (m: Migration): number | undefined => {
  const key = integerKey(m.version);
  return key === undefined ? undefined : Number(key);
};

const insert = (loc: JournalLocation, before: number, after: number): Statement => ({
  text: `INSERT INTO ${qualified(loc)} (applied, version_before, version_after, application_version) VALUES (now(), $1, $2, $3)`,
  params: [before, after, APPLICATION_VERSION],
});

interface Row {
  version_before: number | null;
  version_after: number;
  applied: unknown;
}

export const autheliaJournal: RunnerJournal = {
  runner: "authelia",
  layouts: ["authelia"],
  location,
  createSql: (settings) => [
    `CREATE TABLE IF NOT EXISTS ${qualified(location(settings))} (
    id SERIAL,
    applied TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    version_before INTEGER NULL DEFAULT NULL,
    version_after INTEGER NOT NULL,
    application_version VARCHAR(128) NOT NULL,
    PRIMARY KEY (id)
)`,
  ],
  recordSql: (migration, _set, settings) => {
    const v = versionOf(migration);
    return v === undefined ? [] : [insert(location(settings), v - 1, v)];
  },
  async read(client: SqlClient, set, settings): Promise<JournalState> {
    const loc = location(settings);
    if (!(await tableExists(client, loc))) return { location: loc, exists: false, entries: [] };
    const rows = await client.query<Row>(`SELECT version_before, version_after, applied FROM ${qualified(loc)} ORDER BY id`);
    const newest = rows.at(-1);
    // An empty table is an error to authelia (no row to scan); nothing is applied by it either way.
    if (!newest) return { location: loc, exists: true, entries: [] };
    const current = newest.version_after;
    // When each version was last applied: its newest up row (a down row has version_after < version_before).
    const appliedAt = new Map<number, Date | undefined>();
    for (const r of rows) if (r.version_before === null || r.version_after > r.version_before) appliedAt.set(r.version_after, asDate(r.applied));
    const entry = (m: Migration | undefined, v: number): JournalEntry => {
      const at = appliedAt.get(v);
      return entryFor(m, String(v), at ? { appliedAt: at } : {});
    };
    const entries = set.migrations.filter((m) => (versionOf(m) ?? current + 1) <= current).map((m) => entry(m, versionOf(m)!));
    if (current > 0 && appliedAt.has(current) && !set.migrations.some((m) => versionOf(m) === current)) {
      // A migration brought the schema to a version this folder has no file for (a newer authelia ran). A down
      // row's version_after is arithmetic (V-1) and names no migration by itself: nothing to list for it.
      entries.push(entry(undefined, current));
    }
    return { location: loc, exists: true, entries };
  },
  unrecordSql: (entry, _state, settings) => {
    const loc = location(settings);
    const v = Number(entry.recorded);
    if (v > 1) return [insert(loc, v, v - 1)];
    // Down to version 0: authelia writes no row, because its V0001 down dropped the table. A down that left
    // the table gets the (1, 0) row, or the newest row would still say version 1.
    const row = inlineInsert(loc, 1, 0);
    return [{ text: `DO $$ BEGIN IF to_regclass(${literal(qualified(loc))}) IS NOT NULL THEN ${row}; END IF; END $$` }];
  },
  tableLock: {
    statement: (loc) => ({ text: `LOCK TABLE ${qualified(loc)} IN ACCESS EXCLUSIVE MODE` }),
    source: "authelia SchemaMigrate: LOCK TABLE migrations IN ACCESS EXCLUSIVE MODE in its migration transaction (internal/storage/sql_provider_schema.go)",
  },
  // The DDL makes the table, its serial's sequence and its primary key.
  ownedObjects: (settings) => {
    const loc = location(settings);
    const own = tableWithPrimaryKey(loc);
    return { schemas: [], relations: [...own.relations, `${loc.schema}.${loc.table}_id_seq`] };
  },
};

function literal(text: string): string {
  return `'${text.replace(/'/g, "''")}'`;
}

/** The INSERT with its values written in: a DO block takes no parameters. */
function inlineInsert(loc: JournalLocation, before: number, after: number): string {
  return `INSERT INTO ${qualified(loc)} (applied, version_before, version_after, application_version) VALUES (now(), ${before}, ${after}, ${literal(APPLICATION_VERSION)})`;
}

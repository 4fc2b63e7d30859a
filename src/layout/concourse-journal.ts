/**
 * concourse's journal: `migrations_history` in the connection's current schema, an append-only history of
 * every migration run: (version, tstamp, direction 'up' | 'down', status 'passed' | 'failed', dirty).
 * Source: concourse `atc/db/migration/migration.go` (the DDL below verbatim; `runMigration` runs a
 * migration and inserts its `'passed'` row in one transaction, `recordMigrationFailure` a `'failed'` row;
 * `CurrentVersion`: the newest row that did not fail, by tstamp; when its direction is `down`, the
 * version before it in the folder's version list). So every migration up to the current version counts
 * as applied, and un-recording one is what concourse's own down writes: a `down` row for its version.
 *
 * Our rows' tstamp is strictly after every row already there, where concourse writes current_timestamp:
 * concourse commits each row in a transaction of its own, while a rollback with --single-transaction (or
 * a test) writes several in one, where current_timestamp would tie and leave "the newest row" undefined
 * (and clock_timestamp() alone ties too, within a millisecond on PGlite).
 *
 * The lock: `migrator.Migrate` first takes `lock.NewDatabaseMigrationLockID()` through its lock factory
 * (`acquireLock`, retried every second until it is acquired). Source: concourse `atc/db/lock/lock.go`:
 * the ID is `LockID{LockTypeDatabaseMigration}`, one int, the sixth of the `iota` lock types
 * (ResourceConfigChecking 0, BuildTracking 1, Batch 2, VolumeCreating 3, ContainerCreating 4,
 * DatabaseMigration 5; later types were appended after it and the unused ResourceScanning kept "because
 * we don't want to change lock id"), and `lockDB.Acquire` runs `SELECT pg_try_advisory_lock($1)` with the
 * ID's ints as parameters: one argument, so the bigint form, key 5, a session lock.
 *
 * concourse is a Go program with no npm/Debian build here: tested against its DDL only
 * (docs/rollback-runners.md).
 */
import type { JournalEntry, JournalLocation, JournalSettings, JournalState, RunnerJournal, SqlClient } from "./journal.js";
import { entryFor, inCurrentSchema, integerKey, locate, strictlyAfterEvery, tableExists } from "./journal-support.js";
import type { Migration, MigrationSet } from "./types.js";

const TABLE = "migrations_history";
const location = (settings: JournalSettings) => locate(settings, "public", TABLE);
// concourse names the table unqualified: it lives in the connection's current schema.
const qualified = (loc: JournalLocation) => inCurrentSchema(loc);

const versionOf = (m: Migration): bigint | undefined => {
  const key = integerKey(m.version);
  return key === undefined ? undefined : BigInt(key);
};

/** The versions of the folder, ascending and distinct (two migrations may share one). */
function versions(set: MigrationSet): bigint[] {
  const all = set.migrations.map(versionOf).filter((v): v is bigint => v !== undefined);
  return [...new Set(all)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

const row = (loc: JournalLocation, direction: "up" | "down") => {
  const table = qualified(loc);
  return `INSERT INTO ${table} (version, tstamp, direction, status, dirty) VALUES ($1, ${strictlyAfterEvery(table, "tstamp")}, '${direction}', 'passed', false)`;
};

export const concourseJournal: RunnerJournal = {
  runner: "concourse",
  layouts: ["concourse"],
  location,
  createSql: (settings) => [`CREATE TABLE IF NOT EXISTS ${qualified(location(settings))} (version bigint, tstamp timestamp with time zone, direction varchar, status varchar, dirty boolean)`],
  recordSql: (migration, _set, settings) => [{ text: row(location(settings), "up"), params: [versionOf(migration)?.toString()] }],
  async read(client: SqlClient, set: MigrationSet, settings: JournalSettings): Promise<JournalState> {
    const loc = location(settings);
    if (!(await tableExists(client, loc))) return { location: loc, exists: false, entries: [] };
    const [newest] = await client.query<{ version: string; direction: string }>(
      `SELECT version::text AS version, direction FROM ${qualified(loc)} WHERE status!='failed' ORDER BY tstamp DESC LIMIT 1`,
    );
    if (!newest) return { location: loc, exists: true, entries: [] };
    let current = BigInt(newest.version);
    if (newest.direction === "down") {
      const known = versions(set);
      const at = known.indexOf(current);
      // The version before the one rolled back; below the first, nothing is applied.
      if (at >= 0) current = at > 0 ? known[at - 1]! : 0n;
    }
    const entries: JournalEntry[] = set.migrations.filter((m) => (versionOf(m) ?? current + 1n) <= current).map((m) => entryFor(m, versionOf(m)!.toString()));
    if (current > 0n && !set.migrations.some((m) => versionOf(m) === current)) {
      // The current version has no file any more: concourse would not find it either.
      entries.push(entryFor(undefined, current.toString()));
    }
    return { location: loc, exists: true, entries };
  },
  unrecordSql: (entry, _state, settings) => [{ text: row(location(settings), "down"), params: [entry.recorded] }],
  lock: {
    key: () => 5n,
    mode: "try",
    source: "concourse migration lock: pg_try_advisory_lock(5), LockTypeDatabaseMigration, retried every second (atc/db/lock/lock.go, atc/db/migration/migration.go)",
  },
  ownedObjects: (settings) => {
    const loc = location(settings);
    // The DDL makes the table alone: no key, no index.
    return { schemas: [], relations: [`${loc.schema}.${loc.table}`] };
  },
};

/**
 * golang-migrate's journal: `schema_migrations` in the connection's current schema (`x-migrations-table`
 * moves it), holding ONE row: the newest applied version and a dirty flag. Source: golang-migrate
 * `database/postgres/postgres.go` (`ensureVersionTable` DDL below verbatim; `SetVersion` = TRUNCATE +
 * INSERT in one transaction; `Lock` = `pg_advisory_lock(GenerateAdvisoryLockId(db, schema, table))`)
 * and `database/util.go` (the key: CRC-32 of `schema\0table\0database` times 1486364155, as uint32).
 *
 * Every migration up to the recorded version counts as applied; a dirty row means the migration at that
 * version failed half-way (`migrate force` is the runner's way out). Un-recording writes the previous
 * version with dirty = false (an empty table below the first migration), exactly what `migrate down 1`
 * leaves behind. golang-migrate keeps no hash.
 *
 * golang-migrate is a Go binary with no npm/Debian package here: tested against its DDL only
 * (docs/rollback-runners.md).
 */
import type { JournalEntry, JournalLocation, JournalSettings, JournalState, RunnerJournal, SqlClient, Statement } from "./journal.js";
import { alwaysQuoted, crc32Of, entryFor, integerKey, locate, tableExists, tableWithPrimaryKey } from "./journal-support.js";
import type { Migration, MigrationSet } from "./types.js";

const TABLE = "schema_migrations";
const LOCK_SALT = 1486364155n;

function qualified(loc: JournalLocation): string {
  return `${alwaysQuoted(loc.schema)}.${alwaysQuoted(loc.table)}`;
}

const location = (settings: JournalSettings) => locate(settings, "public", TABLE);

/** SetVersion(version, dirty): what the runner writes before (dirty) and after (clean) each migration. */
function setVersion(loc: JournalLocation, version: string | undefined, dirty: boolean): Statement[] {
  const statements: Statement[] = [{ text: `TRUNCATE ${qualified(loc)}` }];
  if (version !== undefined) statements.push({ text: `INSERT INTO ${qualified(loc)} (version, dirty) VALUES ($1, $2)`, params: [version, dirty] });
  return statements;
}

function versionOf(m: Migration): bigint {
  return BigInt(integerKey(m.version) ?? "0");
}

export const golangMigrateJournal: RunnerJournal = {
  runner: "golang-migrate",
  layouts: ["golang-migrate"],
  location,
  createSql: (settings) => [`CREATE TABLE IF NOT EXISTS ${qualified(location(settings))} (version bigint not null primary key, dirty boolean not null)`],
  recordSql: (migration, _set, settings) => {
    const version = versionOf(migration).toString();
    return [...setVersion(location(settings), version, true), ...setVersion(location(settings), version, false)];
  },
  async read(client: SqlClient, set: MigrationSet, settings: JournalSettings): Promise<JournalState> {
    const loc = location(settings);
    if (!(await tableExists(client, loc))) return { location: loc, exists: false, entries: [] };
    const rows = await client.query<{ version: string; dirty: boolean }>(`SELECT version::text AS version, dirty FROM ${qualified(loc)} LIMIT 1`);
    const row = rows[0];
    if (!row) return { location: loc, exists: true, entries: [] };
    const current = BigInt(row.version);
    const entries: JournalEntry[] = set.migrations
      .filter((m) => integerKey(m.version) !== undefined && versionOf(m) <= current)
      .map((m) => entryFor(m, versionOf(m).toString()));
    const top = entries.at(-1);
    if (!top || versionOf(top.migration!) !== current) {
      // The recorded version has no file any more (or never had one): golang-migrate itself then fails with "no migration found for version".
      entries.push(entryFor(undefined, row.version));
    }
    if (row.dirty) {
      const last = entries.at(-1)!;
      last.state = "failed";
      last.detail = "dirty: the migration failed part-way; golang-migrate refuses to run until `migrate force`";
    }
    return { location: loc, exists: true, entries };
  },
  unrecordSql: (entry: JournalEntry, state: JournalState, settings) => {
    const index = state.entries.indexOf(entry);
    const at = index >= 0 ? index : state.entries.findIndex((e) => e.recorded === entry.recorded);
    const previous = at > 0 ? state.entries[at - 1] : undefined;
    return setVersion(location(settings), previous?.recorded, false);
  },
  lock: {
    key: (database, loc) => (BigInt(crc32Of(`${loc.schema}\0${loc.table}\0/${database}`)) * LOCK_SALT) % 2n ** 32n,
    mode: "wait",
    source:
      "golang-migrate database/util.go GenerateAdvisoryLockId: crc32(schema \\0 table \\0 database) * 1486364155 (uint32); the database is the URL path, `/name`, when opened from a URL (the CLI and migrate.New)",
  },
  ownedObjects: (settings) => tableWithPrimaryKey(location(settings)),
};

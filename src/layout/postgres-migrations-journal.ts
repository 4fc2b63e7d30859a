/**
 * The `postgres-migrations` npm runner's journal: `migrations` (fixed name, the connection's schema),
 * created by the package's own migration 0 and recorded as row 0; then one row per applied file: the
 * integer id, the name, and hash = SHA-1 (hex) of the file name followed by the file's SQL. Sources (npm
 * postgres-migrations 5.3.0, `dist/`): `migrations/0_create-migrations-table.sql` (the DDL below
 * verbatim), `migration-file.js` (`hashString(fileName + sql)`), `run-migration.js` (the INSERT below,
 * in the migration's transaction), `migrate.js` (applied = the rows ordered by id, compared by
 * position: migration N is applied when row N exists), `with-lock.js` (polls
 * `pg_try_advisory_lock(-8525285245963000605)` every second), `validation.js` (a changed hash stops
 * every run). The runner has no down: un-recording deletes the row, and the next run applies the file
 * again.
 *
 * Tested against the real package in test/journal/postgres-migrations-real.test.ts.
 */
import type { JournalLocation, JournalSettings, JournalState, RunnerJournal, SqlClient } from "./journal.js";
import { alwaysQuoted, asDate, entryFor, fileNameOf, locate, sha1Hex, tableExists } from "./journal-support.js";
import type { Migration, MigrationSet } from "./types.js";

const TABLE = "migrations";
const location = (settings: JournalSettings) => locate({ schema: settings.schema }, "public", TABLE);

/** The package's migration 0, byte for byte: its hash is part of row 0. */
const CREATE_FILE = "0_create-migrations-table.sql";
const CREATE_SQL = `CREATE TABLE IF NOT EXISTS migrations (
  id integer PRIMARY KEY,
  name varchar(100) UNIQUE NOT NULL,
  hash varchar(40) NOT NULL, -- sha1 hex encoded hash of the file name and contents, to ensure it hasn't been altered since applying the migration
  executed_at timestamp DEFAULT current_timestamp
);
`;

function qualified(loc: JournalLocation): string {
  return loc.schema === "public" ? TABLE : `${alwaysQuoted(loc.schema)}.${TABLE}`;
}

/** `parseFileName`: the name after the id, or the whole file name when there is none. */
function nameOf(m: Migration): string {
  const file = fileNameOf(m.up.path);
  const parsed = /^(-?\d+)[-_]?(.*).(sql|js)$/i.exec(file);
  return parsed?.[2] ? parsed[2] : file;
}

/** SHA-1 of file name + SQL; empty for a `.js` migration (its SQL is what the module generates when run). */
function hashOf(m: Migration): string {
  return m.external === "up" ? "" : sha1Hex(fileNameOf(m.up.path) + m.up.text);
}

export const postgresMigrationsJournal: RunnerJournal = {
  runner: "postgres-migrations",
  layouts: ["postgres-migrations"],
  location,
  createSql: (settings) => {
    const table = qualified(location(settings));
    return [
      CREATE_SQL.replace("CREATE TABLE IF NOT EXISTS migrations", `CREATE TABLE IF NOT EXISTS ${table}`),
      `INSERT INTO ${table} ("id", "name", "hash") VALUES (0, 'create-migrations-table', '${sha1Hex(CREATE_FILE + CREATE_SQL)}')`,
    ];
  },
  recordSql: (migration, _set, settings) => [
    { text: `INSERT INTO ${qualified(location(settings))} ("id", "name", "hash") VALUES ($1, $2, $3)`, params: [Number(migration.version), nameOf(migration), hashOf(migration)] },
  ],
  async read(client: SqlClient, set: MigrationSet, settings: JournalSettings): Promise<JournalState> {
    const loc = location(settings);
    if (!(await tableExists(client, loc))) return { location: loc, exists: false, entries: [] };
    const rows = await client.query<{ id: number; name: string; hash: string; executed_at: unknown }>(
      `SELECT id, name, hash, executed_at FROM ${qualified(loc)} ORDER BY id`,
    );
    const byId = new Map(set.migrations.map((m) => [Number(m.version), m]));
    const entries = rows
      // Row 0 is the runner creating its own table, not a migration of the folder.
      .filter((r) => !(r.id === 0 && r.name === "create-migrations-table"))
      .map((r) => entryFor(byId.get(r.id), String(r.id), { appliedAt: asDate(r.executed_at), hash: r.hash }));
    return { location: loc, exists: true, entries };
  },
  hashOf,
  unrecordSql: (entry, _state, settings) => [{ text: `DELETE FROM ${qualified(location(settings))} WHERE id = $1`, params: [Number(entry.recorded)] }],
  lock: { key: () => -8525285245963000605n, mode: "try", source: "postgres-migrations dist/with-lock.js: pg_try_advisory_lock(-8525285245963000605), polled every second" },
  ownedObjects: (settings) => {
    const loc = location(settings);
    return { schemas: [], relations: [`${loc.schema}.${loc.table}`, `${loc.schema}.${loc.table}_pkey`, `${loc.schema}.${loc.table}_name_key`] };
  },
};

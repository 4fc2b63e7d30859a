/**
 * sqlx's journal: `_sqlx_migrations` (sqlx.toml `migrate.table-name` moves it), one row per migration:
 * version, description, success, checksum = SHA-384 of the migration's SQL, execution time. Source:
 * sqlx `sqlx-postgres/src/migrate.rs` (`ensure_migrations_table` DDL below verbatim; `apply` inserts
 * with success = TRUE and execution_time = -1, then updates execution_time; `revert` runs the down and
 * `DELETE … WHERE version = $1` in one transaction; `dirty_version` = a row with success = false, which
 * blocks every later run; `lock` = `pg_advisory_lock(0x3d32ad9e * crc32(current_database()))`), and
 * `sqlx-core/src/migrate/source.rs` (description = the file name's part after the version, `_` → space).
 *
 * sqlx is a Rust crate with no npm/Debian build here: tested against its DDL only (docs/rollback-runners.md).
 */
import type { JournalLocation, JournalSettings, JournalState, RunnerJournal, SqlClient } from "./journal.js";
import { asDate, crc32Of, entryFor, fileNameOf, inCurrentSchema, integerKey, locate, readVersionRows, sha384Hex, tableWithPrimaryKey } from "./journal-support.js";
import type { Migration, MigrationSet } from "./types.js";

const TABLE = "_sqlx_migrations";
const location = (settings: JournalSettings) => locate(settings, "public", TABLE);

// sqlx writes the configured name as is; unqualified it resolves in the connection's current schema.
const qualified = (loc: JournalLocation) => inCurrentSchema(loc);

/** `<version>_<description>.up.sql` → `description` with `_` as spaces, as sqlx stores it. */
export function sqlxDescription(m: Migration): string {
  const file = fileNameOf(m.up.path).replace(/\.(up|down)\.sql$|\.sql$/, "");
  return file.slice(file.indexOf("_") + 1).replace(/_/g, " ");
}

const hashOf = (m: Migration) => sha384Hex(m.up.text);

export const sqlxJournal: RunnerJournal = {
  runner: "sqlx",
  layouts: ["sqlx"],
  location,
  createSql: (settings) => [
    `CREATE TABLE IF NOT EXISTS ${qualified(location(settings))} (
    version BIGINT PRIMARY KEY,
    description TEXT NOT NULL,
    installed_on TIMESTAMPTZ NOT NULL DEFAULT now(),
    success BOOLEAN NOT NULL,
    checksum BYTEA NOT NULL,
    execution_time BIGINT NOT NULL
);`,
  ],
  recordSql: (migration, _set, settings) => [
    {
      text: `INSERT INTO ${qualified(location(settings))} ( version, description, success, checksum, execution_time ) VALUES ( $1, $2, TRUE, $3, -1 )`,
      params: [integerKey(migration.version), sqlxDescription(migration), Buffer.from(hashOf(migration), "hex")],
    },
  ],
  read(client: SqlClient, set: MigrationSet, settings: JournalSettings): Promise<JournalState> {
    const loc = location(settings);
    return readVersionRows<{ version: string; description: string; installed_on: unknown; success: boolean; checksum: string }>(client, set, {
      location: loc,
      select: `SELECT version::text AS version, description, installed_on, success, encode(checksum, 'hex') AS checksum FROM ${qualified(loc)} ORDER BY version`,
      key: (m) => integerKey(m.version),
      entry: (r, migration) =>
        entryFor(migration, r.version, {
          appliedAt: asDate(r.installed_on),
          hash: r.checksum,
          ...(r.success ? {} : { state: "failed" as const, detail: "success = false: sqlx reports the database dirty and refuses to migrate" }),
        }),
    });
  },
  hashOf,
  unrecordSql: (entry, _state, settings) => [{ text: `DELETE FROM ${qualified(location(settings))} WHERE version = $1`, params: [entry.recorded] }],
  lock: {
    key: (database) => 0x3d32ad9en * BigInt(crc32Of(database)),
    mode: "wait",
    source: "sqlx-postgres src/migrate.rs generate_lock_id: 0x3d32ad9e * crc32(current_database()) (i64)",
  },
  ownedObjects: (settings) => tableWithPrimaryKey(location(settings)),
};

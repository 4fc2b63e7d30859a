/**
 * Flyway's journal: `flyway_schema_history` (`flyway.table`) in the first of `flyway.schemas` (default:
 * the connection's current schema), one row per applied script with installed_rank, version,
 * description, type, script, checksum, installed_by, installed_on, execution_time and success. Sources:
 * flyway `flyway-database-postgresql/.../PostgreSQLDatabase.java` (`getRawCreateScript`: the three
 * statements below verbatim, without tablespace), `PostgreSQLAdvisoryLockTemplate.java` (lock number
 * 0x466C79776179 + discriminator, taken with `pg_try_advisory_xact_lock` / `pg_try_advisory_lock` and
 * retried), `PostgreSQLConnection.java` (discriminator = `table.toString().hashCode()`, the quoted
 * `"schema"."table"`), and `flyway-core/.../ChecksumCalculator.java` (CRC-32 over the file's lines read
 * without their line breaks, the BOM removed, as a signed int).
 *
 * A failed row (success = false) blocks `migrate` until `repair`. Un-recording deletes the migration's
 * newest row: Flyway's community edition has no undo, and with the row gone `migrate` applies that
 * version again (it is above every remaining version, so never "out of order"). Flyway Teams' own undo
 * would instead append an UNDO_SQL row; rows of that type are read as undoing the version they name.
 *
 * Flyway needs a JVM and its distribution, not installable here: tested against its DDL only
 * (docs/rollback-runners.md).
 */
import type { JournalEntry, JournalLocation, JournalSettings, JournalState, RunnerJournal, SqlClient } from "./journal.js";
import { alwaysQuoted, asDate, crc32Of, entryFor, fileNameOf, javaHashCode, locate, tableExists } from "./journal-support.js";
import type { Migration, MigrationSet } from "./types.js";

const location = (settings: JournalSettings) => locate(settings, "public", "flyway_schema_history");

function qualified(loc: JournalLocation): string {
  return `${alwaysQuoted(loc.schema)}.${alwaysQuoted(loc.table)}`;
}

/** Flyway's checksum: CRC-32 of the UTF-8 bytes of every line without its line break (BOM dropped), signed. */
export function flywayChecksum(text: string): number {
  return crc32Of(text.replace(/^\uFEFF/, "").replace(/[\r\n]/g, "")) | 0;
}

/** `1.01` and `1.1` are one Flyway version; trailing `.0` parts do not count either. */
export function flywayVersionKey(version: string): string {
  const parts = version.split(/[._]/).map((p) => (/^\d+$/.test(p) ? BigInt(p).toString() : p));
  while (parts.length > 1 && parts.at(-1) === "0") parts.pop();
  return parts.join(".");
}

const isRepeatable = (m: Migration) => m.version === "R";

/** Flyway's description: the file name's part after `__`, underscores as spaces. */
function description(m: Migration): string {
  return m.name.replace(/_/g, " ");
}

interface FlywayRow {
  installed_rank: number;
  version: string | null;
  description: string;
  type: string;
  script: string;
  checksum: number | null;
  installed_on: unknown;
  success: boolean;
}

export const flywayJournal: RunnerJournal = {
  runner: "flyway",
  layouts: ["flyway"],
  location,
  createSql: (settings) => {
    const loc = location(settings);
    const table = qualified(loc);
    return [
      `CREATE TABLE ${table} (
    "installed_rank" INT NOT NULL,
    "version" VARCHAR(50),
    "description" VARCHAR(200) NOT NULL,
    "type" VARCHAR(20) NOT NULL,
    "script" VARCHAR(1000) NOT NULL,
    "checksum" INTEGER,
    "installed_by" VARCHAR(100) NOT NULL,
    "installed_on" TIMESTAMP NOT NULL DEFAULT now(),
    "execution_time" INTEGER NOT NULL,
    "success" BOOLEAN NOT NULL
)`,
      `ALTER TABLE ${table} ADD CONSTRAINT ${alwaysQuoted(`${loc.table}_pk`)} PRIMARY KEY ("installed_rank")`,
      `CREATE INDEX ${alwaysQuoted(`${loc.table}_s_idx`)} ON ${table} ("success")`,
    ];
  },
  recordSql: (migration, _set, settings) => {
    const table = qualified(location(settings));
    return [
      {
        // Flyway computes the rank as the highest one + 1 and inserts with the connection's user.
        text: `INSERT INTO ${table} ("installed_rank", "version", "description", "type", "script", "checksum", "installed_by", "execution_time", "success")
 VALUES ((SELECT coalesce(max("installed_rank"), 0) + 1 FROM ${table}), $1, $2, 'SQL', $3, $4, current_user, 0, true)`,
        params: [isRepeatable(migration) ? null : migration.version, description(migration), fileNameOf(migration.up.path), flywayChecksum(migration.up.text)],
      },
    ];
  },
  async read(client: SqlClient, set: MigrationSet, settings: JournalSettings): Promise<JournalState> {
    const loc = location(settings);
    if (!(await tableExists(client, loc))) return { location: loc, exists: false, entries: [] };
    const rows = await client.query<FlywayRow>(
      `SELECT "installed_rank", "version", "description", "type", "script", "checksum", "installed_on", "success" FROM ${qualified(loc)} ORDER BY "installed_rank"`,
    );
    const byVersion = new Map<string, Migration>();
    const byScript = new Map<string, Migration>();
    for (const m of set.migrations) {
      if (isRepeatable(m)) byScript.set(fileNameOf(m.up.path), m);
      else byVersion.set(flywayVersionKey(m.version), m);
    }
    const entries: JournalEntry[] = [];
    for (const row of rows) {
      if (row.type === "SCHEMA") continue; // the schema Flyway created, not a migration
      if (row.type.startsWith("UNDO_") || row.type === "DELETE") {
        // Teams' undo (or a repair's DELETE marker) takes the version back out of the applied list.
        const at = entries.findLastIndex((e) => row.version !== null && e.recorded === row.version);
        if (at >= 0) entries.splice(at, 1);
        continue;
      }
      if (row.version === null) {
        // A repeatable is applied again whenever it changes: only its newest row counts.
        const at = entries.findIndex((e) => e.recorded === row.script);
        if (at >= 0) entries.splice(at, 1);
      }
      const migration = row.version === null ? byScript.get(row.script) : byVersion.get(flywayVersionKey(row.version));
      entries.push(
        entryFor(migration, row.version ?? row.script, {
          appliedAt: asDate(row.installed_on),
          ...(row.checksum !== null ? { hash: String(row.checksum) } : {}),
          ...(row.success ? {} : { state: "failed" as const, detail: "success = false: flyway migrate refuses to run until `flyway repair`" }),
          ...(row.type === "BASELINE" ? { detail: "baseline: Flyway skips every version up to this one" } : {}),
        }),
      );
    }
    return { location: loc, exists: true, entries };
  },
  hashOf: (m) => String(flywayChecksum(m.up.text)),
  unrecordSql: (entry, _state, settings) => {
    const table = qualified(location(settings));
    const repeatable = entry.migration ? isRepeatable(entry.migration) : !/^\d/.test(entry.recorded);
    const where = repeatable ? `"version" IS NULL AND "script" = $1` : `"version" = $1`;
    return [{ text: `DELETE FROM ${table} WHERE "installed_rank" = (SELECT max("installed_rank") FROM ${table} WHERE ${where})`, params: [entry.recorded] }];
  },
  lock: {
    key: (_database, loc) => 0x466c79776179n + BigInt(javaHashCode(qualified(loc))),
    mode: "try",
    source: "flyway PostgreSQLAdvisoryLockTemplate: 0x466C79776179 (\"Flyway\") + \"schema\".\"table\".hashCode(), pg_try_advisory_xact_lock retried (lockRetryCount, default 50)",
  },
  ownedObjects: (settings) => {
    const loc = location(settings);
    return { schemas: [], relations: [`${loc.schema}.${loc.table}`, `${loc.schema}.${loc.table}_pk`, `${loc.schema}.${loc.table}_s_idx`] };
  },
};

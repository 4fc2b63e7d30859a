/**
 * Prisma Migrate's journal: `_prisma_migrations` in the schema of the connection (`?schema=`, default
 * public), one row per attempt: a uuid, checksum = SHA-256 (hex) of migration.sql, started/finished
 * times, the migration's folder name, logs, rolled_back_at, applied_steps_count. Sources: prisma-engines
 * `schema-connector/flavour/postgres.rs` (`create_migrations_table`: the DDL below verbatim; the
 * advisory lock `pg_advisory_lock(72707369)` with a 10 s timeout), `checksum.rs` (SHA-256 of the file),
 * and `commands/diagnose_migration_history.rs`: a row with finished_at and no rolled_back_at is applied; a
 * row with neither is failed (P3009 blocks `migrate deploy`); a rolled-back row is not applied.
 *
 * Un-recording deletes every row of the migration's name. Prisma has no down command; `migrate resolve
 * --rolled-back` only marks failed rows. A finished row marked rolled_back_at is re-applied by `migrate
 * deploy`, but `migrate status` / `migrate dev` still find a row of that name and do not call it pending
 * (diagnose matches rows by name alone). With the rows gone, every prisma command sees the migration as
 * not applied, and the next `migrate deploy` applies it again.
 *
 * The schema engine is a native binary downloaded at install time, not runnable here: tested against
 * its DDL only (docs/rollback-runners.md).
 */
import { randomUUID } from "node:crypto";
import type { JournalEntry, JournalLocation, JournalSettings, JournalState, RunnerJournal, SqlClient } from "./journal.js";
import { alwaysQuoted, asDate, entryFor, indexBy, locate, sha256Hex, tableExists, tableWithPrimaryKey } from "./journal-support.js";
import type { Migration, MigrationSet } from "./types.js";

const TABLE = "_prisma_migrations";
const location = (settings: JournalSettings) => locate({ schema: settings.schema }, "public", TABLE);

function qualified(loc: JournalLocation): string {
  // Prisma names the table unqualified after setting the search path to the URL's schema.
  return loc.schema === "public" ? TABLE : `${alwaysQuoted(loc.schema)}.${TABLE}`;
}

const hashOf = (m: Migration) => sha256Hex(m.up.text);

interface PrismaRow {
  id: string;
  checksum: string;
  finished_at: unknown;
  migration_name: string;
  logs: string | null;
  rolled_back_at: unknown;
  started_at: unknown;
}

export const prismaJournal: RunnerJournal = {
  runner: "prisma",
  layouts: ["prisma"],
  location,
  createSql: (settings) => [
    `CREATE TABLE ${qualified(location(settings))} (
    id                      VARCHAR(36) PRIMARY KEY NOT NULL,
    checksum                VARCHAR(64) NOT NULL,
    finished_at             TIMESTAMPTZ,
    migration_name          VARCHAR(255) NOT NULL,
    logs                    TEXT,
    rolled_back_at          TIMESTAMPTZ,
    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),
    applied_steps_count     INTEGER NOT NULL DEFAULT 0
);`,
  ],
  recordSql: (migration, _set, settings) => {
    const table = qualified(location(settings));
    const id = randomUUID();
    // As the engine does: a started row, one step counted, then finished_at.
    return [
      { text: `INSERT INTO ${table} (id, checksum, started_at, migration_name) VALUES ($1, $2, now(), $3)`, params: [id, hashOf(migration), migration.id] },
      { text: `UPDATE ${table} SET applied_steps_count = applied_steps_count + 1 WHERE id = $1`, params: [id] },
      { text: `UPDATE ${table} SET finished_at = now() WHERE id = $1`, params: [id] },
    ];
  },
  async read(client: SqlClient, set: MigrationSet, settings: JournalSettings): Promise<JournalState> {
    const loc = location(settings);
    if (!(await tableExists(client, loc))) return { location: loc, exists: false, entries: [] };
    const rows = await client.query<PrismaRow>(
      `SELECT id, checksum, finished_at, migration_name, logs, rolled_back_at, started_at FROM ${qualified(loc)} ORDER BY started_at, migration_name`,
    );
    const byName = indexBy(set, (m) => m.id);
    const entries: JournalEntry[] = [];
    for (const row of rows) {
      if (row.rolled_back_at !== null) continue; // rolled back: not applied
      const failed = row.finished_at === null;
      entries.push(
        entryFor(byName.get(row.migration_name), row.migration_name, {
          appliedAt: asDate(row.finished_at) ?? asDate(row.started_at),
          hash: row.checksum,
          ...(failed ? { state: "failed" as const, detail: `unfinished: prisma migrate deploy stops here (P3009)${row.logs ? `; logs: ${row.logs.split("\n")[0]}` : ""}` } : {}),
        }),
      );
    }
    return { location: loc, exists: true, entries };
  },
  hashOf,
  unrecordSql: (entry, _state, settings) => [{ text: `DELETE FROM ${qualified(location(settings))} WHERE migration_name = $1`, params: [entry.recorded] }],
  lock: { key: () => 72707369n, mode: "wait", source: "prisma-engines schema-connector flavour/postgres.rs: SELECT pg_advisory_lock(72707369), 10 s timeout" },
  ownedObjects: (settings) => tableWithPrimaryKey(location(settings)),
};

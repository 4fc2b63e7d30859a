/**
 * The Supabase CLI's journal: `supabase_migrations.schema_migrations`, one row per applied file: version
 * (the file name's timestamp), name, and the file's statements as the CLI sent them. Source: supabase/cli
 * `pkg/migration/history.go` (the CREATE/ALTER statements below verbatim, run after `SET lock_timeout =
 * '4s'`; `INSERT_MIGRATION_VERSION`; `DELETE_MIGRATION_VERSION`, which `supabase migration repair
 * --status reverted` runs). The CLI keeps no hash (it stores the statements) and takes no advisory lock.
 *
 * Tested against the real CLI (npm `supabase`, `db push --db-url` needs no Docker) in
 * test/journal/supabase-real.test.ts.
 */
import { parseSql, SourceText } from "../parse/index.js";
import type { JournalSettings, JournalState, RunnerJournal, SqlClient } from "./journal.js";
import { entryFor, locate, readVersionRows } from "./journal-support.js";
import type { Migration, MigrationSet } from "./types.js";

const SCHEMA = "supabase_migrations";
const TABLE = "schema_migrations";
const QUALIFIED = `${SCHEMA}.${TABLE}`;

/**
 * The statements the CLI stores for a file: its splitter cuts at each top-level `;` and trims, so a
 * statement keeps the comments written above it (checked against the real CLI). Needs the parser loaded.
 */
export function supabaseStatements(m: Migration): string[] {
  const bytes = Buffer.from(m.up.text, "utf8");
  let previous = 0;
  return parseSql(new SourceText(m.up.text)).statements.map((s) => {
    const piece = bytes.subarray(previous, s.range.end.offset).toString("utf8");
    previous = s.range.end.offset;
    return piece.replace(/^\s*;/, "").trim();
  });
}

export const supabaseJournal: RunnerJournal = {
  runner: "supabase",
  layouts: ["supabase"],
  // The CLI's table is fixed: the settings cannot move it.
  location: () => locate({}, SCHEMA, TABLE),
  createSql: () => [
    "SET lock_timeout = '4s'",
    `CREATE SCHEMA IF NOT EXISTS ${SCHEMA}`,
    `CREATE TABLE IF NOT EXISTS ${QUALIFIED} (version text NOT NULL PRIMARY KEY)`,
    `ALTER TABLE ${QUALIFIED} ADD COLUMN IF NOT EXISTS statements text[]`,
    `ALTER TABLE ${QUALIFIED} ADD COLUMN IF NOT EXISTS name text`,
  ],
  recordSql: (migration) => [
    { text: `INSERT INTO ${QUALIFIED}(version, name, statements) VALUES($1, $2, $3)`, params: [migration.version, migration.name, supabaseStatements(migration)] },
  ],
  read: (client: SqlClient, set: MigrationSet, _settings: JournalSettings): Promise<JournalState> =>
    readVersionRows<{ version: string; name: string }>(client, set, {
      location: locate({}, SCHEMA, TABLE),
      select: `SELECT version, coalesce(name, '') as name FROM ${QUALIFIED} ORDER BY version`,
      entry: (r, migration) => entryFor(migration, r.name ? `${r.version}_${r.name}` : r.version),
    }),
  unrecordSql: (entry) => [{ text: `DELETE FROM ${QUALIFIED} WHERE version = ANY($1)`, params: [[entry.migration?.version ?? entry.recorded.split("_")[0]]] }],
  ownedObjects: () => ({ schemas: [SCHEMA], relations: [QUALIFIED, `${QUALIFIED}_pkey`] }),
};

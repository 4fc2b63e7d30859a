/**
 * drizzle-orm's journal, exactly as its migrator keeps it (drizzle-orm 0.x `pg-core/dialect.ts` `migrate()`):
 *
 *   CREATE SCHEMA IF NOT EXISTS "drizzle";
 *   CREATE TABLE IF NOT EXISTS "drizzle"."__drizzle_migrations" (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at bigint)
 *
 * One row per applied migration: `hash` is the sha256 (hex) of the `.sql` file's text, `created_at` the
 * `when` of its `meta/_journal.json` entry (folderMillis). The migrator reads only the newest row
 * (`ORDER BY created_at DESC LIMIT 1`) and applies every journal entry whose `when` is later, so a row
 * is matched to its migration by `when`, and un-recording the newest migrations means deleting the newest
 * rows: afterwards the migrator finds the older row on top and applies those migrations again.
 * drizzle takes no advisory lock. The schema and table follow `migrationsSchema` / `migrationsTable`.
 */
import { sha256 } from "../history/lock.js";
import { alwaysQuoted } from "./journal-support.js";
import type { JournalEntry, JournalLocation, JournalSettings, JournalState, RunnerJournal, SqlClient } from "./journal.js";
import type { Migration, MigrationSet } from "./types.js";

function location(settings: JournalSettings): JournalLocation {
  return { schema: settings.schema ?? "drizzle", table: settings.table ?? "__drizzle_migrations" };
}

export function qualified(at: JournalLocation): string {
  return `${alwaysQuoted(at.schema)}.${alwaysQuoted(at.table)}`;
}

/** True when the journal's table exists (`to_regclass` is NULL for a missing schema or table, never an error). */
export async function tableExists(client: SqlClient, at: JournalLocation): Promise<boolean> {
  const [row] = await client.query<{ present: boolean }>("SELECT to_regclass($1) IS NOT NULL AS present", [qualified(at)]);
  return !!row?.present;
}

interface DrizzleRow {
  id: number;
  hash: string;
  created_at: string | null;
}

function hashOf(m: Migration): string {
  return sha256(m.up.text);
}

export const drizzleJournal: RunnerJournal = {
  runner: "drizzle",
  layouts: ["drizzle"],
  location,
  createSql: (settings) => {
    const at = location(settings);
    return [
      `CREATE SCHEMA IF NOT EXISTS ${alwaysQuoted(at.schema)}`,
      `CREATE TABLE IF NOT EXISTS ${qualified(at)} (\n\tid SERIAL PRIMARY KEY,\n\thash text NOT NULL,\n\tcreated_at bigint\n)`,
    ];
  },
  recordSql: (migration, _set, settings) => [
    { text: `INSERT INTO ${qualified(location(settings))} ("hash", "created_at") VALUES ($1, $2)`, params: [hashOf(migration), migration.when ?? null] },
  ],
  async read(client: SqlClient, set: MigrationSet, settings: JournalSettings): Promise<JournalState> {
    const at = location(settings);
    if (!(await tableExists(client, at))) return { location: at, exists: false, entries: [] };
    // created_at is bigint: read as text so no millisecond value is rounded on its way to JavaScript.
    const rows = await client.query<DrizzleRow>(`SELECT id, hash, created_at::text AS created_at FROM ${qualified(at)} ORDER BY created_at, id`);
    const byWhen = new Map<string, Migration>();
    const byHash = new Map<string, Migration>();
    for (const m of set.migrations) {
      if (m.when !== undefined) byWhen.set(String(m.when), m);
      byHash.set(hashOf(m), m);
    }
    const entries = rows.map((row): JournalEntry => {
      // The migrator identifies a migration by its `when`; a row whose `when` no entry has any more is
      // matched by its hash (the journal entry was re-dated), else it has no file.
      const migration = (row.created_at !== null ? byWhen.get(row.created_at) : undefined) ?? byHash.get(row.hash);
      const entry: JournalEntry = { recorded: row.created_at ?? `id ${row.id}`, hash: row.hash, state: "applied" };
      if (migration) entry.migration = migration;
      if (row.created_at !== null) entry.appliedAt = new Date(Number(row.created_at));
      return entry;
    });
    return { location: at, exists: true, entries };
  },
  hashOf,
  unrecordSql: (entry, _state, settings) => {
    const table = qualified(location(settings));
    // The row was read with this created_at (or, without one, by its id): delete exactly it.
    const id = /^id (\d+)$/.exec(entry.recorded)?.[1];
    if (id) return [{ text: `DELETE FROM ${table} WHERE id = $1`, params: [Number(id)] }];
    return [{ text: `DELETE FROM ${table} WHERE created_at = $1 AND hash = $2`, params: [entry.recorded, entry.hash] }];
  },
  ownedObjects: (settings) => {
    const at = location(settings);
    const rel = `${at.schema}.${at.table}`;
    // The schema is drizzle's own only when it is the default one: a custom migrationsSchema may be "public".
    return { schemas: at.schema === "drizzle" ? ["drizzle"] : [], relations: [rel, `${rel}_id_seq`] };
  },
};

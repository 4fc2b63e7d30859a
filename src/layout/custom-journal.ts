/**
 * The journal of a hand-made runner, described in the config (key `journal`): the table, the column that
 * names the migration, and optionally the column that orders the rows, a status column (`applied`,
 * `failed`…) and a rolled-back-at column. Two shapes seen in real projects:
 *
 *   _manual_migrations(filename)                                   → { table, idColumn: "filename" }
 *   migration_history(migration_name, status, applied_at, rollback_at)
 *     → { table, idColumn: "migration_name", statusColumn: "status", appliedAtColumn: "applied_at",
 *         rolledBackAtColumn: "rollback_at" }
 *
 * A row names a migration by its id, its file name (with or without `.sql`) or its version. Un-recording
 * sets the rolled-back-at column when there is one (the row stays as history; rows with it set are not
 * applied), else deletes the row. Such runners take no advisory lock we could know of.
 */
import { posix } from "node:path";
import { qualified, tableExists } from "./drizzle-journal.js";
import { alwaysQuoted } from "./journal-support.js";
import type { CustomJournalSettings, JournalEntry, JournalLocation, JournalSettings, JournalState, RunnerJournal, SqlClient } from "./journal.js";
import type { Migration, MigrationSet } from "./types.js";

function custom(settings: JournalSettings): CustomJournalSettings {
  if (!settings.custom) throw new Error("the custom journal needs the config's `journal` settings");
  return settings.custom;
}

function location(settings: JournalSettings): JournalLocation {
  const c = custom(settings);
  return { schema: c.schema ?? settings.schema ?? "public", table: c.table };
}

/** The names a row may use for a migration, most specific first. */
function namesOf(m: Migration): string[] {
  const file = posix.basename(m.up.path.split("\\").join("/"));
  return [m.id, file, file.replace(/\.sql$/i, ""), m.version];
}

interface CustomRow {
  id: string;
  applied_at: Date | string | null;
  status: string | null;
}

/**
 * What a row's status says: failed when listed in `failedValues` (default failed/error); applied when
 * listed in `appliedValues`, or, without that list, unless it reads as rolled back, reverted or pending;
 * otherwise the row does not count as applied at all.
 */
function stateOf(status: string | undefined, c: CustomJournalSettings): JournalEntry["state"] | undefined {
  if (status === undefined) return "applied";
  if ((c.failedValues ?? ["failed", "error"]).includes(status)) return "failed";
  if (c.appliedValues) return c.appliedValues.includes(status) ? "applied" : undefined;
  return /roll|revert|pending/i.test(status) ? undefined : "applied";
}

export const customJournal: RunnerJournal = {
  runner: "custom",
  layouts: [],
  location,
  createSql: (settings) => {
    const c = custom(settings);
    const at = location(settings);
    const columns = [`${alwaysQuoted(c.idColumn)} text PRIMARY KEY`];
    if (c.appliedAtColumn) columns.push(`${alwaysQuoted(c.appliedAtColumn)} timestamptz NOT NULL DEFAULT now()`);
    if (c.statusColumn) columns.push(`${alwaysQuoted(c.statusColumn)} text`);
    if (c.rolledBackAtColumn) columns.push(`${alwaysQuoted(c.rolledBackAtColumn)} timestamptz`);
    return [`CREATE SCHEMA IF NOT EXISTS ${alwaysQuoted(at.schema)}`, `CREATE TABLE IF NOT EXISTS ${qualified(at)} (${columns.join(", ")})`];
  },
  recordSql: (migration, _set, settings) => {
    const c = custom(settings);
    const columns = [alwaysQuoted(c.idColumn)];
    const params: unknown[] = [migration.id];
    if (c.statusColumn) {
      columns.push(alwaysQuoted(c.statusColumn));
      params.push(c.appliedValues?.[0] ?? "applied");
    }
    const values = params.map((_, i) => `$${i + 1}`);
    return [{ text: `INSERT INTO ${qualified(location(settings))} (${columns.join(", ")}) VALUES (${values.join(", ")})`, params }];
  },
  async read(client: SqlClient, set: MigrationSet, settings: JournalSettings): Promise<JournalState> {
    const c = custom(settings);
    const at = location(settings);
    if (!(await tableExists(client, at))) return { location: at, exists: false, entries: [] };
    const select = [
      `${alwaysQuoted(c.idColumn)}::text AS id`,
      `${c.appliedAtColumn ? alwaysQuoted(c.appliedAtColumn) : "NULL"} AS applied_at`,
      `${c.statusColumn ? `${alwaysQuoted(c.statusColumn)}::text` : "NULL"} AS status`,
    ];
    const where = c.rolledBackAtColumn ? ` WHERE ${alwaysQuoted(c.rolledBackAtColumn)} IS NULL` : "";
    const order = c.appliedAtColumn ? `${alwaysQuoted(c.appliedAtColumn)}, ${alwaysQuoted(c.idColumn)}` : alwaysQuoted(c.idColumn);
    const rows = await client.query<CustomRow>(`SELECT ${select.join(", ")} FROM ${qualified(at)}${where} ORDER BY ${order}`);
    const byName = new Map<string, Migration>();
    // Later migrations never shadow an earlier, more specific name (an id wins over another's version).
    for (const m of set.migrations) for (const name of namesOf(m)) if (!byName.has(name)) byName.set(name, m);
    const entries: JournalEntry[] = [];
    for (const row of rows) {
      const status = c.statusColumn ? row.status ?? undefined : undefined;
      const state = stateOf(status, c);
      if (!state) continue;
      const entry: JournalEntry = { recorded: row.id, state };
      const migration = byName.get(row.id);
      if (migration) entry.migration = migration;
      if (row.applied_at !== null) entry.appliedAt = new Date(row.applied_at);
      if (status !== undefined) entry.detail = `${c.statusColumn} = ${status}`;
      entries.push(entry);
    }
    // Without an applied-at column the only order there is: the set's (rows with no file last).
    if (!c.appliedAtColumn) {
      const index = new Map(set.migrations.map((m, i) => [m.id, i]));
      entries.sort((a, b) => (a.migration ? index.get(a.migration.id)! : Infinity) - (b.migration ? index.get(b.migration.id)! : Infinity));
    }
    return { location: at, exists: true, entries };
  },
  unrecordSql: (entry, _state, settings) => {
    const c = custom(settings);
    const table = qualified(location(settings));
    const id = alwaysQuoted(c.idColumn);
    if (c.rolledBackAtColumn) {
      const col = alwaysQuoted(c.rolledBackAtColumn);
      return [{ text: `UPDATE ${table} SET ${col} = now() WHERE ${id}::text = $1 AND ${col} IS NULL`, params: [entry.recorded] }];
    }
    return [{ text: `DELETE FROM ${table} WHERE ${id}::text = $1`, params: [entry.recorded] }];
  },
  ownedObjects: (settings) => {
    const at = location(settings);
    return { schemas: [], relations: [`${at.schema}.${at.table}`] };
  },
};

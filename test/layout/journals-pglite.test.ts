/**
 * The drizzle and configurable journals on PGlite: the table their DDL creates, the rows `recordSql`
 * writes (what drizzle-orm's migrator writes: sha256 of the file, the journal's `when`), what `read`
 * matches, and what `unrecordSql` leaves. One PGlite for the file.
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { customJournal } from "../../src/layout/custom-journal.js";
import { drizzleJournal } from "../../src/layout/drizzle-journal.js";
import type { JournalSettings, SqlClient, Statement } from "../../src/layout/journal.js";
import { journalFor, journalSettings } from "../../src/layout/journals.js";
import type { MigrationSet } from "../../src/layout/types.js";
import { migration, sharedPglite } from "../verify/helpers.js";

const engine = sharedPglite();
const client = (): SqlClient => ({ query: (text, params) => engine().query(text, params) });

async function run(statements: Statement[]): Promise<void> {
  for (const s of statements) await client().query(s.text, s.params);
}

function set(layout: MigrationSet["layout"]): MigrationSet {
  const migrations = [
    migration("0000_init", "CREATE TABLE a (id int);", undefined, { when: 1000 }),
    migration("0001_b", "CREATE TABLE b (id int);", undefined, { when: 2000 }),
    migration("0002_c", "CREATE TABLE c (id int);", undefined, { when: 3000 }),
  ];
  return { layout, root: "migrations", migrations, stray: [] };
}

describe("drizzle journal", () => {
  it("records, reads and un-records rows as drizzle-orm's migrator keeps them", async () => {
    const s = set("drizzle");
    const settings: JournalSettings = {};
    for (const sql of drizzleJournal.createSql(settings)) await client().query(sql);
    for (const m of s.migrations) await run(drizzleJournal.recordSql(m, s, settings));
    const rows = await client().query<{ hash: string; created_at: string }>("SELECT hash, created_at::text AS created_at FROM drizzle.__drizzle_migrations ORDER BY id");
    expect(rows).toEqual(s.migrations.map((m) => ({ hash: createHash("sha256").update(m.up.text).digest("hex"), created_at: String(m.when) })));

    const state = await drizzleJournal.read(client(), s, settings);
    expect(state.exists).toBe(true);
    expect(state.entries.map((e) => [e.migration?.id, e.recorded, e.state])).toEqual([
      ["0000_init", "1000", "applied"],
      ["0001_b", "2000", "applied"],
      ["0002_c", "3000", "applied"],
    ]);
    await run(drizzleJournal.unrecordSql(state.entries[2]!, state, settings));
    const after = await drizzleJournal.read(client(), s, settings);
    expect(after.entries.map((e) => e.migration?.id)).toEqual(["0000_init", "0001_b"]);
    // What the migrator reads: the newest row, now 0001's, so 0002 (when 3000) is pending again.
    const [newest] = await client().query<{ created_at: string }>("SELECT created_at::text AS created_at FROM drizzle.__drizzle_migrations ORDER BY created_at DESC LIMIT 1");
    expect(newest!.created_at).toBe("2000");
    expect(drizzleJournal.ownedObjects(settings)).toEqual({ schemas: ["drizzle"], relations: ["drizzle.__drizzle_migrations", "drizzle.__drizzle_migrations_id_seq"] });
  });

  it("a missing table means nothing is applied", async () => {
    const state = await drizzleJournal.read(client(), set("drizzle"), { schema: "nowhere" });
    expect(state).toEqual({ location: { schema: "nowhere", table: "__drizzle_migrations" }, exists: false, entries: [] });
  });
});

describe("configurable journal", () => {
  const settings = journalSettings({ journal: { table: "_manual_migrations", idColumn: "filename" } });

  it("is chosen by the config's idColumn, whatever the layout", () => {
    expect(journalFor("plain", settings)).toBe(customJournal);
    expect(journalFor("drizzle", {})).toBe(drizzleJournal);
    expect(journalFor("plain", {})).toBeUndefined();
    expect(() => journalSettings({ journal: { idColumn: "filename" } })).toThrow("journal.idColumn needs journal.table");
  });

  it("matches rows by file name, orders them by the folder without an applied-at column, and deletes on un-record", async () => {
    const s = set("plain");
    await client().query("CREATE TABLE _manual_migrations (filename text PRIMARY KEY)");
    await client().query("INSERT INTO _manual_migrations VALUES ('0001_b/up.sql'), ('0000_init'), ('9999_gone.sql')");
    const state = await customJournal.read(client(), s, settings);
    // A row naming a path with its folder is no migration's name: it shows as missing, never guessed.
    expect(state.entries.map((e) => [e.migration?.id, e.recorded])).toEqual([
      ["0000_init", "0000_init"],
      [undefined, "0001_b/up.sql"],
      [undefined, "9999_gone.sql"],
    ]);
    await client().query("DELETE FROM _manual_migrations WHERE filename = '0001_b/up.sql'");
    await client().query("INSERT INTO _manual_migrations VALUES ('up.sql')");
    const byFile = await customJournal.read(client(), { ...s, migrations: s.migrations.slice(1, 2) }, settings);
    expect(byFile.entries.map((e) => e.migration?.id)).toEqual(["0001_b", undefined, undefined]);
    await run(customJournal.unrecordSql(state.entries[0]!, state, settings));
    expect((await client().query("SELECT filename FROM _manual_migrations ORDER BY 1")).map((r) => r["filename"])).toEqual(["9999_gone.sql", "up.sql"]);
  });

  it("reads a status column: failed values are failed, rolled back ones not applied; rollback_at is set instead of deleting", async () => {
    const status = journalSettings({
      journal: { schema: "ops", table: "migration_history", idColumn: "migration_name", appliedAtColumn: "applied_at", statusColumn: "status", rolledBackAtColumn: "rollback_at" },
    });
    for (const sql of customJournal.createSql(status)) await client().query(sql);
    const s = set("plain");
    for (const m of s.migrations) await run(customJournal.recordSql(m, s, status));
    await client().query("UPDATE ops.migration_history SET status = 'failed' WHERE migration_name = '0002_c'");
    await client().query("UPDATE ops.migration_history SET status = 'rolled_back' WHERE migration_name = '0001_b'");
    const state = await customJournal.read(client(), s, status);
    expect(state.entries.map((e) => [e.migration?.id, e.state, e.detail])).toEqual([
      ["0000_init", "applied", "status = applied"],
      ["0002_c", "failed", "status = failed"],
    ]);
    await run(customJournal.unrecordSql(state.entries[0]!, state, status));
    const rows = await client().query<{ migration_name: string; rolled: boolean }>("SELECT migration_name, rollback_at IS NOT NULL AS rolled FROM ops.migration_history ORDER BY 1");
    expect(rows.map((r) => [r.migration_name, r.rolled])).toEqual([
      ["0000_init", true],
      ["0001_b", false],
      ["0002_c", false],
    ]);
    expect((await customJournal.read(client(), s, status)).entries.map((e) => e.migration?.id)).toEqual(["0002_c"]);
  });
});

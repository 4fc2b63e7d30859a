import { describe, expect, it } from "vitest";
import { facts, onlySet } from "./helpers.js";

describe("postgres-migrations layout (supabase/storage)", () => {
  it("orders by the integer id, so 00010 comes after 0009; disable-transaction turns the wrapping off", async () => {
    const set = await onlySet({
      "migrations/tenant/0001-initialmigration.sql": "CREATE SCHEMA storage;",
      "migrations/tenant/00010-search-files.sql": "CREATE FUNCTION storage.f() RETURNS int LANGUAGE sql AS 'SELECT 1';",
      "migrations/tenant/0009-fix-search.sql": "SELECT 9;",
      "migrations/tenant/0011-index.sql": "-- postgres-migrations disable-transaction\nCREATE INDEX CONCURRENTLY i ON storage.objects (name);",
    });
    expect(set.layout).toBe("postgres-migrations");
    const d = "migrations/tenant";
    const on = { transactional: true, mode: "per-migration" };
    const target = (id: string) => ({ kind: "file", path: `${d}/rollback/${id}.down.sql` });
    expect(set.migrations.map(facts)).toEqual([
      { id: "0001-initialmigration", version: "1", up: `${d}/0001-initialmigration.sql`, down: undefined, expectsDown: false, target: target("0001-initialmigration"), ...on },
      { id: "0009-fix-search", version: "9", up: `${d}/0009-fix-search.sql`, down: undefined, expectsDown: false, target: target("0009-fix-search"), ...on },
      { id: "00010-search-files", version: "10", up: `${d}/00010-search-files.sql`, down: undefined, expectsDown: false, target: target("00010-search-files"), ...on },
      { id: "0011-index", version: "11", up: `${d}/0011-index.sql`, down: undefined, expectsDown: false, target: target("0011-index"), transactional: false, mode: "single-query" },
    ]);
  });

  it("the directive anywhere in the file counts (the runner checks `includes`)", async () => {
    const set = await onlySet({ "m/0001-a.sql": "SELECT 1;\n-- postgres-migrations disable-transaction\n" });
    expect(set.migrations[0]!.transactional).toBe(false);
  });
});

describe("plain layout", () => {
  it("ordered .sql files applied by psql: no transaction, no downs expected", async () => {
    const set = await onlySet({ "sql/002_b.sql": "CREATE TABLE b ();", "sql/001_a.sql": "CREATE TABLE a ();" });
    expect(set.layout).toBe("plain");
    const tx = { transactional: false, mode: "per-statement" };
    expect(set.migrations.map(facts)).toEqual([
      { id: "001_a", version: "001", up: "sql/001_a.sql", down: undefined, expectsDown: false, target: { kind: "file", path: "sql/001_down_a.sql" }, ...tx },
      { id: "002_b", version: "002", up: "sql/002_b.sql", down: undefined, expectsDown: false, target: { kind: "file", path: "sql/002_down_b.sql" }, ...tx },
    ]);
  });

  it("<ts>_down_<name>.sql next to the up is its down; the folder then expects downs", async () => {
    const set = await onlySet({
      "db/20240101_create_a.sql": "CREATE TABLE a (id int);",
      "db/20240101_down_create_a.sql": "DROP TABLE a;",
      "db/20240102_add_b.sql": "ALTER TABLE a ADD COLUMN b int;",
      "db/20240109_down_orphan.sql": "SELECT 1;",
    });
    expect(set.migrations.map((m) => [m.id, m.down?.path, m.expectsDown, m.downTarget])).toEqual([
      ["20240101_create_a", "db/20240101_down_create_a.sql", true, { kind: "file", path: "db/20240101_down_create_a.sql" }],
      ["20240102_add_b", undefined, true, { kind: "file", path: "db/20240102_down_add_b.sql" }],
    ]);
    expect(set.stray).toEqual(["db/20240109_down_orphan.sql"]);
  });

  it("inline -- ROLLBACK START/END sections are the down, kept in the up file", async () => {
    const text = "CREATE TABLE a (id int);\n-- ROLLBACK START\nDROP TABLE a;\n-- ROLLBACK END\n";
    const set = await onlySet({ "db/001_a.sql": text, "db/002_b.sql": "CREATE TABLE b (id int);" });
    const [a, b] = set.migrations;
    expect(a!.up.regions!.map((r) => text.slice(r.start, r.end))).toEqual(["CREATE TABLE a (id int);\n", "\n"]);
    expect(a!.down!.path).toBe("db/001_a.sql");
    expect(a!.down!.regions!.map((r) => text.slice(r.start, r.end))).toEqual(["\nDROP TABLE a;\n"]);
    expect(a!.downTarget).toEqual({ kind: "section", path: "db/001_a.sql", style: "rollback" });
    expect([b!.down, b!.expectsDown, b!.downTarget]).toEqual([undefined, true, { kind: "section", path: "db/002_b.sql", style: "rollback" }]);
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { indexesOfTable, tablesReferencing } from "../../src/catalog/lookup.js";
import { loadParser } from "../../src/parse/parse.js";
import { analyzeSet } from "../../src/pipeline/analyze.js";
import { migrationSetFromSql } from "../../src/pipeline/in-memory.js";

beforeAll(loadParser);

function catalogs(ups: string[]) {
  const set = migrationSetFromSql(ups.map((up, i) => ({ name: `m${i}`, up })));
  return analyzeSet(set, { settings: { pgVersion: 18, timeoutsSetByRunner: false }, searchPath: ["public"], rules: [], lint: false }).migrations.map((m) => m.catalogAfter);
}

describe("catalog look-ups", () => {
  it("find a table's indexes and the tables referencing it in the catalog asked about, in any order of questions", () => {
    const [created, moved, dropped] = catalogs([
      "CREATE TABLE a (id int PRIMARY KEY, x int); CREATE TABLE b (id int PRIMARY KEY, a_id int REFERENCES a (id)); CREATE TABLE c (a_id int REFERENCES a (id), b_id int REFERENCES b (id)); CREATE INDEX a_x ON a (x);",
      "ALTER TABLE c DROP CONSTRAINT c_a_id_fkey; ALTER TABLE a RENAME TO a2;",
      "DROP TABLE c; DROP INDEX a_x;",
    ]);
    const indexes = (c: typeof created, t: string) => indexesOfTable(c!.indexes, t).map((i) => i.name).sort();
    const referencing = (c: typeof created, t: string) => tablesReferencing(c!.tables, t).map((x) => x.name).sort();
    expect(indexes(created, "public.a")).toEqual(["a_pkey", "a_x"]);
    expect(referencing(created, "public.a")).toEqual(["b", "c"]);
    expect(referencing(created, "public.b")).toEqual(["c"]);
    expect(referencing(moved, "public.a2")).toEqual(["b"]);
    expect(referencing(moved, "public.a")).toEqual([]);
    expect(indexes(moved, "public.a2")).toEqual(["a_pkey", "a_x"]);
    expect(referencing(dropped, "public.b")).toEqual([]);
    expect(indexes(dropped, "public.a2")).toEqual(["a_pkey"]);
    expect(referencing(created, "public.a")).toEqual(["b", "c"]);
    expect(indexes(created, "public.a2")).toEqual([]);
  });

  it("keep DROP COLUMN dropping the foreign keys that referenced the column", () => {
    const [, after] = catalogs(["CREATE TABLE a (id int, code text UNIQUE); CREATE TABLE b (code text REFERENCES a (code));", "ALTER TABLE a DROP COLUMN code CASCADE;"]);
    expect(after!.tables.get("public.b")!.constraints.filter((c) => c.type === "foreign")).toEqual([]);
    expect(indexesOfTable(after!.indexes, "public.a")).toEqual([]);
  });
});

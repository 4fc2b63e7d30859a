import { beforeAll, describe, expect, it } from "vitest";
import { indexesOfTable } from "../../rules/_shared/indexes.js";
import { loadParser } from "../../src/parse/parse.js";
import { analyzeSet } from "../../src/pipeline/analyze.js";
import { migrationSetFromSql } from "../../src/pipeline/in-memory.js";

beforeAll(loadParser);

describe("indexesOfTable", () => {
  it("lists a table's indexes in the catalog asked about, whatever was asked before", () => {
    const set = migrationSetFromSql([
      { name: "m0", up: "CREATE TABLE a (id int PRIMARY KEY, x int); CREATE TABLE b (id int); CREATE INDEX a_x ON a (x); CREATE INDEX b_id ON b (id);" },
      { name: "m1", up: "ALTER TABLE a RENAME TO c;" },
      { name: "m2", up: "DROP INDEX a_x;" },
    ]);
    const [first, renamed, dropped] = analyzeSet(set, { settings: { pgVersion: 18, timeoutsSetByRunner: false }, searchPath: ["public"], rules: [], lint: false }).migrations.map((m) => m.catalogAfter);
    const names = (c: typeof first, table: string) => indexesOfTable(c!, table).map((i) => i.name).sort();
    expect(names(first, "public.a")).toEqual(["a_pkey", "a_x"]);
    expect(names(first, "public.b")).toEqual(["b_id"]);
    expect(names(renamed, "public.a")).toEqual([]);
    expect(names(renamed, "public.c")).toEqual(["a_pkey", "a_x"]);
    expect(names(dropped, "public.c")).toEqual(["a_pkey"]);
    expect(names(first, "public.a")).toEqual(["a_pkey", "a_x"]);
    expect(names(first, "public.c")).toEqual([]);
  });
});

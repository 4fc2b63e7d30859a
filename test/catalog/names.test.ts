import { beforeAll, describe, expect, it } from "vitest";
import { constraintNameTaken } from "../../src/catalog/names.js";
import { loadParser } from "../../src/parse/parse.js";
import { analyzeSet } from "../../src/pipeline/analyze.js";
import { migrationSetFromSql } from "../../src/pipeline/in-memory.js";

beforeAll(loadParser);

function catalogs(ups: string[]) {
  const set = migrationSetFromSql(ups.map((up, i) => ({ name: `m${i}`, up })));
  return analyzeSet(set, { settings: { pgVersion: 18, timeoutsSetByRunner: false }, searchPath: ["public"], rules: [], lint: false }).migrations.map((m) => m.catalogAfter);
}

describe("constraintNameTaken", () => {
  it("answers for the catalog asked about, in any order of questions", () => {
    const [created, renamed, dropped] = catalogs([
      "CREATE TABLE a (x int NOT NULL, y int CONSTRAINT y_positive CHECK (y > 0)); CREATE DOMAIN posint AS int CONSTRAINT posint_check CHECK (VALUE > 0);",
      "ALTER TABLE a RENAME CONSTRAINT y_positive TO y_above_zero;",
      "DROP TABLE a; DROP DOMAIN posint;",
    ]);
    const [other] = catalogs(["CREATE SCHEMA s; CREATE TABLE s.b (x int NOT NULL);"]);
    const ask = (c: typeof created, schema: string, name: string) => constraintNameTaken(c!, schema, name);
    expect(ask(created, "public", "a_x_not_null")).toBe(true);
    expect(ask(created, "public", "y_positive")).toBe(true);
    expect(ask(created, "public", "posint_check")).toBe(true);
    expect(ask(created, "s", "a_x_not_null")).toBe(false);
    expect(ask(renamed, "public", "y_positive")).toBe(false);
    expect(ask(renamed, "public", "y_above_zero")).toBe(true);
    expect(ask(dropped, "public", "a_x_not_null")).toBe(false);
    expect(ask(dropped, "public", "posint_check")).toBe(false);
    expect(ask(other, "s", "b_x_not_null")).toBe(true);
    expect(ask(other, "public", "a_x_not_null")).toBe(false);
    // Back to an earlier catalog after unrelated ones.
    expect(ask(created, "public", "a_x_not_null")).toBe(true);
    expect(ask(created, "public", "y_positive")).toBe(true);
    expect(ask(created, "s", "b_x_not_null")).toBe(false);
  });

  it("de-duplicates default names against constraints of other tables in the schema", () => {
    const [, second] = catalogs(["CREATE TABLE a (id int, CONSTRAINT b_id_not_null CHECK (id > 0));", "CREATE TABLE b (id int NOT NULL);"]);
    expect(second!.tables.get("public.b")!.columns[0]!.notNullName).toBe("b_id_not_null1");
  });
});

import { beforeAll, describe, expect, it } from "vitest";
import { chooseConstraintName, chooseRelationName, constraintNameTaken, makeObjectName } from "../../src/catalog/names.js";
import { applyStatement, emptyCatalog } from "../../src/catalog/replay.js";
import type { Catalog } from "../../src/catalog/types.js";
import { loadParser, parseSql } from "../../src/parse/parse.js";
import { SourceText } from "../../src/parse/source.js";
import { analyzeSet } from "../../src/pipeline/analyze.js";
import { migrationSetFromSql } from "../../src/pipeline/in-memory.js";

function replay(sql: string): Catalog {
  let c = emptyCatalog();
  for (const s of parseSql(new SourceText(sql)).statements) c = applyStatement(c, s, { migrationId: "m", path: "m.sql", searchPath: ["public"] });
  return c;
}

beforeAll(async () => {
  await loadParser();
});

describe("PostgreSQL's default names", () => {
  it("truncates to 63 bytes, the longer part first", () => {
    const long = "a".repeat(40);
    const name = makeObjectName(long, "b".repeat(40), "key");
    expect(Buffer.byteLength(name)).toBe(63);
    expect(name).toBe(`${"a".repeat(29)}_${"b".repeat(29)}_key`);
    expect(makeObjectName("t", undefined, "pkey")).toBe("t_pkey");
    // Never splits a multi-byte character.
    expect(makeObjectName("é".repeat(40), "x", "idx").endsWith("é_x_idx")).toBe(true);
  });

  it("adds 1, 2, … when taken, relations and constraints alike", () => {
    const c = replay("CREATE TABLE t (a int UNIQUE, b int CHECK (b > 0)); CREATE INDEX ON t (a);");
    expect(chooseRelationName(c, "public", "t", "a", "key", true)).toBe("t_a_key1");
    expect(chooseRelationName(c, "public", "t", "a", "idx", false)).toBe("t_a_idx1");
    expect(chooseConstraintName(c, "public", "t", "b", "check")).toBe("t_b_check1");
  });

  it("names constraints, indexes, NOT NULL and sequences as PostgreSQL 18 does", () => {
    const c = replay(`
      CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL UNIQUE, age int CHECK (age > 0), boss int REFERENCES users);
      ALTER TABLE users ADD CHECK (age < 200 AND age > 1);
      ALTER TABLE users ADD CHECK (email <> '' AND age > 0);
      CREATE INDEX ON users (lower(email));
      CREATE INDEX ON users (email, age);
    `);
    const t = c.tables.get("public.users")!;
    expect(t.constraints.map((x) => x.name).sort()).toEqual(
      ["users_age_check", "users_age_check1", "users_boss_fkey", "users_check", "users_email_key", "users_pkey"].sort(),
    );
    expect(t.columns.filter((x) => x.notNull).map((x) => x.notNullName)).toEqual(["users_id_not_null", "users_email_not_null"]);
    expect([...c.indexes.keys()].sort()).toEqual(["public.users_email_age_idx", "public.users_email_key", "public.users_lower_idx", "public.users_pkey"]);
    expect([...c.sequences.keys()]).toEqual(["public.users_id_seq"]);
    expect(t.constraints.find((x) => x.name === "users_boss_fkey")?.foreignKey?.refColumns).toEqual(["id"]);
  });
});

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

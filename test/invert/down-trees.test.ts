/**
 * The generated down's simple statements are read without libpg-query (src/invert/down-trees.ts): the
 * statements must be the ones libpg-query gives for the down text, field for field and at the same
 * positions, for names built to break a shortcut (keywords, case, quotes, truncation, `$`, non-ASCII)
 * and for downs whose other statements are broken; the model check must then parse no down made of
 * simple statements, and still judge the down by its text.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { keywordKindOf } from "@pgsql/quotes";
import type { Node } from "@pgsql/types";
import { parseSync, scanSync } from "libpg-query";
import { beforeAll, describe, expect, it } from "vitest";
import { applyStatement, emptyCatalog } from "../../src/catalog/replay.js";
import type { Catalog } from "../../src/catalog/types.js";
import { downStatements, simpleTree } from "../../src/invert/down-trees.js";
import { checkOnModel } from "../../src/invert/model-check.js";
import { planDown } from "../../src/invert/plan.js";
import type { StatementInverse } from "../../src/invert/types.js";
import { loadParser, parserCalls, parseSql } from "../../src/parse/parse.js";
import { SourceText } from "../../src/parse/source.js";
import type { Statement } from "../../src/parse/types.js";
import { migrationSetFromSql } from "../../src/pipeline/in-memory.js";

beforeAll(loadParser);

const long = (n: number): string => "n".repeat(n);

/** Names in every form a renderer could get wrong, bare and quoted, and schema-qualified. */
const NAMES = [
  "items",
  "_x1",
  "name", // unreserved keyword
  "type",
  "if",
  "int", // col-name keyword
  "time",
  "left", // type-func-name keyword
  "select", // reserved
  "user",
  "Items", // bare upper case folds
  "a$b",
  "1a",
  "é",
  '"Items"',
  '"select"',
  '"a""b"',
  '"a;b"',
  '"a--b"',
  '"a.b"',
  '"a b"',
  '"é"',
  '""',
  '"a',
  long(63),
  long(64),
  `"${long(63)}"`,
  `"${long(64)}"`,
  `"${long(62)}"""`,
  "public.items",
  '"Public".items',
  "s.t.u",
  "items ",
];

function shapes(n: string, m: string): string[] {
  return [
    `DROP INDEX IF EXISTS ${n}`,
    `DROP TABLE IF EXISTS ${n}`,
    `DROP VIEW IF EXISTS ${n}`,
    `DROP SEQUENCE IF EXISTS ${n}`,
    `DROP TRIGGER IF EXISTS ${m} ON ${n}`,
    `DROP POLICY IF EXISTS ${m} ON ${n}`,
    `ALTER TABLE ${n} DROP COLUMN IF EXISTS ${m}`,
    `ALTER TABLE ${n} DROP CONSTRAINT IF EXISTS ${m}`,
    `ALTER TABLE ${n} ALTER COLUMN ${m} DROP NOT NULL`,
    `ALTER TABLE ${n} ALTER COLUMN ${m} SET NOT NULL`,
    `ALTER TABLE ${n} ALTER COLUMN ${m} DROP DEFAULT`,
  ];
}

const simpleName = (n: string): string => (n.includes(".") && !n.startsWith('"') ? n.split(".").pop()! : n);
const ALL_TEXTS = NAMES.flatMap((n) => shapes(n, simpleName(n)));

/** A statement with its locations made absolute (a chunk's parse counts them from the chunk, a simple statement from itself). */
function comparable(s: Statement): unknown {
  const base = s.locationBase ?? 0;
  const node = JSON.parse(JSON.stringify(s.node, (k, v: unknown) => (k === "location" && typeof v === "number" ? v + base : v)));
  return { tag: s.tag, text: s.text, range: s.range, index: s.index, guard: s.guard, comments: s.comments, node, body: s.body?.map(comparable), plpgsql: s.plpgsql };
}

function parsedDown(sqls: readonly string[]): unknown[] {
  return parseSql(new SourceText(sqls.map((s) => `${s};`).join("\n"), "down")).statements.map(comparable);
}

const inverse = (sqls: readonly string[]) => sqls.map((sql) => ({ sql, transactional: true }));

describe("simpleTree", () => {
  it("gives libpg-query's own tree for the text, or nothing (keywords among its bare names are for the caller to refuse)", () => {
    let taken = 0;
    for (const sql of ALL_TEXTS) {
      const t = simpleTree(sql);
      if (!t) continue;
      taken++;
      let stmts;
      try {
        stmts = parseSync(sql).stmts!;
      } catch {
        // Only a keyword used as a bare name makes a simple shape not parse.
        expect(t.bare.some((n) => ["left", "select", "user"].includes(n)), sql).toBe(true);
        continue;
      }
      expect(stmts, sql).toHaveLength(1);
      expect(t.node, sql).toEqual(stmts[0]!.stmt as Node);
    }
    // The shortcut is taken for most shapes of usual names (bare, quoted, qualified) and refused for the rest.
    expect(taken).toBeGreaterThan(150);
    for (const sql of ["DROP INDEX IF EXISTS Items", `DROP INDEX IF EXISTS ${long(64)}`, `DROP INDEX IF EXISTS "${long(64)}"`, 'DROP INDEX IF EXISTS "é"', "DROP INDEX IF EXISTS a$b", "DROP INDEX IF EXISTS s.t.u", "DROP INDEX IF EXISTS items CASCADE", "DROP INDEX IF EXISTS a, b"]) {
      expect(simpleTree(sql), sql).toBeUndefined();
    }
  });
});

describe("the keyword table", () => {
  it("is libpg-query's: every word its scanner takes for a keyword, in the same category", () => {
    // The scanner's keyword list is compiled into the WASM binary as strings: every lower-case word in
    // it is asked of the scanner, so a keyword missing from @pgsql/quotes would be found.
    const wasm = path.join(path.dirname(createRequire(import.meta.url).resolve("libpg-query")), "libpg-query.wasm");
    const words = [...new Set(readFileSync(wasm).toString("latin1").match(/[a-z_]{2,}/g) ?? [])];
    expect(words.length).toBeGreaterThan(1000);
    const KINDS = ["NO_KEYWORD", "UNRESERVED_KEYWORD", "COL_NAME_KEYWORD", "TYPE_FUNC_NAME_KEYWORD", "RESERVED_KEYWORD"];
    let keywords = 0;
    for (let i = 0; i < words.length; i += 2000) {
      const batch = words.slice(i, i + 2000);
      const tokens = scanSync(batch.join(" ")).tokens;
      expect(tokens).toHaveLength(batch.length);
      tokens.forEach((t, j) => {
        const kind = KINDS[t.keywordKind]!;
        if (kind !== "NO_KEYWORD") keywords++;
        expect(keywordKindOf(batch[j]!), batch[j]).toBe(kind);
      });
    }
    // PostgreSQL 18 has about 490 keywords.
    expect(keywords).toBeGreaterThan(450);
  });
});

describe("downStatements", () => {
  it("gives the statements parseSql gives for each simple text, keywords and broken texts included", () => {
    const expected = ALL_TEXTS.map((sql) => parsedDown([sql]));
    const before = parserCalls();
    ALL_TEXTS.forEach((sql, i) => expect(downStatements(inverse([sql]), "down").map(comparable), sql).toEqual(expected[i]));
    // Simple texts of plain names needed no parse (the ones parsed are the refused ones).
    expect(ALL_TEXTS.length - (parserCalls() - before)).toBeGreaterThan(100);
    const plain = parserCalls();
    expect(downStatements(inverse(["DROP INDEX IF EXISTS items_name", 'ALTER TABLE "Items" DROP COLUMN IF EXISTS name']), "down")).toHaveLength(2);
    expect(parserCalls()).toBe(plain);
  });

  it("gives the statements parseSql gives for downs mixing simple and other statements, broken ones included", () => {
    const downs: string[][] = [
      ["CREATE TABLE t (a int, b text DEFAULT 'x;y')", "DROP INDEX IF EXISTS i", "ALTER TABLE t DROP COLUMN IF EXISTS b", "COMMENT ON TABLE t IS 'é'", "DROP TABLE IF EXISTS u"],
      ["DROP INDEX IF EXISTS i", "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM t) THEN ALTER TABLE t ALTER COLUMN a SET NOT NULL; END IF; END $$", "DROP TABLE IF EXISTS t"],
      ["CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1; $$", "DROP TRIGGER IF EXISTS tr ON t"],
      // Broken texts that run on into the next one in the real down: an open quote, an open dollar quote, a comment hiding the semicolon, BEGIN ATOMIC without END.
      ["ALTER TABLE t ALTER COLUMN a SET DEFAULT 'x", "DROP INDEX IF EXISTS \"i'j\"", "DROP TABLE IF EXISTS t"],
      ["ALTER TABLE t ALTER COLUMN a SET DEFAULT 'x", "DROP INDEX IF EXISTS i"],
      ["CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1", "DROP INDEX IF EXISTS i", "SELECT 1 $$"],
      ["ALTER TABLE t ADD COLUMN c int -- the column", "DROP INDEX IF EXISTS i"],
      ["ALTER TABLE t ADD COLUMN c int /* the column", "DROP INDEX IF EXISTS i", "SELECT 1 */"],
      ["CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1", "DROP INDEX IF EXISTS i", "END"],
      ["ALTER TABLE t ADD COLUMN c int NOT", "DROP INDEX IF EXISTS i"],
      ["DROP INDEX IF EXISTS i; DROP TABLE t", "DROP INDEX IF EXISTS j"],
      ["CREATE TABLE \"é\" (a int)", "DROP INDEX IF EXISTS i", "ALTER TABLE \"é\" DROP COLUMN IF EXISTS a"],
      ["DROP INDEX IF EXISTS i", "DROP TABLE IF EXISTS select", "DROP INDEX IF EXISTS j"],
      [],
    ];
    for (const d of downs) expect(downStatements(inverse(d), "down").map(comparable), d.join(" | ")).toEqual(parsedDown(d));
  });
});

/** The catalog after `sql` replayed on `from`. */
function replayed(sql: string, from: Catalog = emptyCatalog()): Catalog {
  let c = from;
  for (const s of parseSql(new SourceText(sql, "m.sql")).statements) c = applyStatement(c, s, { migrationId: "m", path: "m.sql", searchPath: ["public"] });
  return c;
}

describe("the model check", () => {
  it("parses no generated down made of simple statements, and claims it reversible", () => {
    const set = migrationSetFromSql([{ name: "002", up: "ALTER TABLE items ADD COLUMN note text;\nCREATE INDEX items_note ON items (note);\nALTER TABLE items ALTER COLUMN qty SET NOT NULL;" }]);
    const history = replayed("CREATE TABLE items (id bigint PRIMARY KEY, qty int);");
    const statements = parseSql(new SourceText(set.migrations[0]!.up.text, "002.sql")).statements;
    const at = new Map<Statement, Catalog>();
    let c = history;
    for (const s of statements) {
      at.set(s, c);
      c = applyStatement(c, s, { migrationId: "002", path: "002.sql", searchPath: ["public"] });
    }
    const before = parserCalls();
    const plan = planDown({ migration: set.migrations[0]!, statements, catalogAt: (s) => at.get(s)!, catalogAfter: c });
    expect(parserCalls() - before).toBe(0);
    expect(plan.class).toBe("reversible");
    expect(plan.sql).toContain("DROP INDEX IF EXISTS items_note;");
    expect(plan.sql).toContain("ALTER TABLE items DROP COLUMN IF EXISTS note;");
    expect(plan.sql).toContain("ALTER TABLE items ALTER COLUMN qty DROP NOT NULL;");
  });

  /** `up` run on `history`, undone by the inverse text `down`: the class the model check gives. */
  function judged(history: string, up: string, down: string): StatementInverse {
    const before = replayed(history);
    const after = replayed(up, before);
    const s: StatementInverse = { source: { text: up, range: { start: { offset: 0, line: 1, column: 1 }, end: { offset: up.length, line: 1, column: up.length + 1 } }, tag: "CreateStmt" }, class: "reversible", inverse: inverse([down]) };
    return checkOnModel({ statements: [s], before, after, migrationId: "m", searchPath: ["public"] })[0]!;
  }

  it("judges the down by its text, not by what the inverter meant", () => {
    // Quoted, the name keeps its case: the table created as `t` is not dropped.
    expect(judged("", "CREATE TABLE t (a int)", 'DROP TABLE IF EXISTS "T"')).toMatchObject({ class: "irreversible", reason: expect.stringContaining("does not restore table public.t") });
    // Bare, it folds to lower case: it is.
    expect(judged("", "CREATE TABLE t (a int)", "DROP TABLE IF EXISTS T").class).toBe("reversible");
    // A reserved word bare does not parse: nothing is dropped.
    expect(judged("", 'CREATE TABLE "select" (a int)', "DROP TABLE IF EXISTS select").class).toBe("irreversible");
    expect(judged("", 'CREATE TABLE "select" (a int)', 'DROP TABLE IF EXISTS "select"').class).toBe("reversible");
    // PostgreSQL truncates a name to 63 bytes: the 64-character name drops the table created with it.
    expect(judged("", `CREATE TABLE ${long(64)} (a int)`, `DROP TABLE IF EXISTS ${long(64)}`).class).toBe("reversible");
    expect(judged("", `CREATE TABLE ${long(64)} (a int)`, `DROP TABLE IF EXISTS "${long(64).toUpperCase()}"`).class).toBe("irreversible");
    // `$` continues a bare name: `items$x` is another table.
    const two = 'CREATE TABLE items (a int); CREATE TABLE "items$x" (a int, c int)';
    expect(judged(two, "ALTER TABLE items ADD COLUMN c int", "ALTER TABLE items$x DROP COLUMN IF EXISTS c").class).toBe("irreversible");
    expect(judged(two, "ALTER TABLE items ADD COLUMN c int", "ALTER TABLE items DROP COLUMN IF EXISTS c").class).toBe("reversible");
  });
});

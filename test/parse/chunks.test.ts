import { beforeAll, describe, expect, it } from "vitest";
import { loadParser, parseSql, SourceText } from "../../src/parse/index.js";
import { CHUNK_CHARS } from "../../src/parse/parse.js";
import type { Statement } from "../../src/parse/types.js";

beforeAll(loadParser);

const parse = (text: string) => parseSql(new SourceText(text, "big.sql"));

/** The number at the first A_Const `location` of an INSERT … VALUES, through the statement's locationBase. */
function firstValueText(source: SourceText, s: Statement): string {
  const insert = (s.node as { InsertStmt: { selectStmt: { SelectStmt: { valuesLists: { List: { items: { A_Const: { location: number } }[] } }[] } } } }).InsertStmt;
  const location = insert.selectStmt.SelectStmt.valuesLists[0]!.List.items[0]!.A_Const.location;
  const index = source.indexAt(s.locationBase! + location);
  return /^\d+/.exec(source.text.slice(index, index + 20))?.[0] ?? "";
}

const insertLine = (i: number) => `INSERT INTO seed (id, note) VALUES (${i}, 'note ${i} é');`;

describe("parseSql on a file longer than one chunk", () => {
  const rows = Math.ceil((3 * CHUNK_CHARS) / insertLine(0).length);
  const text = ["CREATE TABLE seed (id bigint PRIMARY KEY, note text);", ...Array.from({ length: rows }, (_, i) => insertLine(i))].join("\n") + "\n";

  it("parses every statement once, with its line, text and AST locations right across chunk boundaries", () => {
    const source = new SourceText(text, "big.sql");
    const r = parseSql(source);
    expect(r.syntaxErrors).toEqual([]);
    expect(r.statements).toHaveLength(rows + 1);
    // More than one chunk was parsed: the statements' locations count from several different starts.
    expect(new Set(r.statements.map((s) => s.locationBase)).size).toBeGreaterThan(2);
    r.statements.slice(1).forEach((s, i) => {
      expect(s.range.start.line).toBe(i + 2);
      expect(s.text).toBe(insertLine(i).slice(0, -1));
      expect(firstValueText(source, s)).toBe(String(i));
    });
    expect(r.statements.map((s) => s.index)).toEqual(r.statements.map((_, i) => i));
  });

  it("keeps a SQL-standard function body (BEGIN ATOMIC … ; … END) whole when a chunk would end inside it", () => {
    const filler = "SELECT 1;\n".repeat(Math.ceil(CHUNK_CHARS / 10) - 2);
    const fn = "CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql\nBEGIN ATOMIC\n" + "  SELECT CASE WHEN x > 0 THEN 1 ELSE 0 END;\n".repeat(20) + "END;\n";
    const r = parse(filler + fn + "SELECT 2;\n");
    expect(r.syntaxErrors).toEqual([]);
    const tags = r.statements.map((s) => s.tag);
    expect(tags.filter((t) => t === "CreateFunctionStmt")).toHaveLength(1);
    expect(tags.at(-1)).toBe("SelectStmt");
    expect(r.statements.at(-2)!.text.endsWith("END")).toBe(true);
  });

  it("reports a syntax error deep in a long file at PostgreSQL's line:col and keeps every other statement", () => {
    const lines = text.split("\n");
    const bad = Math.floor(rows / 2);
    lines[bad] = "INSERT INTO seed (id, note) VALUES (1, 'x') oops;";
    const r = parse(lines.join("\n"));
    expect(r.syntaxErrors.map((e) => [e.message, e.position.line, e.position.column])).toEqual([['syntax error at or near "oops"', bad + 1, 45]]);
    expect(r.statements).toHaveLength(rows);
  });
});

describe("parseSql on a file with a syntax error", () => {
  it("parses the statements after the bad one, with AST locations counted from their own text", () => {
    const text = "CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int NOT NULL DEFAULT 1\nALTER TABLE t ADD COLUMN c int;\nINSERT INTO t (a) VALUES (42);\n";
    const source = new SourceText(text, "m.sql");
    const r = parseSql(source);
    expect(r.syntaxErrors.map((e) => [e.message, e.position.line, e.position.column])).toEqual([['syntax error at or near "ALTER"', 3, 1]]);
    expect(r.statements.map((s) => [s.tag, s.range.start.line])).toEqual([
      ["CreateStmt", 1],
      ["InsertStmt", 4],
    ]);
    expect(firstValueText(source, r.statements[1]!)).toBe("42");
  });
});

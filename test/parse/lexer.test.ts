import { describe, expect, it } from "vitest";
import { lexRange, Scanner, type Token } from "../../src/parse/lexer.js";

const SQL = [
  "CREATE FUNCTION f() RETURNS int LANGUAGE sql BeGiN AtOmIc SELECT CASE WHEN true THEN 1 END; SELECT 2; EnD;",
  "-- a comment ; with a semicolon",
  "/* nested /* block */ comment */ INSERT INTO \"we;ird\" VALUES (E'it\\'s', 'a''b', $tag$ $$ ; $tag$, a$b);",
  "SELECT 1 -- trailing",
  ";",
].join("\n");

const scanAll = (text: string, from: number, to: number): { tokens: Token[]; comments: Token[]; error?: unknown } => {
  const scanner = new Scanner(text, from, to);
  const tokens: Token[] = [];
  for (let t = scanner.next(); t; t = scanner.next()) tokens.push(t);
  return { tokens, comments: scanner.comments, error: scanner.error };
};

describe("lexer", () => {
  it("cuts after the first statement-ending semicolon past cutAfter, BEGIN ATOMIC bodies kept whole in any case", () => {
    const lexed = lexRange(SQL, 0, SQL.length, 1);
    // The function body's `;` do not end the statement; its `EnD;` does.
    expect(SQL.slice(0, lexed.end)).toBe(SQL.split("\n")[0]);
    expect(lexed.error).toBeUndefined();
  });

  it("scans the same tokens and comments as lexRange, also from an offset and at an unterminated string", () => {
    const broken = `${SQL}\nSELECT 'unterminated`;
    for (const [from, to] of [
      [0, SQL.length],
      [SQL.indexOf("INSERT"), SQL.length],
      [0, broken.length],
    ] as const) {
      const text = to > SQL.length ? broken : SQL;
      const lexed = lexRange(text, from, to);
      expect(scanAll(text, from, to)).toEqual({ tokens: lexed.tokens, comments: lexed.comments, error: lexed.error });
    }
    expect(lexRange(broken, 0, broken.length).error).toEqual({ message: "unterminated quoted string", index: broken.lastIndexOf("'") });
    const words = lexRange(SQL, 0, SQL.length).tokens.filter((t) => t.kind === "word").map((t) => SQL.slice(t.start, t.end));
    expect(words).toContain('"we;ird"');
    expect(words).toContain("a$b");
  });
});

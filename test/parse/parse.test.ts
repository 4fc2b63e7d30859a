import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { findSections, loadParser, parseSql, SourceText } from "../../src/parse/index.js";

beforeAll(loadParser);

const parse = (text: string, path = "m.sql") => parseSql(new SourceText(text, path));
const at = (s: { range: { start: { line: number; column: number }; end: { line: number; column: number } } }) =>
  `${s.range.start.line}:${s.range.start.column}-${s.range.end.line}:${s.range.end.column}`;

describe("parseSql", () => {
  it("lists each statement's words of 22 UTF-16 units and more, as the lexer cuts them", () => {
    const long = "x".repeat(22);
    const sql = [
      `CREATE TABLE "${"Q".repeat(20)}" (${long}_id int, note text DEFAULT '${"s".repeat(40)}');`,
      `-- ${"c".repeat(40)}`,
      `CREATE INDEX ${"y".repeat(21)} ON t (a);`,
      `ALTER TABLE t RENAME ${long} TO ${"z".repeat(30)};`,
      `DO $$ BEGIN CREATE INDEX ${long} ON t (a); END $$;`,
    ].join("\n");
    const r = parse(sql);
    const words = (s: { longWords?: readonly number[] }) => {
      const out: string[] = [];
      for (let k = 0; k < (s.longWords ?? []).length; k += 2) out.push(sql.slice(s.longWords![k], s.longWords![k + 1]));
      return out;
    };
    // Quoted identifiers count with their quotes; strings, comments and shorter words do not count.
    expect(r.statements.map(words)).toEqual([[`"${"Q".repeat(20)}"`, `${long}_id`], [], [long, "z".repeat(30)], []]);
    // A DO body's statements were not lexed with the file: the rules lex them.
    expect(r.statements[3]!.body![0]!.longWords).toBeUndefined();
  });

  it("pins line:col of statements in a multi-line drizzle file", () => {
    const sql = [
      'CREATE TABLE IF NOT EXISTS "user" (',
      '\t"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,',
      '\t"email" varchar(64) NOT NULL',
      ");",
      "--> statement-breakpoint",
      'CREATE TABLE IF NOT EXISTS "chat" (',
      '\t"id" uuid PRIMARY KEY NOT NULL,',
      '\t"userId" uuid NOT NULL',
      ");",
      "--> statement-breakpoint",
      "DO $$ BEGIN",
      ' ALTER TABLE "chat" ADD CONSTRAINT "chat_userId_user_id_fk" FOREIGN KEY ("userId") REFERENCES "public"."user"("id") ON DELETE no action ON UPDATE no action;',
      "EXCEPTION",
      " WHEN duplicate_object THEN null;",
      "END $$;",
      "",
    ].join("\n");
    const r = parse(sql);
    expect(r.syntaxErrors).toEqual([]);
    expect(r.statements.map((s) => [s.tag, at(s)])).toEqual([
      ["CreateStmt", "1:1-4:2"],
      ["CreateStmt", "6:1-9:2"],
      ["DoStmt", "11:1-15:7"],
    ]);
    const guarded = r.statements[2]!.body!;
    expect(guarded).toHaveLength(1);
    expect(guarded[0]!.tag).toBe("AlterTableStmt");
    expect(at(guarded[0]!)).toBe("12:2-12:156");
    expect(guarded[0]!.text.startsWith('ALTER TABLE "chat" ADD CONSTRAINT')).toBe(true);
    expect(guarded[0]!.guard).toEqual({ catches: ["duplicate_object"], conditional: false, conditions: [], dynamic: false });
    expect(r.statements[0]!.text).toBe(sql.slice(0, sql.indexOf(");") + 1));
  });

  it("sees statements under IF guards and constant EXECUTE inside DO blocks", () => {
    const sql = `DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood') THEN
    CREATE TYPE mood AS ENUM ('sad', 'ok');
  END IF;
  EXECUTE 'ALTER TABLE t ADD COLUMN c int';
END
$$;`;
    const body = parse(sql).statements[0]!.body!;
    expect(body.map((s) => [s.tag, s.range.start.line, s.range.start.column, s.guard?.conditional, s.guard?.dynamic])).toEqual([
      ["CreateEnumStmt", 4, 5, true, false],
      ["AlterTableStmt", 6, 12, false, true],
    ]);
    expect(body[0]!.guard?.conditions).toEqual(["NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 'mood')"]);
  });

  it("reports the crates.io missing semicolon at line 2 and keeps the good statements", () => {
    const path = "../shared/corpus/rust-lang__crates.io/migrations/20170318181441_downloads_need_no_id/down.sql";
    const r = parse(readFileSync(path, "utf8"), path);
    expect(r.syntaxErrors).toEqual([{ message: 'syntax error at or near "ALTER"', position: { offset: 65, line: 2, column: 1 } }]);
    expect(r.statements.map((s) => [s.tag, s.range.start.line])).toEqual([["AlterTableStmt", 3]]);
  });

  it("counts columns in characters and offsets in UTF-8 bytes", () => {
    const r = parse("COMMENT ON TABLE a IS 'héllo';\nSELECT 'ü' x y;\nSELECT 1;");
    expect(r.statements.map((s) => [s.range.start.offset, s.range.end.offset, s.range.end.column])).toEqual([
      [0, 30, 30],
      [49, 57, 9],
    ]);
    expect(r.syntaxErrors).toEqual([{ message: 'syntax error at or near "y"', position: { offset: 46, line: 2, column: 14 } }]);
  });

  it("attaches leading comments to the next statement and keeps trailing ones out of its text", () => {
    const r = parse("-- first\n/* block */\nSELECT 1; -- same line\n-- second\nSELECT 2 -- trailing\n");
    expect(r.statements.map((s) => [s.text, s.comments.map((c) => c.text)])).toEqual([
      ["SELECT 1", ["-- first", "/* block */"]],
      ["SELECT 2", ["-- same line", "-- second"]],
    ]);
    expect(r.comments).toHaveLength(5);
  });

  it("treats semicolons and comment markers inside strings, identifiers and dollar quotes as text", () => {
    const r = parse(`SELECT ';--', "a;b", E'\\';', $fn$ ; -- $fn$; SELECT /* nested /* c */ ; */ 2;`);
    expect(r.syntaxErrors).toEqual([]);
    expect(r.statements).toHaveLength(2);
  });

  it("returns no statement for empty and comment-only text, and an error for an unterminated string", () => {
    expect(parse("").statements).toEqual([]);
    expect(parse("  -- only a comment\n/* and another */\n").statements).toEqual([]);
    const r = parse("SELECT 1;\nSELECT 'oops;\n");
    // The statements before the one the string never ends in are still parsed.
    expect(r.statements.map((s) => [s.text, at(s)])).toEqual([["SELECT 1", "1:1-1:9"]]);
    expect(r.syntaxErrors.map((e) => [e.message, e.position.line, e.position.column])).toEqual([["unterminated quoted string", 2, 8]]);
  });

  it("parses dbmate and inline rollback sections in place", () => {
    const dbmate = "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON t (a);\n\n-- migrate:down\nDROP INDEX i;\n";
    const s = findSections(dbmate);
    expect(s.kind).toBe("dbmate");
    expect(s.upTransaction).toBe(false);
    const source = new SourceText(dbmate);
    expect(parseSql(source, s.up).statements.map((x) => [x.tag, x.range.start.line])).toEqual([["IndexStmt", 2]]);
    expect(parseSql(source, s.down).statements.map((x) => [x.tag, x.range.start.line])).toEqual([["DropStmt", 5]]);

    const inline = "ALTER TABLE t ADD COLUMN c int;\n-- ROLLBACK START\nALTER TABLE t DROP COLUMN c;\n-- ROLLBACK END\n";
    const r = findSections(inline);
    expect(r.kind).toBe("rollback");
    const src2 = new SourceText(inline);
    expect(parseSql(src2, r.up).statements.map((x) => x.text)).toEqual(["ALTER TABLE t ADD COLUMN c int"]);
    expect(parseSql(src2, r.down).statements.map((x) => [x.text, x.range.start.line])).toEqual([["ALTER TABLE t DROP COLUMN c", 3]]);
  });
});

/**
 * Exact spans inside a statement, and fix edits.
 *
 * libpg-query reports node `location`s as byte offsets into the text it parsed. A top-level statement
 * records where that text started (`locationBase`: its piece, a chunk of a long piece, or itself after
 * a syntax error nearby); one built without it counts from its piece (its dbmate/rollback region, cut
 * at drizzle's `--> statement-breakpoint` markers); a statement found inside a DO block was parsed on
 * its own, so its locations count from its own first character. Findings use these spans so editors underline the column or clause at
 * fault, not the whole statement.
 */
import type { Range } from "../../src/parse/source.js";
import { lex, Scanner, type Token } from "../../src/parse/lexer.js";
import type { Statement } from "../../src/parse/types.js";
import type { RuleContext } from "../../src/lint/rule.js";
import type { Fix } from "../../src/lint/types.js";

const BREAKPOINT = "--> statement-breakpoint";

type Ctx = Pick<RuleContext, "up" | "migration">;

/** UTF-16 index in the file where the statement's text starts. */
export function statementStartIndex(ctx: Ctx, stmt: Statement): number {
  return ctx.up.source.indexAt(stmt.range.start.offset);
}

export function statementEndIndex(ctx: Ctx, stmt: Statement): number {
  return ctx.up.source.indexAt(stmt.range.end.offset);
}

/** The file byte offset that the statement's AST locations count from. */
function locationBase(ctx: Ctx, stmt: Statement): number {
  if (stmt.guard) return stmt.range.start.offset;
  if (stmt.locationBase !== undefined) return stmt.locationBase;
  const text = ctx.up.source.text;
  const start = statementStartIndex(ctx, stmt);
  const regions = ctx.migration.up.regions ?? [{ start: 0, end: text.length }];
  const region = regions.find((r) => r.start <= start && start <= r.end);
  let base = region?.start ?? 0;
  for (let at = text.indexOf(BREAKPOINT, base); at >= 0 && at < start; at = text.indexOf(BREAKPOINT, base)) base = at + BREAKPOINT.length;
  return ctx.up.source.byteAt(base);
}

/** UTF-16 file index of an AST location of `stmt`, clamped to the statement. */
export function indexOfLocation(ctx: Ctx, stmt: Statement, location: number): number {
  const index = ctx.up.source.indexAt(locationBase(ctx, stmt) + location);
  return Math.min(Math.max(index, statementStartIndex(ctx, stmt)), statementEndIndex(ctx, stmt));
}

/** Tokens of the statement text, with indexes into the file. */
export function statementTokens(ctx: Ctx, stmt: Statement): Token[] {
  const start = statementStartIndex(ctx, stmt);
  const end = statementEndIndex(ctx, stmt);
  return lex(ctx.up.source.text.slice(start, end)).tokens.map((t) => ({ ...t, start: t.start + start, end: t.end + start }));
}

/** The span of the single token at an AST location (an identifier, a keyword, a literal). */
export function tokenSpan(ctx: Ctx, stmt: Statement, location: number | undefined): Range {
  if (location === undefined || location < 0) return stmt.range;
  const start = indexOfLocation(ctx, stmt, location);
  const end = statementEndIndex(ctx, stmt);
  const text = ctx.up.source.text.slice(start, end);
  const first = new Scanner(text, 0, text.length).next();
  return ctx.up.source.rangeOfIndexes(start, start + (first ? first.end : 0));
}

/**
 * The span of a clause starting at an AST location: up to the next comma or closing parenthesis at
 * the same nesting depth, or the end of the statement (one column definition, one ALTER TABLE action).
 */
export function clauseSpan(ctx: Ctx, stmt: Statement, location: number | undefined): Range {
  if (location === undefined || location < 0) return stmt.range;
  const start = indexOfLocation(ctx, stmt, location);
  const endOfStatement = statementEndIndex(ctx, stmt);
  const text = ctx.up.source.text.slice(start, endOfStatement);
  let depth = 0;
  let end = 0;
  const scanner = new Scanner(text, 0, text.length);
  for (let t = scanner.next(); t; t = scanner.next()) {
    if (t.kind === "open") depth++;
    else if (t.kind === "close") {
      if (depth === 0) break;
      depth--;
    } else if (t.kind === "semicolon") break;
    else if (depth === 0 && text.slice(t.start, t.end) === ",") break;
    end = t.end;
  }
  return ctx.up.source.rangeOfIndexes(start, start + end);
}

/** Span between two file indexes. */
export function indexSpan(ctx: Ctx, start: number, end: number): Range {
  return ctx.up.source.rangeOfIndexes(start, end);
}

/**
 * The first run of consecutive words in the statement matching `words` (case-insensitive), e.g.
 * `["CREATE", "TABLE"]`. Returns the tokens matched, or undefined.
 */
export function findWords(ctx: Ctx, stmt: Statement, words: readonly string[], from = 0): Token[] | undefined {
  const tokens = statementTokens(ctx, stmt);
  const text = ctx.up.source.text;
  const wanted = words.map((w) => w.toLowerCase());
  for (let i = 0; i + wanted.length <= tokens.length; i++) {
    if (tokens[i]!.start < from) continue;
    let ok = true;
    for (let j = 0; j < wanted.length && ok; j++) {
      const t = tokens[i + j]!;
      ok = t.kind === "word" && text.slice(t.start, t.end).toLowerCase() === wanted[j];
    }
    if (ok) return tokens.slice(i, i + wanted.length);
  }
  return undefined;
}

/** Text of a token in the file. */
export function tokenText(ctx: Ctx, t: Token): string {
  return ctx.up.source.text.slice(t.start, t.end);
}

/** A fix inserting `text` at a file index of the up file. */
export function insertFix(ctx: Ctx, at: number, text: string): Fix {
  return { path: ctx.migration.up.path, edits: [{ start: at, end: at, text }] };
}

/**
 * Fixes are only offered for statements written directly in the file: text inside a DO block may be
 * a dynamic string whose characters do not map one to one to the file.
 */
export function canFix(stmt: Statement): boolean {
  return !stmt.guard;
}

/**
 * A fix appending a statement at the end of the file, adding the semicolon the last statement may
 * lack (PostgreSQL accepts a missing final semicolon; a statement after it would not parse).
 */
export function appendStatementFix(ctx: Ctx & Pick<RuleContext, "statements">, sql: string): Fix {
  const text = ctx.up.source.text;
  const last = ctx.statements[ctx.statements.length - 1];
  const newline = text.length === 0 || text.endsWith("\n") ? "" : "\n";
  const appended = `${newline}${sql}\n`;
  if (last) {
    const end = statementEndIndex(ctx, last);
    if (!/^\s*;/.test(text.slice(end))) {
      // One edit when the semicolon goes at the very end, so no two edits share a position.
      if (end === text.length) return insertFix(ctx, end, `;${appended}`);
      return { path: ctx.migration.up.path, edits: [{ start: end, end, text: ";" }, { start: text.length, end: text.length, text: appended }] };
    }
  }
  return insertFix(ctx, text.length, appended);
}

const TYPE_WORDS = new Set(["varying", "precision", "with", "without", "time", "zone"]);

/**
 * The span of a type name in the source, from its AST location: the name (possibly qualified or
 * several words: `double precision`, `timestamp(3) with time zone`), its modifiers and array bounds.
 */
export function typeSpan(ctx: Ctx, stmt: Statement, location: number | undefined): Range {
  if (location === undefined || location < 0) return stmt.range;
  const start = indexOfLocation(ctx, stmt, location);
  const text = ctx.up.source.text.slice(start, statementEndIndex(ctx, stmt));
  // The type's tokens, lexed as far as they are looked at (a type is a few tokens of a long statement).
  const scanner = new Scanner(text, 0, text.length);
  const tokens: Token[] = [];
  const token = (k: number): Token | undefined => {
    while (tokens.length <= k) {
      const t = scanner.next();
      if (!t) return undefined;
      tokens.push(t);
    }
    return tokens[k];
  };
  let i = 0;
  let end = 0;
  const word = (t: Token | undefined): string => (t && t.kind === "word" ? text.slice(t.start, t.end).toLowerCase() : "");
  const group = (): boolean => {
    if (token(i)?.kind !== "open") return false;
    let depth = 0;
    for (let t = token(i); t; t = token(++i)) {
      if (t.kind === "open") depth++;
      else if (t.kind === "close" && --depth === 0) {
        end = t.end;
        i++;
        return true;
      }
    }
    return false;
  };
  const first = token(0);
  if (!first) return stmt.range;
  end = first.end;
  i = 1;
  // schema-qualified: name . name
  while (word(token(i)) === "." && token(i + 1)) {
    end = token(i + 1)!.end;
    i += 2;
  }
  for (;;) {
    if (group()) continue;
    const w = word(token(i));
    if (TYPE_WORDS.has(w) || w === "array") {
      end = token(i)!.end;
      i++;
      continue;
    }
    break;
  }
  return ctx.up.source.rangeOfIndexes(start, start + end);
}

/** A fix replacing a span of the up file. */
export function replaceFix(ctx: Ctx, range: Range, text: string): Fix {
  const start = ctx.up.source.indexAt(range.start.offset);
  const end = ctx.up.source.indexAt(range.end.offset);
  return { path: ctx.migration.up.path, edits: [{ start, end, text }] };
}

/** The source text of a span. */
export function spanText(ctx: Ctx, range: Range): string {
  return ctx.up.source.text.slice(ctx.up.source.indexAt(range.start.offset), ctx.up.source.indexAt(range.end.offset));
}

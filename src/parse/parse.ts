/**
 * SQL text → `Statement[]` with exact ranges, using libpg-query (the PostgreSQL 18 grammar in WASM).
 *
 * A file is parsed region by region (a region is a dbmate/rollback section or the whole file), and each
 * region is split at drizzle's `--> statement-breakpoint` markers first, because drizzle-kit runs the
 * pieces separately and a piece may lack its final semicolon. When a piece does not parse, it is parsed
 * again statement by statement so one bad statement costs one `syntax-error`, not the whole file.
 */
import { loadModule, parseSync } from "libpg-query";
import type { Node, RawStmt } from "@pgsql/types";
import { nodeTag } from "./ast.js";
import { lex, type Token } from "./lexer.js";
import { parseDoBody } from "./do-block.js";
import type { SourceText } from "./source.js";
import type { Comment, ParsedSql, Region, Statement, SyntaxIssue } from "./types.js";

let loaded: Promise<void> | undefined;

/** Loads the WASM parser once; every parse function needs it to have resolved. */
export function loadParser(): Promise<void> {
  loaded ??= loadModule();
  return loaded;
}

const BREAKPOINT = "--> statement-breakpoint";

export function parseSql(source: SourceText, regions?: Region[]): ParsedSql {
  const result: ParsedSql = { source, statements: [], comments: [], syntaxErrors: [] };
  for (const region of regions ?? [{ start: 0, end: source.text.length }]) {
    for (const piece of splitAtBreakpoints(source.text, region)) parsePiece(source, piece, result);
  }
  result.statements.forEach((s, i) => {
    s.index = i;
    for (const inner of s.body ?? []) inner.index = i;
  });
  return result;
}

function splitAtBreakpoints(text: string, region: Region): Region[] {
  const pieces: Region[] = [];
  let start = region.start;
  for (;;) {
    const at = text.indexOf(BREAKPOINT, start);
    if (at < 0 || at >= region.end) break;
    pieces.push({ start, end: at });
    start = at + BREAKPOINT.length;
  }
  pieces.push({ start, end: region.end });
  return pieces;
}

function parsePiece(source: SourceText, piece: Region, out: ParsedSql): void {
  const text = source.text.slice(piece.start, piece.end);
  const lexed = lex(text);
  for (const c of lexed.comments) out.comments.push(toComment(source, piece.start, c));
  if (lexed.error) {
    out.syntaxErrors.push({ message: lexed.error.message, position: source.positionAtIndex(piece.start + lexed.error.index) });
  }
  if (!lexed.tokens.some((t) => t.kind !== "semicolon")) return;
  if (lexed.error) return;

  const chunkByte0 = source.byteAt(piece.start);
  try {
    const parsed = parseSync(text);
    for (const raw of parsed.stmts ?? []) {
      const stmt = toStatement(source, piece.start, chunkByte0, text, raw, lexed.tokens, lexed.comments);
      if (stmt) out.statements.push(stmt);
    }
    return;
  } catch {
    // Fall through: find the bad statement(s) one at a time.
  }
  for (const part of splitAtSemicolons(lexed.tokens, text.length)) {
    const partText = text.slice(part.start, part.end);
    if (!lexed.tokens.some((t) => t.kind !== "semicolon" && t.start >= part.start && t.end <= part.end)) continue;
    const partStart = piece.start + part.start;
    try {
      const parsed = parseSync(partText);
      const partTokens = lexed.tokens.filter((t) => t.start >= part.start && t.end <= part.end).map((t) => shift(t, -part.start));
      const partComments = lexed.comments.filter((t) => t.start >= part.start && t.end <= part.end).map((t) => shift(t, -part.start));
      for (const raw of parsed.stmts ?? []) {
        const stmt = toStatement(source, partStart, source.byteAt(partStart), partText, raw, partTokens, partComments);
        if (stmt) out.statements.push(stmt);
      }
    } catch (error) {
      out.syntaxErrors.push(syntaxIssue(source, partStart, error));
    }
  }
}

function shift<T extends { start: number; end: number }>(t: T, by: number): T {
  return { ...t, start: t.start + by, end: t.end + by };
}

/** Top-level statement spans, split at semicolons outside parentheses. */
function splitAtSemicolons(tokens: Token[], length: number): Region[] {
  const parts: Region[] = [];
  let start = 0;
  let depth = 0;
  for (const t of tokens) {
    if (t.kind === "open") depth++;
    else if (t.kind === "close") depth = Math.max(0, depth - 1);
    else if (t.kind === "semicolon" && depth === 0) {
      parts.push({ start, end: t.start });
      start = t.end;
    }
  }
  parts.push({ start, end: length });
  return parts;
}

function syntaxIssue(source: SourceText, startIndex: number, error: unknown): SyntaxIssue {
  const details = (error as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
  const message = details?.message ?? (error instanceof Error ? error.message : String(error));
  // libpg-query's cursor is a 0-based count of code points from the start of the parsed text.
  const cursor = details?.cursorPosition ?? 0;
  return { message, position: source.positionAtIndex(source.indexAfterCodePoints(startIndex, cursor)) };
}

function toComment(source: SourceText, base: number, c: Token): Comment {
  return { text: c.text, range: source.rangeOfIndexes(base + c.start, base + c.end) };
}

/**
 * Builds a Statement from libpg-query's RawStmt. Its location and length are byte offsets into the
 * parsed text; the exact start and end come from the first and last real token inside that span, so
 * leading comments and trailing whitespace are not part of the statement.
 */
function toStatement(
  source: SourceText,
  base: number,
  baseByte: number,
  text: string,
  raw: RawStmt,
  tokens: Token[],
  comments: Token[],
): Statement | undefined {
  if (!raw.stmt) return undefined;
  const startIdx = source.indexAt(baseByte + (raw.stmt_location ?? 0)) - base;
  const endIdx = raw.stmt_len === undefined ? text.length : source.indexAt(baseByte + (raw.stmt_location ?? 0) + raw.stmt_len) - base;
  let first: Token | undefined;
  let last: Token | undefined;
  for (const t of tokensWithin(tokens, startIdx, endIdx)) {
    if (t.kind === "semicolon") continue;
    first ??= t;
    last = t;
  }
  if (!first || !last) return undefined;
  const s = base + first.start;
  const e = base + last.end;
  const node = raw.stmt as Node;
  const stmt: Statement = {
    node,
    tag: nodeTag(node),
    text: source.text.slice(s, e),
    range: source.rangeOfIndexes(s, e),
    comments: [],
    index: 0,
  };
  if (stmt.tag === "DoStmt") parseDoBody(source, stmt);
  stmt.comments = precedingComments(source, base, comments, first.start, tokens);
  return stmt;
}

function* tokensWithin(tokens: Token[], start: number, end: number): Generator<Token> {
  for (let i = firstAtOrAfter(tokens, start); i < tokens.length && tokens[i]!.end <= end; i++) yield tokens[i]!;
}

/** Comments after the previous real token (or the start of the text) and before `start`. */
function precedingComments(source: SourceText, base: number, comments: Token[], start: number, tokens: Token[]): Comment[] {
  const i = firstAtOrAfter(tokens, start);
  const prevEnd = i > 0 ? tokens[i - 1]!.end : 0;
  const out: Comment[] = [];
  for (let j = firstAtOrAfter(comments, prevEnd); j < comments.length && comments[j]!.end <= start; j++) {
    out.push(toComment(source, base, comments[j]!));
  }
  return out;
}

/** Index of the first token whose start is at or after `index` (tokens are sorted). */
function firstAtOrAfter(tokens: Token[], index: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.start < index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

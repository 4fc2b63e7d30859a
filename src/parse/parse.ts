/**
 * SQL text → `Statement[]` with exact ranges, using libpg-query (the PostgreSQL 18 grammar in WASM).
 *
 * A file is parsed region by region (a region is a dbmate/rollback section or the whole file), and each
 * region is split at drizzle's `--> statement-breakpoint` markers first, because drizzle-kit runs the
 * pieces separately and a piece may lack its final semicolon. When a piece does not parse, it is parsed
 * again statement by statement so one bad statement costs one `syntax-error`, not the whole file.
 */
import { pgQuery } from "./pg-query.js";
import type { Node, RawStmt } from "@pgsql/types";
import { nodeTag } from "./ast.js";
import { lexRange, StatementEnds, type Lexed, type Token } from "./lexer.js";
import { parseDoBody } from "./do-block.js";
import { isDroppable, lazyNode, releaseHeldTrees, setStatementParser } from "./lazy-node.js";
import type { SourceText } from "./source.js";
import { LONG_WORD_UNITS, type Comment, type ParsedSql, type Region, type Statement, type SyntaxIssue } from "./types.js";

/** Loads the WASM parser once; every parse function needs it to have resolved. */
export { loadParser } from "./pg-query.js";

const BREAKPOINT = "--> statement-breakpoint";

/**
 * Files above this size are not parsed: a `file-too-large` finding says so. Parsing costs about a
 * second and 40 MB of memory per megabyte of INSERTs (libpg-query's JSON trees), so 64 MiB is roughly
 * the most that fits in Node's default heap with the rest of the pipeline; the bench keeps 50 MB.
 */
export const MAX_FILE_BYTES = 64 * 1024 * 1024;

/**
 * `lazyAbove`: in a piece longer than this many characters, the syntax trees of data statements are
 * not kept but parsed again when read (lazy-node.ts), so a data migration's memory does not grow with
 * a tree per INSERT. Shorter pieces, every migration of a usual project, keep their trees. Tests set
 * `treeRetention.lazyAbove` to Infinity to compare a whole analysis with every tree kept.
 *
 * `onStatements`: called with each chunk's statements, in file order, while their trees are alive
 * (dropped trees included), so a caller that reads every tree (the replay and the down planner) reads
 * it once instead of parsing it again.
 */
export type StatementsSeen = (statements: readonly Statement[]) => void;

export function parseSql(source: SourceText, regions?: Region[], maxBytes = MAX_FILE_BYTES, lazyAbove = treeRetention.lazyAbove, onStatements?: StatementsSeen): ParsedSql {
  const result: ParsedSql = { source, statements: [], comments: [], syntaxErrors: [] };
  if (source.byteLength > maxBytes) {
    result.tooLarge = { bytes: source.byteLength, limit: maxBytes };
    return result;
  }
  for (const region of regions ?? [{ start: 0, end: source.text.length }]) {
    for (const piece of splitAtBreakpoints(source.text, region)) parsePiece(source, piece, result, piece.end - piece.start > lazyAbove, onStatements);
  }
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

/**
 * Text up to this many characters is parsed in one libpg-query call. A longer piece (a data migration
 * or a seed dump of megabytes) is lexed and parsed a chunk of whole statements at a time: one call on
 * 50 MB runs libpg-query out of its 1 GB heap (and it prints its memory dump on stderr), and lexing
 * the chunk just before parsing it keeps only one chunk's tokens in memory.
 */
export const CHUNK_CHARS = 256 * 1024;

/**
 * The default of `parseSql`'s `lazyAbove`: 8 MiB (~90,000 INSERTs, ~100 MB of trees). Above it a kept
 * tree per data statement is what runs out of memory. A dropped tree is not parsed again by a usual
 * analysis (the replay and the down planner read each chunk's trees as it is parsed, the rules read
 * tree facts), so the threshold costs no time; a tree read later still parses, correctly, at one
 * libpg-query call per statement.
 */
export const LAZY_TREES_ABOVE = 8 * 1024 * 1024;
export const treeRetention = { lazyAbove: LAZY_TREES_ABOVE };

function parsePiece(source: SourceText, piece: Region, out: ParsedSql, lazy: boolean, onStatements: StatementsSeen | undefined): void {
  for (let at = piece.start; at < piece.end; ) {
    const lexed = lexRange(source.text, at, piece.end, at + CHUNK_CHARS);
    const first = out.statements.length;
    try {
      parseChunk(source, { start: at, end: lexed.end }, lexed, out, lazy);
      for (let i = first; i < out.statements.length; i++) {
        const s = out.statements[i]!;
        s.index = i;
        for (const inner of s.body ?? []) inner.index = i;
      }
      if (onStatements && out.statements.length > first) onStatements(out.statements.slice(first));
    } finally {
      // Only one chunk's trees are alive at a time.
      releaseHeldTrees();
    }
    if (lexed.error) return;
    at = lexed.end;
  }
}

function parseChunk(source: SourceText, chunk: Region, lexed: Lexed, out: ParsedSql, lazy: boolean): void {
  for (const c of lexed.comments) out.comments.push(toComment(source, c));
  if (!lexed.tokens.some((t) => t.kind !== "semicolon")) {
    if (lexed.error) out.syntaxErrors.push({ message: lexed.error.message, position: source.positionAtIndex(lexed.error.index) });
    return;
  }
  if (!lexed.error) {
    try {
      const parsed = quietParse(source.text.slice(chunk.start, chunk.end));
      for (const raw of parsed.stmts ?? []) {
        const stmt = toStatement(source, chunk, raw, lexed.tokens, lexed.comments, lazy);
        if (stmt) out.statements.push(stmt);
      }
      return;
    } catch {
      // Fall through: find the bad statement(s) one at a time.
    }
  }
  const parts = splitAtStatementEnds(source.text, lexed.tokens, chunk);
  // The statement the lexer stopped in is unfinished: its error is the lexer's, not a parse of half of it.
  if (lexed.error) parts.pop();
  for (const part of parts) {
    if (!lexed.tokens.some((t) => t.kind !== "semicolon" && t.start >= part.start && t.end <= part.end)) continue;
    try {
      const parsed = quietParse(source.text.slice(part.start, part.end));
      for (const raw of parsed.stmts ?? []) {
        const stmt = toStatement(source, part, raw, lexed.tokens, lexed.comments, lazy);
        if (stmt) out.statements.push(stmt);
      }
    } catch (error) {
      out.syntaxErrors.push(syntaxIssue(source, part.start, error));
    }
  }
  if (lexed.error) out.syntaxErrors.push({ message: lexed.error.message, position: source.positionAtIndex(lexed.error.index) });
}

setStatementParser((text) => {
  const stmts = quietParse(text).stmts ?? [];
  return stmts.length === 1 ? stmts[0]!.stmt : undefined;
});

let parseCalls = 0;

/** How many times libpg-query's parser was called so far (tests check what a stage parses, e.g. no generated down). */
export function parserCalls(): number {
  return parseCalls;
}

/**
 * libpg-query's parser, with its stderr muted for the call: when its heap runs out it prints
 * PostgreSQL's memory-context dump there before failing, and the failure is reported as a finding.
 */
function quietParse(text: string): ReturnType<ReturnType<typeof pgQuery>["parseSync"]> {
  const { parseSync } = pgQuery();
  parseCalls++;
  const stderr = process.stderr;
  const write = stderr.write;
  stderr.write = (() => true) as typeof stderr.write;
  try {
    return parseSync(text);
  } finally {
    stderr.write = write;
  }
}

/** Top-level statement spans of a chunk, cut where PostgreSQL's psql would cut them. */
function splitAtStatementEnds(text: string, tokens: Token[], chunk: Region): Region[] {
  const parts: Region[] = [];
  const ends = new StatementEnds(text);
  let start = chunk.start;
  for (const t of tokens) {
    if (ends.ends(t)) {
      parts.push({ start, end: t.start });
      start = t.end;
    }
  }
  parts.push({ start, end: chunk.end });
  return parts;
}

function syntaxIssue(source: SourceText, startIndex: number, error: unknown): SyntaxIssue {
  const details = (error as { sqlDetails?: { message?: string; cursorPosition?: number } }).sqlDetails;
  const message = details?.message ?? (error instanceof Error ? error.message : String(error));
  // libpg-query's cursor is a 0-based count of code points from the start of the parsed text.
  const cursor = details?.cursorPosition ?? 0;
  return { message, position: source.positionAtIndex(source.indexAfterCodePoints(startIndex, cursor)) };
}

function toComment(source: SourceText, c: Token): Comment {
  return { text: c.text, range: source.rangeOfIndexes(c.start, c.end) };
}

/**
 * Builds a Statement from libpg-query's RawStmt. Its location and length are byte offsets into the
 * parsed text (`parsed`, a chunk or one statement of the file); the exact start and end come from the
 * first and last real token inside that span, so leading comments and trailing whitespace are not part
 * of the statement. Tokens and comments carry indexes into the whole file.
 */
function toStatement(source: SourceText, parsed: Region, raw: RawStmt, tokens: Token[], comments: Token[], lazy: boolean): Statement | undefined {
  if (!raw.stmt) return undefined;
  const baseByte = source.byteAt(parsed.start);
  const startIdx = source.indexAt(baseByte + (raw.stmt_location ?? 0));
  const endIdx = raw.stmt_len === undefined ? parsed.end : source.indexAt(baseByte + (raw.stmt_location ?? 0) + raw.stmt_len);
  // The first and last real tokens of the span, and its long words, in one pass over its tokens.
  let firstAt = -1;
  let lastAt = -1;
  let longWords: number[] | undefined;
  for (let i = firstAtOrAfter(tokens, startIdx); i < tokens.length && tokens[i]!.end <= endIdx; i++) {
    const t = tokens[i]!;
    if (t.kind === "semicolon") continue;
    if (firstAt < 0) firstAt = i;
    lastAt = i;
    if (t.kind === "word" && t.end - t.start >= LONG_WORD_UNITS) (longWords ??= []).push(t.start, t.end);
  }
  if (firstAt < 0) return undefined;
  const first = tokens[firstAt]!;
  const last = tokens[lastAt]!;
  const node = raw.stmt as Node;
  const tag = nodeTag(node);
  const text = source.text.slice(first.start, last.end);
  // A dropped tree is parsed again from the statement's text: its locations count from its first token.
  const dropped = lazy && isDroppable(tag, text);
  const stmt: Statement = {
    node: dropped ? lazyNode(tag, text, (node as Record<string, unknown>)[tag]) : node,
    tag,
    text,
    range: source.rangeOfIndexes(first.start, last.end),
    comments: [],
    index: 0,
    locationBase: dropped ? source.byteAt(first.start) : baseByte,
    longWords: longWords ?? NO_LONG_WORDS,
  };
  if (stmt.tag === "DoStmt") parseDoBody(source, stmt);
  stmt.comments = precedingComments(source, comments, first.start, firstAt, tokens, parsed.start);
  return stmt;
}

/** The long words of a statement with none (nearly all): one shared, frozen array. */
const NO_LONG_WORDS: readonly number[] = Object.freeze([]);

/** The comments of a statement with none: one shared, frozen array instead of one per statement. */
const NO_COMMENTS: Comment[] = Object.freeze([]) as unknown as Comment[];

/**
 * Comments after the previous real token (or the start of the parsed text) and before `start`, the
 * start of `tokens[i]`.
 */
function precedingComments(source: SourceText, comments: Token[], start: number, i: number, tokens: Token[], parsedStart: number): Comment[] {
  const prevEnd = i > 0 ? tokens[i - 1]!.end : parsedStart;
  let out: Comment[] | undefined;
  for (let j = firstAtOrAfter(comments, prevEnd); j < comments.length && comments[j]!.end <= start; j++) {
    (out ??= []).push(toComment(source, comments[j]!));
  }
  return out ?? NO_COMMENTS;
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

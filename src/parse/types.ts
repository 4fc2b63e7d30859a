import type { Node } from "@pgsql/types";
import type { NodeTag } from "./ast.js";
import type { Position, Range, SourceText } from "./source.js";

export interface Comment {
  /** The comment's text including its markers (`-- …` or `/* … *\/`). */
  text: string;
  range: Range;
}

/** How a statement found inside a DO block is protected. */
export interface Guard {
  /** Conditions caught by enclosing EXCEPTION handlers, lower case (`duplicate_object`, `others`). */
  catches: string[];
  /** Runs only under an IF / CASE / loop inside the block. */
  conditional: boolean;
  /** The condition texts of enclosing IF branches, innermost last (`NOT EXISTS (SELECT …)`). */
  conditions: string[];
  /** Came from `EXECUTE '<constant string>'`. */
  dynamic: boolean;
}

export interface Statement {
  /** The statement's AST, a single-key node such as `{ CreateStmt: … }`. */
  node: Node;
  tag: NodeTag;
  /** The exact source text of the statement, without its terminating semicolon. */
  text: string;
  range: Range;
  /** Comments between the previous statement (or section start) and this one. */
  comments: Comment[];
  /**
   * The file byte offset that the AST's `location`s count from: the start of the text libpg-query
   * parsed (a piece, a chunk of a long piece, or this statement alone after a syntax error nearby).
   * Unset on statements of a DO body, whose locations count from their own start.
   */
  locationBase?: number;
  /** Position among the top-level statements of the parsed text (DO body statements share their DO's). */
  index: number;
  /** Set on SQL statements found inside a DO block. */
  guard?: Guard;
  /** On a DO statement: the SQL statements of its PL/pgSQL body, in source order. */
  body?: Statement[];
  /** On a DO statement: the PL/pgSQL AST (`plpgsql_funcs[0]`), for rules that look at RAISE etc. */
  plpgsql?: unknown;
  /**
   * The word tokens (identifiers, keywords, quoted identifiers) of at least `LONG_WORD_UNITS` UTF-16
   * units, as pairs of file indexes `[start, end, start, end, …]`, taken from the lex the parse made
   * (rules looking for over-long names need not lex the statement again). Unset when the statement
   * was not lexed with its file (the statements of a DO body): lex its text then.
   */
  longWords?: readonly number[];
}

/**
 * The shortest word `Statement.longWords` lists: a UTF-16 unit is at most 3 bytes of UTF-8, so a
 * shorter word cannot exceed PostgreSQL's 63-byte identifiers (NAMEDATALEN - 1).
 */
export const LONG_WORD_UNITS = Math.ceil(64 / 3);

export interface SyntaxIssue {
  message: string;
  position: Position;
}

export interface ParsedSql {
  source: SourceText;
  statements: Statement[];
  /** Comments anywhere in the parsed regions (ignore directives may stand anywhere). */
  comments: Comment[];
  syntaxErrors: SyntaxIssue[];
  /** Set when the file is above the size migration-lint parses: nothing of it was parsed. */
  tooLarge?: { bytes: number; limit: number };
}

/** A half-open region of a file, in UTF-16 indexes. */
export interface Region {
  start: number;
  end: number;
}

/**
 * A coarse SQL lexer: enough to find comments, semicolons, parentheses and where real tokens start
 * and end. It knows PostgreSQL's quoting (standard and E'' strings, quoted identifiers, dollar quotes,
 * nested block comments) so a `;` or `--` inside a string is not mistaken for one outside. The grammar
 * itself is libpg-query's job; this only supplies positions, without a second pass through WASM.
 */

export type TokenKind = "word" | "string" | "open" | "close" | "semicolon" | "comment";

export interface Token {
  kind: TokenKind;
  /** UTF-16 indexes into the lexed text. */
  start: number;
  end: number;
  /** Only comments carry their text. */
  text: string;
}

export interface Lexed {
  tokens: Token[];
  comments: Token[];
  error?: { message: string; index: number };
  /** Where lexing stopped: the end of the text, or just after the semicolon it was asked to cut at. */
  end: number;
}

/** Lexes the whole text. */
export function lex(text: string): Lexed {
  return lexRange(text, 0, text.length);
}

const isSpace = (c: number): boolean => c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11;
const isIdentStart = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c >= 128;
const isIdentChar = (c: number): boolean => isIdentStart(c) || (c >= 48 && c <= 57);

/**
 * Lexes `text[from, to)`, with indexes into the whole text. With `cutAfter`, it stops after the first
 * statement-ending semicolon at or past that index, so a huge file is lexed and parsed a chunk at a time
 * and only one chunk's tokens are alive at once.
 */
export function lexRange(text: string, from: number, to: number, cutAfter = Infinity): Lexed {
  const tokens: Token[] = [];
  const scanner = new Scanner(text, from, to);
  const ends = new StatementEnds(text);
  for (let t = scanner.next(); t; t = scanner.next()) {
    tokens.push(t);
    // Strings and quoted identifiers do not take part in the block tracking.
    if (t.kind === "string" || text.charCodeAt(t.start) === 34) continue;
    if (ends.ends(t) && t.kind === "semicolon" && t.start >= cutAfter) return { tokens, comments: scanner.comments, end: t.end };
  }
  const { comments, error } = scanner;
  return error ? { tokens, comments, error, end: to } : { tokens, comments, end: to };
}

/**
 * The tokens of `text[from, to)` one at a time, for a caller that stops early (a clause's end, the
 * first token at a location): lexing the whole rest of a statement per column made the span helpers
 * quadratic in a wide CREATE TABLE. The tokens are exactly `lexRange`'s.
 */
export class Scanner {
  /** The comments passed so far. */
  readonly comments: Token[] = [];
  /** Set when lexing stopped at an unterminated string, identifier or comment. */
  error: { message: string; index: number } | undefined;
  private i: number;

  constructor(
    private readonly text: string,
    private readonly from: number,
    private readonly to: number,
  ) {
    this.i = from;
  }

  /** The next token (comments are collected on the way), or undefined at the end or an error. */
  next(): Token | undefined {
    const text = this.text;
    const from = this.from;
    const n = this.to;
    let i = this.i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (isSpace(c)) {
        i++;
        continue;
      }
      const start = i;
      const next = i + 1 < n ? text.charCodeAt(i + 1) : 0;
      if (c === 45 /* - */ && next === 45) {
        while (i < n && text.charCodeAt(i) !== 10) i++;
        let end = i;
        if (end > start && text.charCodeAt(end - 1) === 13) end--;
        this.comments.push({ kind: "comment", start, end, text: text.slice(start, end) });
        continue;
      }
      if (c === 47 /* / */ && next === 42 /* * */) {
        let depth = 1;
        i += 2;
        while (i < n && depth > 0) {
          if (text.charCodeAt(i) === 47 && text.charCodeAt(i + 1) === 42) {
            depth++;
            i += 2;
          } else if (text.charCodeAt(i) === 42 && text.charCodeAt(i + 1) === 47) {
            depth--;
            i += 2;
          } else i++;
        }
        if (depth > 0) return this.fail("unterminated /* comment", start);
        this.comments.push({ kind: "comment", start, end: i, text: text.slice(start, i) });
        continue;
      }
      if (c === 59) return this.token("semicolon", start, start + 1);
      if (c === 40 || c === 91) return this.token("open", start, start + 1);
      if (c === 41 || c === 93) return this.token("close", start, start + 1);
      if (c === 39 /* ' */) {
        // E'…' strings were caught as a word prefix below; this is a standard-conforming string.
        const end = skipQuoted(text, i + 1, n, 39, false);
        if (end < 0) return this.fail("unterminated quoted string", start);
        return this.token("string", start, end);
      }
      if (c === 34 /* " */) {
        const end = skipQuoted(text, i + 1, n, 34, false);
        if (end < 0) return this.fail("unterminated quoted identifier", start);
        return this.token("word", start, end);
      }
      if (c === 36 /* $ */) {
        const tagEnd = dollarTagEnd(text, i, from);
        if (tagEnd > 0) {
          const tag = text.slice(i, tagEnd);
          const close = text.indexOf(tag, tagEnd);
          if (close < 0 || close + tag.length > n) return this.fail("unterminated dollar-quoted string", start);
          return this.token("string", start, close + tag.length);
        }
      }
      if ((c === 69 || c === 101) /* E e */ && next === 39) {
        const end = skipQuoted(text, i + 2, n, 39, true);
        if (end < 0) return this.fail("unterminated quoted string", start);
        return this.token("string", start, end);
      }
      // Any other run of characters up to a delimiter is one word-like token.
      i++;
      if (isIdentStart(c)) {
        while (i < n && (isIdentChar(text.charCodeAt(i)) || text.charCodeAt(i) === 36)) i++;
      } else {
        while (i < n) {
          const d = text.charCodeAt(i);
          if (isSpace(d) || d === 59 || d === 40 || d === 41 || d === 91 || d === 93 || d === 39 || d === 34 || isIdentStart(d)) break;
          if (d === 45 && text.charCodeAt(i + 1) === 45) break;
          if (d === 47 && text.charCodeAt(i + 1) === 42) break;
          if (d === 36 && dollarTagEnd(text, i, from) > 0) break;
          i++;
        }
      }
      return this.token("word", start, i);
    }
    this.i = i;
    return undefined;
  }

  private token(kind: TokenKind, start: number, end: number): Token {
    this.i = end;
    return { kind, start, end, text: "" };
  }

  /** Lexing stops for good: every later `next()` returns undefined. */
  private fail(message: string, index: number): undefined {
    this.error = { message, index };
    this.i = this.to;
    return undefined;
  }
}

/**
 * Tells which semicolons end a top-level statement, the way psql cuts a script: not inside parentheses,
 * and not inside a SQL-standard function body (`BEGIN ATOMIC … END`), whose statements end in `;` too
 * and which may hold `CASE … END` and nested `BEGIN … END`.
 */
export class StatementEnds {
  private depth = 0;
  private atomic = 0;
  private previousWasBegin = false;

  constructor(private readonly text: string) {}

  /** Feed every token in order; true for a semicolon that ends a statement. */
  ends(t: Token): boolean {
    if (t.kind === "open") this.depth++;
    else if (t.kind === "close") this.depth = Math.max(0, this.depth - 1);
    else if (t.kind === "semicolon") return this.depth === 0 && this.atomic === 0;
    else if (t.kind === "word") {
      const word = this.keyword(t);
      if (word === "atomic" && this.previousWasBegin) this.atomic++;
      else if (this.atomic > 0 && (word === "case" || (word === "begin" && this.depth === 0))) this.atomic++;
      else if (this.atomic > 0 && word === "end") this.atomic--;
      this.previousWasBegin = word === "begin";
      return false;
    }
    this.previousWasBegin = false;
    return false;
  }

  /**
   * The lower-cased word when it is one the block tracking needs, else "". Compared in place, letter by
   * letter: slicing and lower-casing every 3–6 letter word (most SQL keywords) was a string pair per token.
   */
  private keyword(t: Token): string {
    const len = t.end - t.start;
    if (len === 3) return this.is(t.start, "end") ? "end" : "";
    if (len === 4) return this.is(t.start, "case") ? "case" : "";
    if (len === 5) return this.is(t.start, "begin") ? "begin" : "";
    if (len === 6) return this.is(t.start, "atomic") ? "atomic" : "";
    return "";
  }

  /** Whether the text at `at` spells the lower-case ASCII `word` in any case. */
  private is(at: number, word: string): boolean {
    for (let k = 0; k < word.length; k++) {
      // Setting bit 5 lower-cases an ASCII letter; `word` holds letters only, so no other code matches.
      if ((this.text.charCodeAt(at + k) | 0x20) !== word.charCodeAt(k)) return false;
    }
    return true;
  }
}

/** Index after the closing quote, or -1. A doubled quote is an escaped quote. */
function skipQuoted(text: string, from: number, n: number, quote: number, backslashEscapes: boolean): number {
  let i = from;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (backslashEscapes && c === 92) {
      i += 2;
      continue;
    }
    if (c === quote) {
      if (text.charCodeAt(i + 1) === quote) {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return -1;
}

/** If a dollar-quote opening tag (`$$` or `$tag$`) starts at `i`, the index after it; else -1. */
function dollarTagEnd(text: string, i: number, from: number): number {
  if (i > from && isIdentChar(text.charCodeAt(i - 1))) return -1; // part of an identifier like a$b
  let j = i + 1;
  if (text.charCodeAt(j) === 36) return j + 1;
  if (!isIdentStart(text.charCodeAt(j)) || text.charCodeAt(j) >= 128) return -1;
  while (j < text.length && isIdentChar(text.charCodeAt(j))) j++;
  return text.charCodeAt(j) === 36 ? j + 1 : -1;
}

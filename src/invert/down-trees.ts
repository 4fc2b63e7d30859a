/**
 * The statements of a generated down, for replaying it on the schema model (the model check, the
 * dependents check): the tree each inverse statement's text parses to, without asking libpg-query for
 * the most common, simplest texts. Parsing every generated down again was ~13% of a corpus run, and the
 * simple drops below are ~40% of that parse's cost.
 *
 * Why this is exact. What is replayed must be the tree the *text* the user gets parses to, never a tree
 * of what the inverter meant: a text that does not parse, or parses to another name, must fail the check
 * as it would on PostgreSQL. So nothing here trusts the renderer. `simpleTree` reads the text itself,
 * with a grammar that is a strict subset of PostgreSQL's, and gives up (undefined: the text is parsed
 * by libpg-query as before) on anything outside it:
 * - the whole text is one of a few fixed shapes (`DROP INDEX IF EXISTS n`, `ALTER TABLE n DROP COLUMN IF
 *   EXISTS c`, …, single spaces, upper-case keywords, nothing after the name), printable ASCII only;
 * - a quoted name is `"…"` with `""` for a quote, not empty, at most 63 characters unescaped (PostgreSQL
 *   truncates longer names, NAMEDATALEN − 1 bytes; ASCII, so characters are bytes);
 * - a bare name is `[a-z_][a-z0-9_]*`, at most 63 characters (bare names are folded to lower case: an
 *   upper-case one is not taken), and not a keyword or only an unreserved one (`ColId` takes those as
 *   the name itself; col-name, type-func-name and reserved keywords are refused or mean something else
 *   in some positions, so they are parsed);
 * - one or two parts (`schema.name`).
 * The trees are libpg-query's shapes for those texts field for field (test/invert/down-trees.test.ts
 * compares them with libpg-query's parse on every shape and on names built to break them), and a
 * statement carries the same range, line and `locationBase` meaning as a parsed one.
 *
 * Mixed downs: the texts without a simple tree are parsed in one call, as before, in a copy of the down
 * text where each simple statement is replaced by as many spaces (it is printable ASCII, so every
 * later UTF-16 index, byte offset and line stays where it was). A statement's parse does not depend on
 * the statements around it, so the rest parse to the same trees at the same positions, provided no
 * text runs on into the next one: a comment could (`-- …;` hides its semicolon, and a statement's
 * leading comments reach back to the previous real token), so a down whose parsed part has any comment
 * marker is parsed whole; an open quote, dollar quote or BEGIN ATOMIC shows in the masked parse as a
 * statement crossing its text's end or a syntax error, and the down is then parsed whole too.
 */
import { keywordKindOf } from "@pgsql/quotes";
import type { Node } from "@pgsql/types";
import { nodeTag } from "../parse/ast.js";
import { parseSql } from "../parse/parse.js";
import { SourceText } from "../parse/source.js";
import type { Comment, Statement } from "../parse/types.js";
import type { InverseStatement } from "./types.js";

/** A tree read from the text, and the bare names in it, which must still be checked for keywords. */
interface SimpleTree {
  node: Node;
  bare: string[];
}

const NAMEDATALEN_1 = 63;

/** A name at `at`: its value, where it ends, and whether it was bare. */
interface NamePart {
  value: string;
  end: number;
  bare: boolean;
}

function namePart(text: string, at: number): NamePart | undefined {
  if (text[at] === '"') {
    let value = "";
    let i = at + 1;
    for (;;) {
      const q = text.indexOf('"', i);
      if (q < 0) return undefined;
      value += text.slice(i, q);
      if (text[q + 1] === '"') {
        value += '"';
        i = q + 2;
        continue;
      }
      i = q + 1;
      break;
    }
    if (!value.length || value.length > NAMEDATALEN_1) return undefined;
    return { value, end: i, bare: false };
  }
  const m = /[a-z_][a-z0-9_]*/y;
  m.lastIndex = at;
  const hit = m.exec(text);
  // What must follow a name is fixed (a space, a dot, the end): a `$` or an upper-case letter, which
  // would continue the identifier for PostgreSQL, never matches it, so the text is parsed.
  if (!hit || hit[0].length > NAMEDATALEN_1) return undefined;
  return { value: hit[0], end: m.lastIndex, bare: true };
}

/** `name` or `schema.name` at `at`. */
function qualifiedName(text: string, at: number): { parts: NamePart[]; start: number; end: number } | undefined {
  const first = namePart(text, at);
  if (!first) return undefined;
  if (text[first.end] !== ".") return { parts: [first], start: at, end: first.end };
  const second = namePart(text, first.end + 1);
  if (!second) return undefined;
  return { parts: [first, second], start: at, end: second.end };
}

const bareOf = (parts: NamePart[]): string[] => parts.filter((p) => p.bare).map((p) => p.value);
const strings = (parts: NamePart[]): Node[] => parts.map((p) => ({ String: { sval: p.value } }) as Node);

/** `DROP <kind> IF EXISTS n`: the text before the name, and the object type libpg-query gives. */
const DROP_LIST: readonly [string, string][] = [
  ["DROP INDEX IF EXISTS ", "OBJECT_INDEX"],
  ["DROP TABLE IF EXISTS ", "OBJECT_TABLE"],
  ["DROP VIEW IF EXISTS ", "OBJECT_VIEW"],
  ["DROP SEQUENCE IF EXISTS ", "OBJECT_SEQUENCE"],
];

/** `DROP <kind> IF EXISTS n ON t`. */
const DROP_ON: readonly [string, string][] = [
  ["DROP TRIGGER IF EXISTS ", "OBJECT_TRIGGER"],
  ["DROP POLICY IF EXISTS ", "OBJECT_POLICY"],
];

/** `ALTER TABLE t <command> c`: the command's words and what libpg-query makes of them. */
const TABLE_COMMANDS: { words: string; after?: string; subtype: string; missingOk: boolean }[] = [
  { words: " DROP COLUMN IF EXISTS ", subtype: "AT_DropColumn", missingOk: true },
  { words: " DROP CONSTRAINT IF EXISTS ", subtype: "AT_DropConstraint", missingOk: true },
  { words: " ALTER COLUMN ", after: " DROP NOT NULL", subtype: "AT_DropNotNull", missingOk: false },
  { words: " ALTER COLUMN ", after: " SET NOT NULL", subtype: "AT_SetNotNull", missingOk: false },
  { words: " ALTER COLUMN ", after: " DROP DEFAULT", subtype: "AT_ColumnDefault", missingOk: false },
];

/** Printable ASCII only: no newline (lines stay put when masked), no multi-byte character. */
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** The tree of `sql` as libpg-query parses it alone, for the shapes above; else undefined. */
export function simpleTree(sql: string): SimpleTree | undefined {
  // Most texts are told apart by their first words, before the whole text is looked at.
  const drop = sql.startsWith("DROP ");
  if (!drop && !sql.startsWith("ALTER TABLE ")) return undefined;
  if (!PRINTABLE_ASCII.test(sql)) return undefined;
  return drop ? simpleDrop(sql) : simpleAlterTable(sql);
}

function simpleDrop(sql: string): SimpleTree | undefined {
  for (const [prefix, removeType] of DROP_LIST) {
    if (!sql.startsWith(prefix)) continue;
    const q = qualifiedName(sql, prefix.length);
    if (!q || q.end !== sql.length) return undefined;
    return { node: { DropStmt: { objects: [{ List: { items: strings(q.parts) } }], removeType, behavior: "DROP_RESTRICT", missing_ok: true } } as Node, bare: bareOf(q.parts) };
  }
  for (const [prefix, removeType] of DROP_ON) {
    if (!sql.startsWith(prefix)) continue;
    const name = namePart(sql, prefix.length);
    if (!name || !sql.startsWith(" ON ", name.end)) return undefined;
    const q = qualifiedName(sql, name.end + 4);
    if (!q || q.end !== sql.length) return undefined;
    // libpg-query lists the relation's names, then the trigger's or policy's.
    return { node: { DropStmt: { objects: [{ List: { items: strings([...q.parts, name]) } }], removeType, behavior: "DROP_RESTRICT", missing_ok: true } } as Node, bare: bareOf([name, ...q.parts]) };
  }
  return undefined;
}

function simpleAlterTable(sql: string): SimpleTree | undefined {
  const table = qualifiedName(sql, "ALTER TABLE ".length);
  if (!table) return undefined;
  for (const c of TABLE_COMMANDS) {
    if (!sql.startsWith(c.words, table.end)) continue;
    const name = namePart(sql, table.end + c.words.length);
    if (!name) return undefined;
    if (c.after ? sql.slice(name.end) !== c.after : name.end !== sql.length) continue;
    const [first, second] = table.parts;
    const relation = second
      ? { schemaname: first!.value, relname: second.value, inh: true, relpersistence: "p", location: table.start }
      : { relname: first!.value, inh: true, relpersistence: "p", location: table.start };
    const cmd = c.missingOk ? { subtype: c.subtype, name: name.value, behavior: "DROP_RESTRICT", missing_ok: true } : { subtype: c.subtype, name: name.value, behavior: "DROP_RESTRICT" };
    return { node: { AlterTableStmt: { relation, cmds: [{ AlterTableCmd: cmd }], objtype: "OBJECT_TABLE" } } as Node, bare: bareOf([...table.parts, name]) };
  }
  return undefined;
}

/**
 * A bare name is the name itself wherever `ColId` stands: not a keyword, or an unreserved one. The
 * keyword table is PostgreSQL 18's kwlist.h (@pgsql/quotes); test/invert/down-trees.test.ts checks it
 * is the one libpg-query's scanner uses, word for word and category for category (asking the scanner
 * here cost as much as the parse it saves: ~8 µs a token).
 */
function allPlainNames(names: readonly string[]): boolean {
  for (const n of names) {
    const kind = keywordKindOf(n);
    if (kind !== "NO_KEYWORD" && kind !== "UNRESERVED_KEYWORD") return false;
  }
  return true;
}

const NO_COMMENTS: Comment[] = Object.freeze([]) as unknown as Comment[];

/**
 * The statements of the down text `inverse.map(s => s.sql + ";").join("\n")` (at `path`), as
 * `parseSql` gives them, in order.
 */
export function downStatements(inverse: readonly InverseStatement[], path: string): Statement[] {
  const texts = inverse.map((s) => `${s.sql};`);
  const whole = (): Statement[] => parseSql(new SourceText(texts.join("\n"), path)).statements;
  const simple: (SimpleTree | undefined)[] = [];
  const bare: string[] = [];
  let commented = false;
  for (const s of inverse) {
    const tree = simpleTree(s.sql);
    simple.push(tree);
    if (tree) bare.push(...tree.bare);
    else if (!commented) commented = s.sql.includes("--") || s.sql.includes("/*");
  }
  if (!simple.some(Boolean)) return whole();
  if (commented || !allPlainNames(bare)) return whole();
  const masked = new SourceText(texts.map((t, i) => (simple[i] ? " ".repeat(t.length) : t)).join("\n"), path);
  // Where each text starts in the down text (and in the masked copy: the same places).
  const starts: number[] = [];
  texts.reduce((at, t) => (starts.push(at), at + t.length + 1), 0);
  let parsed: Statement[] = [];
  if (!simple.every(Boolean)) {
    const result = parseSql(masked);
    // Each parsed statement must lie inside its own text. A text whose quote, dollar quote or BEGIN
    // ATOMIC is left open runs on into the next texts in the real down (and would swallow a simple
    // statement there): in the masked copy it runs into the spaces, so it shows here as a statement
    // crossing its text's end, or as a syntax error at the end of the text.
    if (result.tooLarge || result.syntaxErrors.length || !result.statements.every((s) => insideOneText(s, masked, starts, texts, simple))) return whole();
    parsed = result.statements;
  }
  const out: Statement[] = [];
  let next = 0;
  inverse.forEach((s, i) => {
    const tree = simple[i];
    if (!tree) return;
    const at = starts[i]!;
    // The parsed statements before this one, by position.
    while (next < parsed.length && parsed[next]!.range.start.offset < masked.byteAt(at)) out.push(parsed[next++]!);
    out.push({ node: tree.node, tag: nodeTag(tree.node), text: s.sql, range: masked.rangeOfIndexes(at, at + s.sql.length), comments: NO_COMMENTS, index: 0, locationBase: masked.byteAt(at) });
  });
  while (next < parsed.length) out.push(parsed[next++]!);
  // Positions among the top-level statements, as parseSql numbers them.
  out.forEach((s, i) => {
    s.index = i;
    for (const inner of s.body ?? []) inner.index = i;
  });
  return out;
}

/** Does the parsed statement start and end inside one text that was parsed (not a masked one)? */
function insideOneText(s: Statement, source: SourceText, starts: readonly number[], texts: readonly string[], simple: readonly (SimpleTree | undefined)[]): boolean {
  // The last text starting at or before the statement (texts are in order).
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (source.byteAt(starts[mid]!) <= s.range.start.offset) lo = mid;
    else hi = mid - 1;
  }
  const start = starts[lo]!;
  return !simple[lo] && s.range.start.offset >= source.byteAt(start) && s.range.end.offset <= source.byteAt(start + texts[lo]!.length);
}

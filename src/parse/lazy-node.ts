/**
 * Syntax trees that are not kept: the AST of a data statement of a large file (a seed dump or a data
 * migration of hundreds of thousands of INSERTs) is parsed again from the statement's text when it is
 * read, instead of living until the whole migration is analysed. The trees were ~1.1 KB each, half of
 * the heap of a 10 MB migration, and a heap that grows with the file made garbage collection grow
 * faster than the file (50 MB: 2 GB and twice the time per MB of 10 MB).
 *
 * What a rule asks of most statements is only their kind (`asNode(s.node, "AlterTableStmt")`, a
 * `for…in` over the wrapper), so the wrapper `{ InsertStmt: … }` stays, with the payload behind a
 * getter: asking for another kind, or for the tag, parses nothing. The payload is parsed on first read
 * and kept among the few most recently read ones, so the reads of one statement by one rule parse it
 * once. A parse of the statement's own text counts its AST locations from the statement's first token,
 * which is what `Statement.locationBase` says for these statements.
 *
 * A parse again costs about what the first parse cost, once per part of the pipeline that reads the
 * tree (the down planner, the lock rules): that was 60% of a 10 MB run. So a tree is also read while it
 * is alive: the chunk's trees are held until the parser's caller has seen the chunk (`holdTree`,
 * `releaseHeldTrees`; the pipeline replays and inverts each statement then), and what a rule needs of
 * a data statement is a `treeFact`, read from the tree when the statement is made.
 */
import type { Node } from "@pgsql/types";
import type { NodeTag } from "./ast.js";

/** How many parsed payloads are kept; enough for one statement's reads by every part of one rule. */
const RECENT = 256;

const TEXT = Symbol("statement text");

type LazyRoot = { [TEXT]: string } & Record<string, unknown>;

/** The payloads read last, oldest first (a Map keeps insertion order). */
const recent = new Map<LazyRoot, unknown>();

/** The payloads of the chunk being parsed, alive until its statements have been replayed and inverted. */
const held = new Map<LazyRoot, unknown>();

let parseOne: (text: string) => Node | undefined = () => undefined;

/** How many trees were parsed again since the start (tests check a large file's analysis parses none). */
let reparsed = 0;

/** Parses one statement's text alone (set by the parser module, which owns libpg-query). */
export function setStatementParser(parse: (text: string) => Node | undefined): void {
  parseOne = parse;
}

const getters = new Map<string, (this: LazyRoot) => unknown>();

function getterFor(tag: string): (this: LazyRoot) => unknown {
  let get = getters.get(tag);
  if (!get) {
    get = function (this: LazyRoot): unknown {
      if (held.size) {
        const payload = held.get(this);
        if (payload !== undefined) return payload;
      }
      if (recent.has(this)) {
        const payload = recent.get(this);
        // Read again: move it to the young end.
        recent.delete(this);
        recent.set(this, payload);
        return payload;
      }
      reparsed++;
      const node = parseOne(this[TEXT]) as Record<string, unknown> | undefined;
      if (!node || !(tag in node)) throw new Error(`the statement no longer parses as ${tag}: ${this[TEXT].slice(0, 60)}`);
      const payload = node[tag];
      recent.set(this, payload);
      if (recent.size > RECENT) recent.delete(recent.keys().next().value as LazyRoot);
      return payload;
    };
    getters.set(tag, get);
  }
  return get;
}

/**
 * A node wrapper `{ [tag]: payload }` whose payload is parsed from `text` when read. `payload` is the
 * tree the chunk parse gave: the facts are read from it now, and it is held until `releaseHeldTrees()`.
 */
export function lazyNode(tag: NodeTag, text: string, payload?: unknown): Node {
  const root = { [TEXT]: text } as LazyRoot;
  Object.defineProperty(root, tag, { get: getterFor(tag), enumerable: true, configurable: true });
  if (payload !== undefined) {
    held.set(root, payload);
    for (const fact of facts) (root as Record<symbol, unknown>)[fact.slot] = fact.read(root as unknown as Node);
  }
  return root as unknown as Node;
}

/** Drops the held trees of the chunk just parsed: from now on a read parses the statement again. */
export function releaseHeldTrees(): void {
  held.clear();
}

/** How many statement trees were parsed again so far (a count of real libpg-query calls). */
export function treesParsedAgain(): number {
  return reparsed;
}

interface Fact {
  slot: symbol;
  read: (node: Node) => unknown;
}

/** Facts defined so far; a statement made after a fact was defined carries its value. */
const facts: Fact[] = [];

/**
 * Something a consumer needs of a statement's tree, small and independent of the catalog (what a data
 * statement locks): read once, from the tree the chunk parse gave, and kept on a dropped tree's wrapper
 * instead of the tree. For a kept tree, or a fact defined after the statement was made, it is read from
 * the tree when asked. `read` must not keep the tree alive (return new or shared small values).
 */
export function treeFact<T>(read: (node: Node) => T): (node: Node) => T {
  const fact: Fact = { slot: Symbol("tree fact"), read };
  facts.push(fact);
  return (node) => {
    if (typeof node === "object" && node !== null && fact.slot in node) return (node as Record<symbol, unknown>)[fact.slot] as T;
    return read(node);
  };
}

/** How many parsed payloads are alive in the cache (at most `RECENT`). */
export function cachedPayloads(): number {
  return recent.size;
}

/** True for a node made by `lazyNode` (tests check the trees really are not kept). */
export function isLazyNode(node: Node): boolean {
  return typeof node === "object" && node !== null && TEXT in node;
}

/**
 * Data statements whose tree is dropped: they change no schema object, a data migration is made of
 * them, and their text starts with the keyword (a `WITH` in front would put a node at location 0,
 * which libpg-query's JSON leaves out, so a parse of the text alone would not give the same tree).
 */
const DROPPABLE: ReadonlySet<string> = new Set(["InsertStmt", "UpdateStmt", "DeleteStmt"]);
const STARTS_WITH_KEYWORD = /^(?:insert|update|delete)\s/i;

export function isDroppable(tag: string, text: string): boolean {
  return DROPPABLE.has(tag) && STARTS_WITH_KEYWORD.test(text);
}

/**
 * A catalog as text and back, exactly: `decodeCatalog(encodeCatalog(c))` is a catalog the rest of the
 * tool cannot tell from `c`. `--cache` keeps the catalog after a long history this way
 * (src/pipeline/prefix-cache.ts), so a run that adds one migration replays that one only.
 *
 * Exact means more than `JSON.stringify` gives:
 * - persistent maps (`PMap`) come back as persistent maps, plain `Map`s (grants, column comments) as
 *   `Map`s, each in the order it iterated (a PMap rebuilt from its entries in order has the same trie,
 *   collision buckets included, so it iterates the same way again);
 * - a property whose value is `undefined` is kept (a later `{ ...a, ...b }` reads it), and so is the
 *   order of every object's keys;
 * - an object reachable twice (an expression shared by two catalog entries) is one object again.
 * Anything else (a class instance, a function, a symbol key's value, a non-finite number, -0, a
 * bigint) makes `encodeCatalog` throw: such a catalog is not cached rather than cached wrongly.
 *
 * The text is JSON whose every composite is an array with a tag first: `["o", key, value, …]` an
 * object, `["a", …items]` an array, `["p", key, value, …]` a PMap, `["m", key, value, …]` a Map,
 * `["P"]` an empty PMap that is not `PMap.empty()` (one left by deletes), `["u"]` undefined, `["d", id, value]` the first sight of a shared object, `["r", id]` a later one.
 * Strings, booleans, null and finite numbers stand for themselves.
 */
import { PMap } from "./pmap.js";
import type { Catalog } from "./types.js";

type Encoded = string | number | boolean | null | Encoded[];

const CATALOG_FIELDS = ["schemas", "tables", "indexes", "types", "sequences", "views", "functions", "extensions", "unmodelled"] as const;

/** Objects met more than once: they get an id, so the decoded graph shares them too. */
function sharedObjects(root: unknown): Set<object> {
  const seen = new Set<object>();
  const shared = new Set<object>();
  const visit = (v: unknown): void => {
    if (typeof v !== "object" || v === null) return;
    if (seen.has(v)) {
      shared.add(v);
      return;
    }
    seen.add(v);
    if (v instanceof Map || v instanceof PMap) {
      for (const [, x] of v as ReadonlyMap<unknown, unknown>) visit(x);
    } else if (Array.isArray(v)) {
      for (const x of v) visit(x);
    } else {
      for (const k of Object.keys(v)) visit((v as Record<string, unknown>)[k]);
    }
  };
  visit(root);
  return shared;
}

function encodeValue(v: unknown, shared: Set<object>, ids: Map<object, number>): Encoded {
  switch (typeof v) {
    case "string":
    case "boolean":
      return v;
    case "number":
      if (!Number.isFinite(v) || Object.is(v, -0)) throw new Error(`cannot encode the number ${String(v)}`);
      return v;
    case "undefined":
      return ["u"];
    case "object":
      break;
    default:
      throw new Error(`cannot encode a ${typeof v}`);
  }
  if (v === null) return null;
  const known = ids.get(v);
  if (known !== undefined) return ["r", known];
  let body: Encoded[];
  if (v instanceof PMap && v.size === 0 && v !== PMap.empty()) {
    // An empty map left by deletes is not the shared empty one (`===` tells them apart).
    body = ["P"];
  } else if (v instanceof PMap || v instanceof Map) {
    body = [v instanceof PMap ? "p" : "m"];
    for (const [k, x] of v as ReadonlyMap<unknown, unknown>) {
      if (typeof k !== "string") throw new Error("cannot encode a map key that is not a string");
      body.push(k, encodeValue(x, shared, ids));
    }
  } else if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) throw new Error("cannot encode an array subclass");
    body = ["a"];
    for (let i = 0; i < v.length; i++) {
      if (!(i in v)) throw new Error("cannot encode a sparse array");
      body.push(encodeValue(v[i], shared, ids));
    }
  } else {
    if (Object.getPrototypeOf(v) !== Object.prototype) throw new Error(`cannot encode an instance of ${v.constructor?.name ?? "a class"}`);
    if (Object.getOwnPropertySymbols(v).length) throw new Error("cannot encode an object with symbol keys");
    body = ["o"];
    for (const k of Object.keys(v)) body.push(k, encodeValue((v as Record<string, unknown>)[k], shared, ids));
  }
  if (!shared.has(v)) return body;
  // The id is taken after the body: a shared object never contains itself (the catalog has no cycles).
  const id = ids.size;
  ids.set(v, id);
  return ["d", id, body];
}

export function encodeCatalog(catalog: Catalog): string {
  return JSON.stringify(encodeValue(catalog, sharedObjects(catalog), new Map()));
}

class DecodeError extends Error {}

function decodeValue(e: unknown, defs: unknown[]): unknown {
  if (e === null || typeof e === "string" || typeof e === "boolean" || typeof e === "number") return e;
  if (!Array.isArray(e) || typeof e[0] !== "string") throw new DecodeError("not an encoded value");
  switch (e[0]) {
    case "u":
      return undefined;
    case "a": {
      const out = new Array<unknown>(e.length - 1);
      for (let i = 1; i < e.length; i++) out[i - 1] = decodeValue(e[i], defs);
      return out;
    }
    case "o": {
      const out: Record<string, unknown> = {};
      for (let i = 1; i < e.length; i += 2) out[key(e[i])] = decodeValue(e[i + 1], defs);
      return out;
    }
    case "m":
    case "p": {
      const entries: [string, unknown][] = [];
      for (let i = 1; i < e.length; i += 2) entries.push([key(e[i]), decodeValue(e[i + 1], defs)]);
      return e[0] === "p" ? PMap.from(entries) : new Map(entries);
    }
    case "P":
      return PMap.from([["", null]]).delete("");
    case "d": {
      const id = e[1];
      if (typeof id !== "number" || id !== defs.length) throw new DecodeError("a shared object out of order");
      const value = decodeValue(e[2], defs);
      defs.push(value);
      return value;
    }
    case "r": {
      const id = e[1];
      if (typeof id !== "number" || id >= defs.length) throw new DecodeError("a reference to an unknown object");
      return defs[id];
    }
    default:
      throw new DecodeError(`unknown tag ${JSON.stringify(e[0])}`);
  }
}

function key(k: unknown): string {
  if (typeof k !== "string") throw new DecodeError("a key that is not a string");
  return k;
}

/** The catalog `encodeCatalog` wrote; throws on text that is not one (a damaged cache entry). */
export function decodeCatalog(text: string): Catalog {
  const value = decodeValue(JSON.parse(text) as unknown, []) as Record<string, unknown>;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new DecodeError("not a catalog");
  for (const field of CATALOG_FIELDS) {
    const v = value[field];
    const ok = field === "unmodelled" ? Array.isArray(v) : v instanceof PMap;
    if (!ok) throw new DecodeError(`not a catalog (${field})`);
  }
  return value as unknown as Catalog;
}

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
 * The text is JSON: objects, arrays, strings, booleans, null and finite numbers stand for themselves,
 * so `JSON.parse` builds nearly all of the catalog and the decoder only revives what is tagged, an
 * object whose first key is `$`: `{"$":"u"}` undefined, `{"$":"m","e":[key, value, …]}` a Map,
 * `{"$":"p","e":[…]}` a PMap, `{"$":"P"}` an empty PMap that is not `PMap.empty()` (one left by
 * deletes), `{"$":"d","i":id,"v":value}` the first sight of a shared object, `{"$":"r","i":id}` a
 * later one, `{"$":"o","v":object}` an object that has a `$` key of its own.
 */
import { PMap } from "./pmap.js";
import type { Catalog } from "./types.js";

type Encoded = string | number | boolean | null | Encoded[] | { [key: string]: Encoded };

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
      return { $: "u" };
    case "object":
      break;
    default:
      throw new Error(`cannot encode a ${typeof v}`);
  }
  if (v === null) return null;
  const known = ids.get(v);
  if (known !== undefined) return { $: "r", i: known };
  let body: Encoded;
  if (v instanceof PMap && v.size === 0 && v !== PMap.empty()) {
    // An empty map left by deletes is not the shared empty one (`===` tells them apart).
    body = { $: "P" };
  } else if (v instanceof PMap || v instanceof Map) {
    const e: Encoded[] = [];
    for (const [k, x] of v as ReadonlyMap<unknown, unknown>) {
      if (typeof k !== "string") throw new Error("cannot encode a map key that is not a string");
      e.push(k, encodeValue(x, shared, ids));
    }
    body = { $: v instanceof PMap ? "p" : "m", e };
  } else if (Array.isArray(v)) {
    if (Object.getPrototypeOf(v) !== Array.prototype) throw new Error("cannot encode an array subclass");
    const items: Encoded[] = [];
    for (let i = 0; i < v.length; i++) {
      if (!(i in v)) throw new Error("cannot encode a sparse array");
      items.push(encodeValue(v[i], shared, ids));
    }
    body = items;
  } else {
    if (Object.getPrototypeOf(v) !== Object.prototype) throw new Error(`cannot encode an instance of ${v.constructor?.name ?? "a class"}`);
    if (Object.getOwnPropertySymbols(v).length) throw new Error("cannot encode an object with symbol keys");
    const out: Record<string, Encoded> = {};
    for (const k of Object.keys(v)) {
      // An assignment to `__proto__` would set the prototype, not a key.
      if (k === "__proto__") throw new Error("cannot encode a __proto__ key");
      out[k] = encodeValue((v as Record<string, unknown>)[k], shared, ids);
    }
    body = "$" in out ? { $: "o", v: out } : out;
  }
  if (!shared.has(v)) return body;
  // The id is taken after the body: a shared object never contains itself (the catalog has no cycles).
  const id = ids.size;
  ids.set(v, id);
  return { $: "d", i: id, v: body };
}

export function encodeCatalog(catalog: Catalog): string {
  return JSON.stringify(encodeValue(catalog, sharedObjects(catalog), new Map()));
}

class DecodeError extends Error {}

/** Revives the tagged values inside what `JSON.parse` built, in place; returns the value itself or what it stands for. */
function revive(e: unknown, defs: unknown[]): unknown {
  if (typeof e !== "object" || e === null) return e;
  if (Array.isArray(e)) {
    for (let i = 0; i < e.length; i++) {
      const x: unknown = e[i];
      if (typeof x === "object" && x !== null) e[i] = revive(x, defs);
    }
    return e;
  }
  const o = e as Record<string, unknown>;
  const tag = o["$"];
  if (tag === undefined) {
    for (const k in o) {
      const x = o[k];
      if (typeof x === "object" && x !== null) {
        const y = revive(x, defs);
        if (y !== x) o[k] = y;
      }
    }
    return o;
  }
  switch (tag) {
    case "u":
      return undefined;
    case "m":
    case "p": {
      const list = o["e"];
      if (!Array.isArray(list) || list.length % 2) throw new DecodeError("a map without its entries");
      const entries: [string, unknown][] = [];
      for (let i = 0; i < list.length; i += 2) entries.push([key(list[i]), revive(list[i + 1], defs)]);
      return tag === "p" ? PMap.from(entries) : new Map(entries);
    }
    case "P":
      return PMap.from([["", null]]).delete("");
    case "o": {
      const v = o["v"];
      if (typeof v !== "object" || v === null || Array.isArray(v)) throw new DecodeError("an escaped object that is not one");
      for (const k in v) (v as Record<string, unknown>)[k] = revive((v as Record<string, unknown>)[k], defs);
      return v;
    }
    case "d": {
      if (o["i"] !== defs.length) throw new DecodeError("a shared object out of order");
      const value = revive(o["v"], defs);
      defs.push(value);
      return value;
    }
    case "r": {
      const id = o["i"];
      if (typeof id !== "number" || !(id >= 0 && id < defs.length)) throw new DecodeError("a reference to an unknown object");
      return defs[id];
    }
    default:
      throw new DecodeError(`unknown tag ${JSON.stringify(tag)}`);
  }
}

function key(k: unknown): string {
  if (typeof k !== "string") throw new DecodeError("a key that is not a string");
  return k;
}

/** The catalog `encodeCatalog` wrote; throws on text that is not one (a damaged cache entry). */
export function decodeCatalog(text: string): Catalog {
  const value = revive(JSON.parse(text) as unknown, []) as Record<string, unknown>;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new DecodeError("not a catalog");
  for (const field of CATALOG_FIELDS) {
    const v = value[field];
    const ok = field === "unmodelled" ? Array.isArray(v) : v instanceof PMap;
    if (!ok) throw new DecodeError(`not a catalog (${field})`);
  }
  return value as unknown as Catalog;
}

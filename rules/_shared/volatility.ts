/**
 * Is an expression volatile? PostgreSQL 11+ adds a column with a non-volatile DEFAULT without
 * rewriting the table: the default is evaluated once and stored in the catalog. A volatile default
 * (`random()`, `gen_random_uuid()`, `clock_timestamp()`) must be evaluated per row, so every row is
 * rewritten under an ACCESS EXCLUSIVE lock.
 *
 * Built-in functions are classified from pg_proc (pg-facts.ts); functions the migration history
 * created are classified from their definition (VOLATILE is PostgreSQL's default); anything else is
 * unknown, which the caller treats as volatile, as PostgreSQL would if the function was declared
 * without a volatility.
 */
import type { FuncCall, Node } from "@pgsql/types";
import type { Catalog } from "../../src/catalog/types.js";
import { asNode, stringValues, walk } from "../../src/parse/ast.js";
import { NON_VOLATILE_FUNCTIONS, VOLATILE_FUNCTIONS } from "./pg-facts.js";

const words = (s: string): Set<string> => new Set(s.split(/\s+/).filter(Boolean));
const BUILTIN_VOLATILE = words(VOLATILE_FUNCTIONS);
const BUILTIN_STABLE = words(NON_VOLATILE_FUNCTIONS);

/** Common extension functions (uuid-ossp, pgcrypto, pg_uuidv7, ulid helpers) and their volatility. */
const EXTENSION_VOLATILE = new Set(["uuid_generate_v1", "uuid_generate_v1mc", "uuid_generate_v4", "uuid_generate_v7", "gen_random_bytes", "gen_salt", "uuid_time_nextval", "uuid_sequence_nextval"]);
const EXTENSION_STABLE = new Set(["uuid_generate_v3", "uuid_generate_v5", "uuid_nil", "uuid_ns_dns", "uuid_ns_url", "uuid_ns_oid", "uuid_ns_x500", "digest", "hmac", "crypt", "encode", "decode"]);

export type Volatility = "volatile" | "non-volatile" | "unknown";

export interface VolatileCall {
  name: string;
  volatility: Exclude<Volatility, "non-volatile">;
  location?: number;
}

function userFunctionVolatility(catalog: Catalog | undefined, schema: string | undefined, name: string): Volatility | undefined {
  if (!catalog) return undefined;
  let found: Volatility | undefined;
  for (const fn of catalog.functions.values()) {
    if (fn.name !== name || (schema && fn.schema !== schema)) continue;
    // VOLATILE is what PostgreSQL assumes when the definition does not say.
    let v: Volatility = "volatile";
    for (const o of asNode(fn.statement, "CreateFunctionStmt")?.options ?? []) {
      const d = asNode(o, "DefElem");
      const level = d?.defname === "volatility" ? asNode(d.arg, "String")?.sval : undefined;
      if (level === "immutable" || level === "stable") v = "non-volatile";
    }
    if (v === "volatile" || !found) found = v;
  }
  return found;
}

export function functionVolatility(nameParts: string[], catalog?: Catalog): Volatility {
  const name = nameParts[nameParts.length - 1]!.toLowerCase();
  const schema = nameParts.length > 1 ? nameParts[nameParts.length - 2] : undefined;
  const user = schema !== "pg_catalog" ? userFunctionVolatility(catalog, schema, name) : undefined;
  if (user) return user;
  if (schema === undefined || schema === "pg_catalog") {
    if (BUILTIN_VOLATILE.has(name)) return "volatile";
    if (BUILTIN_STABLE.has(name)) return "non-volatile";
  }
  if (EXTENSION_VOLATILE.has(name)) return "volatile";
  if (EXTENSION_STABLE.has(name)) return "non-volatile";
  return "unknown";
}

/**
 * The calls in an expression that make it volatile (or that cannot be classified). Empty = the
 * expression is a constant or only calls stable/immutable functions, so PostgreSQL 11+ stores it once.
 */
export function volatileCalls(expr: Node | undefined, catalog?: Catalog): VolatileCall[] {
  const out: VolatileCall[] = [];
  if (!expr) return out;
  walk(expr, (tag, value) => {
    if (tag === "FuncCall") {
      const call = value as FuncCall;
      const parts = stringValues(call.funcname);
      if (!parts.length) return;
      const v = functionVolatility(parts, catalog);
      if (v !== "non-volatile") out.push({ name: parts.join("."), volatility: v, location: call.location });
    } else if (tag === "SubLink") {
      // A subquery default is not allowed by PostgreSQL; nothing to classify.
      return false;
    }
    return undefined;
  });
  return out;
}

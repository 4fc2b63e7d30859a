/**
 * Does `ALTER COLUMN … TYPE` rewrite the table? PostgreSQL skips the rewrite (and keeps the indexes)
 * when the old value converts to the new type without a function call: a binary-coercible cast
 * (varchar → text, cidr → inet), or a length/precision change that only relaxes the limit, which the
 * types' support functions turn into a no-op (varchar(n) → varchar(m ≥ n), numeric(p,s) →
 * numeric(q ≥ p, s), timestamp(p) → timestamp(q ≥ p), bit varying). timestamp ↔ timestamptz is
 * rewrite-free from PostgreSQL 12 only when the session time zone is UTC. Everything else rewrites the
 * table and every index under an ACCESS EXCLUSIVE lock.
 */
import type { Node } from "@pgsql/types";
import type { Catalog } from "../../src/catalog/types.js";
import { asNode } from "../../src/parse/ast.js";
import { BINARY_COERCIBLE_CASTS } from "./pg-facts.js";
import { isColumnRef } from "./sql.js";
import { parseTypeText, typeToString, type ColumnType } from "./types.js";

export type TypeChangeEffect =
  /** Catalog-only: a brief ACCESS EXCLUSIVE lock, no data touched. */
  | { kind: "none" }
  /** No rewrite, but every row is checked (a domain with constraints). */
  | { kind: "scan"; reason: string }
  | { kind: "rewrite"; reason: string }
  /** timestamp ↔ timestamptz on PostgreSQL 12+: rewrite-free only when the session TimeZone is UTC. */
  | { kind: "timezone" }
  /** The column's current type is not known from the history. */
  | { kind: "unknown" };

const BINARY = new Set(BINARY_COERCIBLE_CASTS.map(([s, t]) => `${s}→${t}`));
for (const pair of ["text→citext", "character varying→citext", "citext→text", "citext→character varying"]) BINARY.add(pair);

const PRECISION_TYPES = new Set(["timestamp without time zone", "timestamp with time zone", "time without time zone", "time with time zone", "interval"]);
const MAX_PRECISION = 6;

function sameType(a: ColumnType, b: ColumnType): boolean {
  return a.name === b.name && a.schema === b.schema && a.array === b.array && a.mods.join(",") === b.mods.join(",");
}

/** Same base type, only the modifiers differ. */
function modifierChange(oldT: ColumnType, newT: ColumnType): TypeChangeEffect {
  const o = oldT.mods;
  const n = newT.mods;
  switch (oldT.name) {
    case "character varying":
    case "bit varying":
      if (!n.length) return { kind: "none" };
      if (o.length && n[0]! >= o[0]!) return { kind: "none" };
      return { kind: "rewrite", reason: o.length ? "the length limit shrinks" : "a length limit is added" };
    case "numeric":
      if (!n.length) return { kind: "none" };
      if (o.length && (o[1] ?? 0) === (n[1] ?? 0) && n[0]! >= o[0]!) return { kind: "none" };
      return { kind: "rewrite", reason: o.length && (o[1] ?? 0) !== (n[1] ?? 0) ? "the scale changes" : "the precision shrinks or is added" };
    default:
      if (PRECISION_TYPES.has(oldT.name)) {
        if (!n.length || n[0]! >= MAX_PRECISION || (o.length && o[0]! <= n[0]!)) return { kind: "none" };
        return { kind: "rewrite", reason: "the fractional-second precision shrinks" };
      }
      return { kind: "rewrite", reason: `the modifiers of ${oldT.name} change` };
  }
}

/** A USING expression that is just the column (or the column cast to the new type) changes nothing. */
function trivialUsing(using: Node | undefined, column: string): boolean {
  if (!using) return true;
  let e: Node | undefined = using;
  for (let cast = asNode(e, "TypeCast"); cast; cast = asNode(e, "TypeCast")) e = cast.arg;
  return isColumnRef(e, column);
}

export function typeChangeEffect(args: {
  oldType: string | ColumnType | undefined;
  newType: ColumnType;
  column: string;
  using?: Node;
  pgVersion: number;
  catalog?: Catalog;
}): TypeChangeEffect {
  const { newType, column, using, pgVersion, catalog } = args;
  if (args.oldType === undefined) return { kind: "unknown" };
  const oldType = typeof args.oldType === "string" ? parseTypeText(args.oldType) : args.oldType;
  if (!trivialUsing(using, column)) return { kind: "rewrite", reason: "the USING expression computes new values" };
  if (sameType(oldType, newType)) return { kind: "none" };
  if (oldType.array !== newType.array) return { kind: "rewrite", reason: "the array dimensions change" };
  if (oldType.name === newType.name && oldType.schema === newType.schema) {
    return oldType.array ? { kind: "rewrite", reason: "array elements are converted one by one" } : modifierChange(oldType, newType);
  }
  if (oldType.array) return { kind: "rewrite", reason: "array elements are converted one by one" };
  const tz = new Set([oldType.name, newType.name]);
  if (tz.has("timestamp without time zone") && tz.has("timestamp with time zone") && tz.size === 2) {
    if (pgVersion < 12) return { kind: "rewrite", reason: "timestamp ↔ timestamptz rewrites before PostgreSQL 12" };
    const relaxes = !newType.mods.length || newType.mods[0]! >= MAX_PRECISION || (oldType.mods.length > 0 && oldType.mods[0]! <= newType.mods[0]!);
    return relaxes ? { kind: "timezone" } : { kind: "rewrite", reason: "the fractional-second precision shrinks" };
  }
  if (BINARY.has(`${oldType.name}→${newType.name}`)) {
    // A binary-coercible cast, unless the new type adds a length limit (a coercion function per row).
    if (newType.name === "character") return { kind: "rewrite", reason: "character(n) pads every value" };
    if (!newType.mods.length) return { kind: "none" };
    return { kind: "rewrite", reason: `${typeToString(newType)} checks the length of every value` };
  }
  // A domain over the old type: no rewrite, but its constraints are checked against every row.
  const domainKey = `${newType.schema ?? "public"}.${newType.name}`;
  const domain = catalog?.types.get(domainKey);
  if (domain?.kind === "domain") {
    const base = parseTypeText(domain.baseType);
    if (sameType(base, { ...oldType, array: 0 }) || BINARY.has(`${oldType.name}→${base.name}`)) {
      return domain.checks.length || domain.notNull ? { kind: "scan", reason: `domain ${domain.name} checks every row` } : { kind: "none" };
    }
  }
  return { kind: "rewrite", reason: `${typeToString(oldType)} → ${typeToString(newType)} converts every value` };
}

/**
 * A type change that can lose data or fail on existing rows: a shorter length, smaller precision or
 * scale, a smaller integer, or any change away from text-like types to a stricter one.
 */
export function isNarrowing(oldText: string | ColumnType | undefined, newType: ColumnType): boolean {
  if (oldText === undefined) return false;
  const o = typeof oldText === "string" ? parseTypeText(oldText) : oldText;
  const n = newType;
  if (o.name === n.name && o.schema === n.schema) {
    if (!n.mods.length) return false;
    if (!o.mods.length) return true;
    if (o.name === "numeric") return n.mods[0]! - (n.mods[1] ?? 0) < o.mods[0]! - (o.mods[1] ?? 0) || (n.mods[1] ?? 0) < (o.mods[1] ?? 0);
    return n.mods[0]! < o.mods[0]!;
  }
  const ints = ["smallint", "integer", "bigint", "numeric"];
  if (ints.includes(o.name) && ints.includes(n.name)) return ints.indexOf(n.name) < ints.indexOf(o.name);
  const texts = ["text", "character varying", "citext"];
  if (texts.includes(o.name)) return !texts.includes(n.name) || n.mods.length > 0;
  if (o.name === "double precision" && n.name === "real") return true;
  if (o.name === "timestamp with time zone" && n.name === "date") return true;
  if (o.name === "timestamp without time zone" && n.name === "date") return true;
  return false;
}

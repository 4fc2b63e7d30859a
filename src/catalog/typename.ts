/**
 * Canonical type names. A migration may write `int`, `int4` or `integer`, `varchar(10)` or
 * `character varying(10)`, `timestamptz` or `timestamp with time zone`; the catalog stores the one
 * spelling `format_type` prints, so equal types compare equal and the text is valid SQL to emit.
 */
import type { Node, TypeName } from "@pgsql/types";
import { asNode, stringValues } from "../parse/ast.js";
import { keyOf, type Resolver } from "./names.js";
import { quoteName } from "./render.js";
import type { ObjectKey } from "./types.js";

export interface ResolvedType {
  /** `character varying(255)`, `integer[]`, `mood` (a user type, qualified when not on the search path). */
  text: string;
  /** The same without type modifiers: how a function argument of this type is identified. */
  identity: string;
  /** The user-defined type, when the type (or its element type) is one the catalog knows. */
  ref?: ObjectKey;
  /** `serial`, `bigserial`, `smallserial`: the integer type the column really gets. */
  serial?: "smallint" | "integer" | "bigint";
  isArray: boolean;
}

/** pg_catalog's internal names (and the spellings users write unqualified) → format_type's spelling. */
const BUILTIN: Record<string, string> = {
  int2: "smallint",
  smallint: "smallint",
  int4: "integer",
  int: "integer",
  integer: "integer",
  int8: "bigint",
  bigint: "bigint",
  float4: "real",
  real: "real",
  float8: "double precision",
  "double precision": "double precision",
  bool: "boolean",
  boolean: "boolean",
  varchar: "character varying",
  "character varying": "character varying",
  bpchar: "character",
  character: "character",
  char: '"char"',
  timestamp: "timestamp without time zone",
  timestamptz: "timestamp with time zone",
  time: "time without time zone",
  timetz: "time with time zone",
  varbit: "bit varying",
  bit: "bit",
  numeric: "numeric",
  decimal: "numeric",
  interval: "interval",
};

const SERIAL: Record<string, "smallint" | "integer" | "bigint"> = {
  serial: "integer",
  serial4: "integer",
  bigserial: "bigint",
  serial8: "bigint",
  smallserial: "smallint",
  serial2: "smallint",
};

/** Types whose modifiers format_type prints inside the name (`timestamp(3) without time zone`). */
const PRECISION_INSIDE: Record<string, [string, string]> = {
  "timestamp without time zone": ["timestamp", " without time zone"],
  "timestamp with time zone": ["timestamp", " with time zone"],
  "time without time zone": ["time", " without time zone"],
  "time with time zone": ["time", " with time zone"],
};

// Interval field bits (datetime.h) → the qualifier format_type prints.
const INTERVAL_FIELDS: Record<number, string> = {
  [1 << 2]: " year",
  [1 << 1]: " month",
  [1 << 3]: " day",
  [1 << 10]: " hour",
  [1 << 11]: " minute",
  [1 << 12]: " second",
  [(1 << 2) | (1 << 1)]: " year to month",
  [(1 << 3) | (1 << 10)]: " day to hour",
  [(1 << 3) | (1 << 10) | (1 << 11)]: " day to minute",
  [(1 << 3) | (1 << 10) | (1 << 11) | (1 << 12)]: " day to second",
  [(1 << 10) | (1 << 11)]: " hour to minute",
  [(1 << 10) | (1 << 11) | (1 << 12)]: " hour to second",
  [(1 << 11) | (1 << 12)]: " minute to second",
};
const INTERVAL_FULL_RANGE = 0x7fff;

function intOf(node: Node | undefined): number | undefined {
  const c = asNode(node, "A_Const");
  if (!c) return undefined;
  if (c.ival) return c.ival.ival ?? 0;
  return undefined;
}

function modText(node: Node): string {
  const c = asNode(node, "A_Const");
  if (c) {
    if (c.ival) return String(c.ival.ival ?? 0);
    if (c.sval) return `'${(c.sval.sval ?? "").replace(/'/g, "''")}'`;
    if (c.fval) return c.fval.fval ?? "0";
  }
  const ref = asNode(node, "ColumnRef");
  if (ref) return stringValues(ref.fields).join(".");
  return "?";
}

function builtinWithMods(base: string, mods: Node[] | undefined): string {
  if (!mods?.length) return base;
  if (base === "interval") {
    const fields = intOf(mods[0]);
    const precision = mods.length > 1 ? intOf(mods[1]) : undefined;
    const qualifier = fields === undefined || fields === INTERVAL_FULL_RANGE ? "" : (INTERVAL_FIELDS[fields] ?? "");
    return `interval${qualifier}${precision !== undefined ? `(${precision})` : ""}`;
  }
  const values = mods.map(modText);
  if (base === "numeric" && values.length === 1) values.push("0");
  const inside = PRECISION_INSIDE[base];
  if (inside) return `${inside[0]}(${values.join(",")})${inside[1]}`;
  return `${base}(${values.join(",")})`;
}

/** Resolves a TypeName node to its canonical spelling and the user type it names, if any. */
export function resolveType(tn: TypeName | undefined, resolver: Resolver): ResolvedType {
  const names = stringValues(tn?.names);
  const isArray = (tn?.arrayBounds?.length ?? 0) > 0;
  const suffix = isArray ? "[]" : "";
  const setof = tn?.setof ? "SETOF " : "";
  const mods = tn?.typmods;
  const last = names.at(-1) ?? "unknown";
  if (tn?.pct_type) {
    const text = `${names.map(quoteName).join(".")}%TYPE`;
    return { text, identity: text, isArray: false };
  }
  const qualifiedBuiltin = names.length === 2 && names[0] === "pg_catalog";
  if (!qualifiedBuiltin) {
    const user = resolver.find(names, resolver.catalog.types);
    if (user) {
      const ref = keyOf(user.schema, user.name);
      const base = userTypeText(user.schema, user.name, resolver);
      const withMods = mods?.length ? `${base}(${mods.map(modText).join(",")})` : base;
      return { text: `${setof}${withMods}${suffix}`, identity: `${base}${suffix}`, ref, isArray };
    }
  }
  if (names.length === 1 || qualifiedBuiltin) {
    const serial = names.length === 1 ? SERIAL[last] : undefined;
    if (serial) return { text: serial, identity: serial, serial, isArray: false };
    const builtin = BUILTIN[last];
    if (builtin) {
      return { text: `${setof}${builtinWithMods(builtin, mods)}${suffix}`, identity: `${builtin}${suffix}`, isArray };
    }
  }
  // Any other type: a built-in such as text or uuid, or an extension's (citext, vector(1536)).
  const base = qualifiedBuiltin ? quoteName(last) : names.map(quoteName).join(".");
  const withMods = mods?.length ? `${base}(${mods.map(modText).join(",")})` : base;
  return { text: `${setof}${withMods}${suffix}`, identity: `${base}${suffix}`, isArray };
}

/** A user type's name as format_type prints it: unqualified when the search path finds it first. */
export function userTypeText(schema: string, name: string, resolver: Resolver): string {
  const visible = resolver.find([name], resolver.catalog.types);
  if (visible && visible.schema === schema) return quoteName(name);
  return `${quoteName(schema)}.${quoteName(name)}`;
}

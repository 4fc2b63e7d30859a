/**
 * Column types in one canonical shape, whether they come from the AST (`pg_catalog.int4`, `varchar(10)`)
 * or from the catalog (format_type text such as `character varying(255)` or `timestamp(3) without
 * time zone`), so rules can compare an old and a new type.
 */
import type { Node, TypeName } from "@pgsql/types";
import { asNode, stringValues } from "../../src/parse/ast.js";

export interface ColumnType {
  /** format_type spelling of the base type, lower case (`character varying`, `integer`, `my_enum`). */
  name: string;
  /** Schema when the user qualified a non-built-in type. */
  schema?: string;
  /** Type modifiers (`varchar(10)` → [10]; `numeric(10,2)` → [10, 2]); empty when none or not constants. */
  mods: number[];
  /** Array dimensions (0 for a scalar). */
  array: number;
}

/** Internal and alias names → the name format_type prints. */
const CANONICAL: Record<string, string> = {
  int2: "smallint",
  int4: "integer",
  int: "integer",
  int8: "bigint",
  float4: "real",
  float8: "double precision",
  float: "double precision",
  bool: "boolean",
  varchar: "character varying",
  "char varying": "character varying",
  bpchar: "character",
  char: "character",
  decimal: "numeric",
  timestamptz: "timestamp with time zone",
  timestamp: "timestamp without time zone",
  timetz: "time with time zone",
  time: "time without time zone",
  varbit: "bit varying",
  serial4: "serial",
  serial8: "bigserial",
  serial2: "smallserial",
};

export function canonicalTypeName(name: string): string {
  const lower = name.toLowerCase();
  return CANONICAL[lower] ?? lower;
}

function intMod(node: Node): number | undefined {
  const c = asNode(node, "A_Const");
  // An ival of 0 is an empty object in libpg-query's JSON.
  return c?.ival ? (c.ival.ival ?? 0) : undefined;
}

/** The canonical type of an AST TypeName. */
export function typeOfTypeName(t: TypeName): ColumnType {
  const parts = stringValues(t.names);
  const last = parts[parts.length - 1] ?? "";
  const schema = parts.length > 1 ? parts[parts.length - 2] : undefined;
  const builtin = schema === "pg_catalog" || schema === undefined;
  const mods: number[] = [];
  for (const m of t.typmods ?? []) {
    const v = intMod(m);
    if (v !== undefined) mods.push(v);
  }
  // `timestamp(3) with time zone` keeps its precision in typmods; `char` without length is char(1).
  // Unqualified `char` can only come from the quoted `"char"`: PostgreSQL's one-byte internal type.
  const name = schema === undefined && last === "char" ? '"char"' : builtin ? canonicalTypeName(last) : last.toLowerCase();
  return { name, ...(builtin || schema === "public" ? {} : { schema }), mods, array: t.arrayBounds?.length ?? 0 };
}

/**
 * Parse format_type text: `character varying(255)`, `numeric(10,2)`, `timestamp(3) without time zone`,
 * `integer[]`, `public.status`, `"Weird"`.
 */
export function parseTypeText(text: string): ColumnType {
  let rest = text.trim();
  let array = 0;
  for (;;) {
    const m = /\[\d*\]$/.exec(rest);
    if (!m) break;
    array++;
    rest = rest.slice(0, m.index).trimEnd();
  }
  if (/\barray$/i.test(rest)) {
    array++;
    rest = rest.replace(/\s*array$/i, "");
  }
  const mods: number[] = [];
  const modMatch = /\(([\d\s,]+)\)/.exec(rest);
  if (modMatch) {
    for (const part of modMatch[1]!.split(",")) mods.push(Number(part.trim()));
    rest = (rest.slice(0, modMatch.index) + rest.slice(modMatch.index + modMatch[0].length)).replace(/\s+/g, " ").trim();
  }
  let schema: string | undefined;
  const unquote = (s: string): string => (s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1).replace(/""/g, '"') : s.toLowerCase());
  const dot = /^("(?:[^"]|"")+"|[a-z_][\w$]*)\.(.+)$/i.exec(rest);
  if (dot && !/\s/.test(dot[1]!)) {
    schema = unquote(dot[1]!);
    rest = dot[2]!;
  }
  const name = rest.startsWith('"') ? unquote(rest) : canonicalTypeName(rest.replace(/\s+/g, " "));
  return { name, ...(schema && schema !== "pg_catalog" && schema !== "public" ? { schema } : {}), mods, array };
}

export function typeToString(t: ColumnType): string {
  const mods = t.mods.length ? `(${t.mods.join(",")})` : "";
  const base = t.name.startsWith("timestamp ") || t.name.startsWith("time ") ? t.name.replace(/^(timestamp|time)/, `$1${mods}`) : `${t.name}${mods}`;
  return `${t.schema ? `${t.schema}.` : ""}${base}${"[]".repeat(t.array)}`;
}

export const SERIAL_TYPES = new Set(["serial", "bigserial", "smallserial"]);

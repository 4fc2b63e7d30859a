/**
 * How Kysely's PostgreSQL compiler (kysely 0.28) spells the pieces of a schema statement: identifiers
 * in double quotes with `"` doubled, `'schema.table'` split at the dot, immediate values (defaults)
 * inlined as literals, and the data types it accepts as strings (any other string it rejects before
 * sending anything; `sql`…`` passes any type).
 */
import type { JsNode } from "../module.js";
import type { BuilderContext } from "./builder.js";
import { notStatic, scalarOf, sqlLiteral, stringArg } from "./static-value.js";

export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `'s.t'` → `"s"."t"`; a name without schema takes `withSchema`'s. */
export function table(name: string, schema: string | undefined): string {
  const dot = name.indexOf(".");
  if (dot >= 0) return `${ident(name.slice(0, dot).trim())}.${ident(name.slice(dot + 1).split(".")[0]!.trim())}`;
  return schema === undefined ? ident(name) : `${ident(schema)}.${ident(name)}`;
}

/** `'col desc'` (an index column) → `"col" desc`. */
export function orderedColumn(ctx: BuilderContext, name: string, at: JsNode): string {
  if (!name.includes(" ")) return ident(name);
  const [col, dir] = name.split(" ").map((s) => s.trim());
  if (dir !== "asc" && dir !== "desc") notStatic(ctx, at, `Kysely rejects the index column "${name}"`);
  return `${ident(col!)} ${dir}`;
}

const SIMPLE_TYPES = new Set([
  "varchar", "char", "text", "integer", "int2", "int4", "int8", "smallint", "bigint", "boolean", "real",
  "double precision", "float4", "float8", "decimal", "numeric", "binary", "bytea", "date", "datetime", "time",
  "timetz", "timestamp", "timestamptz", "serial", "bigserial", "uuid", "json", "jsonb", "blob", "varbinary",
  "int4range", "int4multirange", "int8range", "int8multirange", "numrange", "nummultirange", "tsrange",
  "tsmultirange", "tstzrange", "tstzmultirange", "daterange", "datemultirange",
]);
const SIZED_TYPES = /^(?:(?:varchar|char|binary|datetime|time|timetz|timestamp|timestamptz|varbinary)\(\d+\)|(?:decimal|numeric)\(\d+, \d+\))$/;

/** A column data type: a string Kysely accepts, or `sql`…``. */
export function dataType(ctx: BuilderContext, node: JsNode | undefined, at: JsNode): string {
  if (!node) notStatic(ctx, at, "data type missing");
  const raw = sqlLiteral(ctx, node);
  if (raw !== undefined) return raw;
  const s = stringArg(ctx, node, "data type", at);
  if (!SIMPLE_TYPES.has(s) && !SIZED_TYPES.test(s)) notStatic(ctx, node, `Kysely rejects the data type "${s}"`);
  return s;
}

/** A default / set default value: an immediate literal, or `sql`…``. */
export function valueExpr(ctx: BuilderContext, node: JsNode | undefined, at: JsNode): string {
  if (!node) notStatic(ctx, at, "value missing");
  const raw = sqlLiteral(ctx, node);
  if (raw !== undefined) return raw;
  const v = scalarOf(ctx, node);
  if (!v) notStatic(ctx, node, "value is not a literal");
  switch (v.kind) {
    case "string":
      return `'${v.value.replace(/'/g, "''")}'`;
    case "number":
      return String(v.value);
    case "boolean":
      return String(v.value);
    case "null":
      return "null";
  }
}

/** A SQL expression argument (`check`, `where`, `as`): only `sql`…`` is static. */
export function sqlExpr(ctx: BuilderContext, node: JsNode | undefined, what: string, at: JsNode): string {
  if (!node) notStatic(ctx, at, `${what} missing`);
  const raw = sqlLiteral(ctx, node);
  if (raw === undefined) notStatic(ctx, node, `${what} is not a sql\`…\` literal`);
  return raw;
}

/** Referential actions as Kysely passes them through (it checks them against its type only). */
export function action(ctx: BuilderContext, node: JsNode | undefined, at: JsNode): string {
  const s = stringArg(ctx, node, "referential action", at);
  if (!["cascade", "set null", "set default", "restrict", "no action"].includes(s)) notStatic(ctx, node!, `unknown referential action "${s}"`);
  return s;
}

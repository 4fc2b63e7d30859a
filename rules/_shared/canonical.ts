/**
 * Column defaults and index definitions in the form PostgreSQL itself prints them (`pg_get_expr`,
 * `pg_get_indexdef`), as far as spelling goes, so `down-mismatch` compares what PostgreSQL stores and not
 * how a down wrote it (the round trip of `verify` reads those forms and calls such downs exact):
 *
 * - A literal cast to the column's own type is the literal: PostgreSQL adds that cast itself
 *   (`DEFAULT 'x'` on a varchar column is stored as `'x'::character varying`).
 * - `DEFAULT NULL` (or `NULL::type`) is no default: PostgreSQL stores none.
 * - An enum label PostgreSQL renamed since (`ALTER TYPE … RENAME VALUE`) is stored by identity, so the
 *   default reads the new label; the replayed model keeps the label as written. A default naming a label
 *   its enum no longer has cannot be compared: `RENAMED_LABEL`.
 * - Index keys: `ASC` and the default NULLS order are what an index has when nothing is said; the access
 *   method's case does not matter; literal casts in the predicate and in key expressions are PostgreSQL's
 *   own coercions. A key `date(date)` on a column whose type is `date` is PostgreSQL's no-op cast: the
 *   column itself (that is how PostgreSQL rebuilds such an index after `ALTER COLUMN … TYPE date`).
 */
import type { Node, TypeName } from "@pgsql/types";
import { Resolver } from "../../src/catalog/names.js";
import { exprSql } from "../../src/catalog/render.js";
import { resolveType } from "../../src/catalog/typename.js";
import type { Catalog, Column, Index } from "../../src/catalog/types.js";

interface TypeCastNode {
  arg?: Node;
  typeName?: TypeName;
}

const castOf = (n: Node | undefined): TypeCastNode | undefined => (n as { TypeCast?: TypeCastNode } | undefined)?.TypeCast;
const isConst = (n: Node | undefined): boolean => !!(n as { A_Const?: unknown } | undefined)?.A_Const;
const isNull = (n: Node | undefined): boolean => !!(n as { A_Const?: { isnull?: boolean } } | undefined)?.A_Const?.isnull;

/** `character varying(20)[]` → `character varying[]`: the type without its modifiers. */
function withoutModifiers(type: string): string {
  return type.replace(/\([^)]*\)/g, "");
}

/** A default whose enum label was renamed after it was set: not comparable by text. */
export const RENAMED_LABEL = "\u0000renamed enum label";

/** The string a literal holds (`'a'`), if the node is one. */
function stringConstant(n: Node | undefined): string | undefined {
  return (n as { A_Const?: { sval?: { sval?: string } } } | undefined)?.A_Const?.sval?.sval;
}

/** The default as PostgreSQL would print it, or undefined when there is none (absent or NULL). */
export function canonicalDefault(column: Column, catalog: Catalog, searchPath: readonly string[]): string | undefined {
  let expr = column.default;
  const resolver = new Resolver(catalog, searchPath);
  const own = withoutModifiers(column.type);
  for (let cast = castOf(expr); cast; cast = castOf(expr)) {
    const inner = cast.arg;
    const constant = isConst(inner) || !!castOf(inner);
    if (!constant || withoutModifiers(resolveType(cast.typeName, resolver).text) !== own) break;
    expr = inner;
  }
  if (!expr || isNull(expr) || (castOf(expr) && isNull(castOf(expr)!.arg))) return undefined;
  const type = column.typeRef ? catalog.types.get(column.typeRef) : undefined;
  const label = stringConstant(expr);
  if (type?.kind === "enum" && label !== undefined && !type.labels.includes(label)) return RENAMED_LABEL;
  return exprSql(expr);
}

/** A copy of an expression with every cast directly over a literal removed (PostgreSQL's coercions). */
function stripLiteralCasts<T>(value: T): T {
  if (Array.isArray(value)) return value.map(stripLiteralCasts) as T;
  if (!value || typeof value !== "object") return value;
  const cast = castOf(value as unknown as Node);
  if (cast && (isConst(cast.arg) || castOf(cast.arg))) return stripLiteralCasts(cast.arg) as T;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (k !== "location") out[k] = stripLiteralCasts(v);
  return out as T;
}

interface FuncCallNode {
  funcname?: Node[];
  args?: Node[];
}

/** `type(column)` where the column already has that type: the column's name, else undefined. */
function noOpCast(expr: Node | undefined, columnType: (name: string) => string | undefined, typeText: (name: string) => string): string | undefined {
  const call = (expr as { FuncCall?: FuncCallNode } | undefined)?.FuncCall;
  if (!call || call.funcname?.length !== 1 || call.args?.length !== 1) return undefined;
  const fn = (call.funcname[0] as { String?: { sval?: string } }).String?.sval;
  const ref = (call.args[0] as { ColumnRef?: { fields?: Node[] } }).ColumnRef?.fields;
  const column = ref?.length === 1 ? (ref[0] as { String?: { sval?: string } }).String?.sval : undefined;
  if (!fn || !column) return undefined;
  const type = columnType(column);
  return type !== undefined && type === typeText(fn) ? column : undefined;
}

/** Default orderings spelled out are the defaults (`ASC`, `NULLS LAST` after ASC, `NULLS FIRST` after DESC). */
function canonicalElement(param: Node, noOp: (expr: Node | undefined) => string | undefined): unknown {
  const elem = (param as { IndexElem?: Record<string, unknown> }).IndexElem;
  if (!elem) return stripLiteralCasts(param);
  const { ordering, nulls_ordering: nulls, ...rest } = elem;
  const column = noOp(rest["expr"] as Node | undefined);
  if (column) {
    delete rest["expr"];
    rest["name"] = column;
  }
  const desc = ordering === "SORTBY_DESC";
  const defaultNulls = nulls === undefined || nulls === "SORTBY_NULLS_DEFAULT" || nulls === (desc ? "SORTBY_NULLS_FIRST" : "SORTBY_NULLS_LAST");
  return { ...stripLiteralCasts(rest), desc, ...(defaultNulls ? {} : { nulls }) };
}

/** The index definition as a comparable string: equal for indexes `pg_get_indexdef` prints alike. */
export function canonicalIndex(index: Index, catalog: Catalog, searchPath: readonly string[]): string {
  const table = catalog.tables.get(index.table);
  const resolver = new Resolver(catalog, searchPath);
  const typeText = (name: string): string => resolveType({ names: [{ String: { sval: name } }] } as TypeName, resolver).text;
  const noOp = (expr: Node | undefined) => noOpCast(expr, (c) => table?.columns.find((x) => x.name === c)?.type, typeText);
  return JSON.stringify({
    table: index.table,
    unique: index.unique,
    method: (index.method || "btree").toLowerCase(),
    params: index.params.map((p) => canonicalElement(p, noOp)),
    include: index.include,
    predicate: index.predicate ? stripLiteralCasts(index.predicate) : null,
    nullsNotDistinct: !!index.nullsNotDistinct,
  });
}

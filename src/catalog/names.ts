/**
 * Object names: keys, search-path resolution, and the names PostgreSQL chooses for objects the
 * migration did not name (`t_pkey`, `t_col_fkey`, `t_col_key`, `t_col_check`, `t_col_idx`,
 * `t_col_not_null`, `t_col_seq`), truncated to 63 bytes and de-duplicated with a numeric suffix
 * exactly as `makeObjectName` / `ChooseRelationName` / `ChooseConstraintName` do in PostgreSQL.
 */
import type { Node, RangeVar } from "@pgsql/types";
import { asNode, stringValues } from "../parse/ast.js";
import { diffMaps, PMap } from "./pmap.js";
import type { Catalog, ObjectKey, QualifiedName, Table } from "./types.js";

/** NAMEDATALEN - 1: the longest identifier PostgreSQL keeps, in bytes. */
export const MAX_IDENTIFIER_BYTES = 63;

export function keyOf(schema: string, name: string): ObjectKey {
  return `${schema}.${name}`;
}

/** The schemas unqualified names resolve to, with `$user` and `pg_temp` left out (we do not know the role). */
export function effectiveSearchPath(searchPath: readonly string[]): string[] {
  return searchPath.filter((s) => s !== "$user" && s !== "pg_temp" && s !== "");
}

/** Truncates to at most `bytes` UTF-8 bytes without splitting a character (`pg_mbcliplen`). */
export function clipBytes(s: string, bytes: number): string {
  if (Buffer.byteLength(s) <= bytes) return s;
  let out = "";
  let used = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch);
    if (used + n > bytes) break;
    out += ch;
    used += n;
  }
  return out;
}

/** PostgreSQL truncates identifiers longer than 63 bytes (with a NOTICE). */
export function truncateIdentifier(name: string): string {
  return clipBytes(name, MAX_IDENTIFIER_BYTES);
}

/**
 * `makeObjectName(name1, name2, label)`: `name1_name2_label`, where name1 and name2 are shortened
 * (the longer one first, one byte at a time) so that the whole fits in 63 bytes.
 */
export function makeObjectName(name1: string, name2: string | undefined, label: string | undefined): string {
  let overhead = 0;
  if (name2 !== undefined) overhead += 1;
  if (label !== undefined) overhead += Buffer.byteLength(label) + 1;
  const avail = MAX_IDENTIFIER_BYTES - overhead;
  let n1 = Buffer.byteLength(name1);
  let n2 = name2 !== undefined ? Buffer.byteLength(name2) : 0;
  while (n1 + n2 > avail) {
    if (n1 > n2) n1--;
    else n2--;
  }
  let out = clipBytes(name1, n1);
  if (name2 !== undefined) out += `_${clipBytes(name2, n2)}`;
  if (label !== undefined) out += `_${label}`;
  return out;
}

/** Column names joined by `_` the way ChooseIndexNameAddition / ChooseForeignKeyConstraintNameAddition do. */
export function nameAddition(columns: readonly string[]): string {
  let buf = "";
  for (const c of columns) {
    if (buf.length) buf += "_";
    buf += c;
    // PostgreSQL stops once the buffer reaches NAMEDATALEN; makeObjectName truncates the rest.
    if (Buffer.byteLength(buf) >= MAX_IDENTIFIER_BYTES + 1) break;
  }
  return clipBytes(buf, MAX_IDENTIFIER_BYTES);
}

/** Names of relations (pg_class) in a schema: tables, indexes, sequences, views, composite types. */
export function relationNameTaken(catalog: Catalog, schema: string, name: string): boolean {
  const key = keyOf(schema, name);
  if (catalog.tables.has(key) || catalog.indexes.has(key) || catalog.sequences.has(key) || catalog.views.has(key)) return true;
  const t = catalog.types.get(key);
  return t?.kind === "composite";
}

/** Constraint names in use in a schema (constraint names are chosen unique per namespace). */
export function constraintNameTaken(catalog: Catalog, schema: string, name: string): boolean {
  return constraintNames.has(catalog, schema, name);
}

/**
 * The constraint names of the last catalog asked about, counted per schema, brought up to date by
 * diffing that catalog's tables and types with the next one's. The replay asks about catalogs one
 * statement apart, so the diff is the size of the change: scanning every table for every unnamed
 * constraint made the replay quadratic in the size of the schema (2,000 migrations: 17 ms each
 * instead of 2). The answer depends only on the catalog asked about, whatever was asked before.
 */
class ConstraintNames {
  private tables: Catalog["tables"] = PMap.empty();
  private types: Catalog["types"] = PMap.empty();
  private readonly counts = new Map<string, number>();

  has(catalog: Catalog, schema: string, name: string): boolean {
    if (catalog.tables !== this.tables) {
      for (const c of diffMaps(this.tables, catalog.tables)) {
        // A table changed in something else (a column's type, a default) keeps its names: counting them
        // out and in again changes no count, and a wide table has hundreds (a NOT NULL name per column).
        if (c.before && c.after && c.before.schema === c.after.schema && sameConstraintNames(c.before, c.after)) continue;
        if (c.before) this.count(c.before.schema, tableConstraintNames(c.before), -1);
        if (c.after) this.count(c.after.schema, tableConstraintNames(c.after), 1);
      }
      this.tables = catalog.tables;
    }
    if (catalog.types !== this.types) {
      for (const c of diffMaps(this.types, catalog.types)) {
        if (c.before?.kind === "domain") this.count(c.before.schema, c.before.checks.map((k) => k.name), -1);
        if (c.after?.kind === "domain") this.count(c.after.schema, c.after.checks.map((k) => k.name), 1);
      }
      this.types = catalog.types;
    }
    return (this.counts.get(`${schema}\u0000${name}`) ?? 0) > 0;
  }

  private count(schema: string, names: readonly string[], by: 1 | -1): void {
    for (const name of names) {
      const key = `${schema}\u0000${name}`;
      const n = (this.counts.get(key) ?? 0) + by;
      if (n) this.counts.set(key, n);
      else this.counts.delete(key);
    }
  }
}

/** Whether `tableConstraintNames` of the two tables are the same list (no list built). */
function sameConstraintNames(a: Table, b: Table): boolean {
  if (a.constraints !== b.constraints) {
    if (a.constraints.length !== b.constraints.length) return false;
    for (let i = 0; i < a.constraints.length; i++) if (a.constraints[i]!.name !== b.constraints[i]!.name) return false;
  }
  if (a.columns === b.columns) return true;
  let j = 0;
  for (const col of a.columns) {
    if (col.notNullName === undefined) continue;
    while (j < b.columns.length && b.columns[j]!.notNullName === undefined) j++;
    if (j === b.columns.length || b.columns[j]!.notNullName !== col.notNullName) return false;
    j++;
  }
  while (j < b.columns.length && b.columns[j]!.notNullName === undefined) j++;
  return j === b.columns.length;
}

function tableConstraintNames(t: Table): string[] {
  const out = t.constraints.map((c) => c.name);
  for (const c of t.columns) if (c.notNullName !== undefined) out.push(c.notNullName);
  return out;
}

const constraintNames = new ConstraintNames();

/**
 * ChooseRelationName: `makeObjectName(name1, name2, label)`, then `label1`, `label2`, … until the
 * name is free among relations (and, for index-backed constraints, constraints) of the schema.
 */
export function chooseRelationName(
  catalog: Catalog,
  schema: string,
  name1: string,
  name2: string | undefined,
  label: string,
  isConstraint: boolean,
  others: readonly string[] = [],
): string {
  for (let pass = 0; ; pass++) {
    const name = makeObjectName(name1, name2, pass ? `${label}${pass}` : label);
    if (others.includes(name)) continue;
    if (relationNameTaken(catalog, schema, name)) continue;
    if (isConstraint && constraintNameTaken(catalog, schema, name)) continue;
    return name;
  }
}

/** ChooseConstraintName: like chooseRelationName, but only constraint names (and `others`) conflict. */
export function chooseConstraintName(
  catalog: Catalog,
  schema: string,
  name1: string,
  name2: string | undefined,
  label: string,
  others: readonly string[] = [],
): string {
  for (let pass = 0; ; pass++) {
    const name = makeObjectName(name1, name2, pass ? `${label}${pass}` : label);
    if (others.includes(name)) continue;
    if (constraintNameTaken(catalog, schema, name)) continue;
    return name;
  }
}

/**
 * The name PostgreSQL gives an index column when choosing an index name (FigureIndexColname):
 * a column's name, a function call's name, … or `expr`.
 */
export function indexColumnName(node: Node | undefined): string {
  return figureColname(node) ?? "expr";
}

function figureColname(node: Node | undefined): string | undefined {
  if (!node) return undefined;
  const ref = asNode(node, "ColumnRef");
  if (ref) {
    const names = stringValues(ref.fields);
    return names.at(-1);
  }
  const fn = asNode(node, "FuncCall");
  if (fn) return stringValues(fn.funcname).at(-1);
  const cast = asNode(node, "TypeCast");
  if (cast) return figureColname(cast.arg) ?? stringValues(cast.typeName?.names).at(-1);
  const coll = asNode(node, "CollateClause");
  if (coll) return figureColname(coll.arg);
  if (asNode(node, "CoalesceExpr")) return "coalesce";
  const mm = asNode(node, "MinMaxExpr");
  if (mm) return mm.op === "IS_GREATEST" ? "greatest" : "least";
  if (asNode(node, "CaseExpr")) return "case";
  if (asNode(node, "A_ArrayExpr")) return "array";
  if (asNode(node, "RowExpr")) return "row";
  const ae = asNode(node, "A_Expr");
  if (ae?.kind === "AEXPR_NULLIF") return "nullif";
  const svf = asNode(node, "SQLValueFunction");
  if (svf?.op) return SQL_VALUE_FUNCTION_NAMES[svf.op];
  return undefined;
}

const SQL_VALUE_FUNCTION_NAMES: Record<string, string> = {
  SVFOP_CURRENT_DATE: "current_date",
  SVFOP_CURRENT_TIME: "current_time",
  SVFOP_CURRENT_TIME_N: "current_time",
  SVFOP_CURRENT_TIMESTAMP: "current_timestamp",
  SVFOP_CURRENT_TIMESTAMP_N: "current_timestamp",
  SVFOP_LOCALTIME: "localtime",
  SVFOP_LOCALTIME_N: "localtime",
  SVFOP_LOCALTIMESTAMP: "localtimestamp",
  SVFOP_LOCALTIMESTAMP_N: "localtimestamp",
  SVFOP_CURRENT_ROLE: "current_role",
  SVFOP_CURRENT_USER: "current_user",
  SVFOP_USER: "user",
  SVFOP_SESSION_USER: "session_user",
  SVFOP_CURRENT_CATALOG: "current_catalog",
  SVFOP_CURRENT_SCHEMA: "current_schema",
};

/** Resolves names against the catalog and the search path. */
export class Resolver {
  readonly path: readonly string[];

  constructor(
    readonly catalog: Catalog,
    searchPath: readonly string[],
  ) {
    this.path = effectiveSearchPath(searchPath);
  }

  /** The schema new unqualified objects are created in: the first existing schema of the path. */
  get creationSchema(): string {
    for (const s of this.path) if (this.catalog.schemas.has(s)) return s;
    return this.path[0] ?? "public";
  }

  /** Key of `[schema.]name` among the objects of `maps` (first schema of the path holding it), or where it would be created. */
  resolve(names: readonly string[], ...maps: ReadonlyMap<string, unknown>[]): ObjectKey {
    const q = this.find(names, ...maps);
    return q ? keyOf(q.schema, q.name) : keyOf(names.length > 1 ? names.at(-2)! : this.creationSchema, names.at(-1)!);
  }

  /** Like resolve, but undefined when no such object exists. */
  find(names: readonly string[], ...maps: ReadonlyMap<string, unknown>[]): QualifiedName | undefined {
    const name = names.at(-1);
    if (name === undefined) return undefined;
    if (names.length > 1) {
      const schema = names.at(-2)!;
      return maps.some((m) => m.has(keyOf(schema, name))) ? { schema, name } : undefined;
    }
    for (const schema of this.path) {
      if (maps.some((m) => m.has(keyOf(schema, name)))) return { schema, name };
    }
    return undefined;
  }

  rangeVarNames(rv: RangeVar | undefined): string[] {
    if (!rv?.relname) return [];
    return rv.schemaname ? [rv.schemaname, rv.relname] : [rv.relname];
  }

  /** A relation (table, view, sequence, index) named by a RangeVar. */
  relation(rv: RangeVar | undefined): ObjectKey {
    const c = this.catalog;
    return this.resolve(this.rangeVarNames(rv), c.tables, c.views, c.sequences, c.indexes);
  }

  table(rv: RangeVar | undefined): ObjectKey {
    return this.resolve(this.rangeVarNames(rv), this.catalog.tables);
  }

  /** The schema a new relation named by `rv` goes to. */
  schemaFor(rv: RangeVar | undefined): string {
    return rv?.schemaname ?? this.creationSchema;
  }

  /** The schema for a new object named by a name list (`CREATE TYPE s.t`). */
  schemaForNames(names: readonly string[]): string {
    return names.length > 1 ? names.at(-2)! : this.creationSchema;
  }
}

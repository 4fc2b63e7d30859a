/**
 * The output columns of a query, as PostgreSQL works them out when it creates a view or a table from
 * it: names always (FigureColname's rules: the alias, the column, the function, the cast's type,
 * `?column?`), types where the expression's type follows from the catalog (columns, casts, literals,
 * common functions and aggregates, `UNION` branches of one type), else unknown.
 *
 * And `*` expanded the way PostgreSQL expands it when the view is created: the columns the relations
 * have at that moment, frozen into the stored query (a column added later is not in the view).
 */
import type { Node, SelectStmt } from "@pgsql/types";
import { asNode, stringValues } from "../parse/ast.js";
import { keyOf, type Resolver } from "./names.js";
import { resolveType } from "./typename.js";
import type { Catalog, ObjectKey, View } from "./types.js";

export interface OutputColumn {
  name: string;
  /** Canonical type text; undefined when the expression's type is not known here. */
  type?: string;
  typeRef?: ObjectKey;
}

/** What the inference reads: the catalog's relations and the name resolution of the statement. */
export interface QueryScope {
  tables: Catalog["tables"];
  views: Catalog["views"];
  resolver: Resolver;
}

interface RangeItem {
  /** The name a qualified reference uses: the alias, else the relation's name. */
  alias: string;
  columns: OutputColumn[];
}

type Ctes = ReadonlyMap<string, OutputColumn[]>;

/** The output columns of a query (a SelectStmt node), or undefined when they cannot be told. */
export function queryOutputColumns(scope: QueryScope, query: Node | undefined, ctes: Ctes = new Map()): OutputColumn[] | undefined {
  const sel = asNode(query, "SelectStmt");
  if (!sel) return undefined;
  const withCtes = cteColumns(scope, sel, ctes);
  if (!withCtes) return undefined;
  if (sel.op && sel.op !== "SETOP_NONE") {
    const left = queryOutputColumns(scope, sel.larg ? { SelectStmt: sel.larg } : undefined, withCtes);
    const right = queryOutputColumns(scope, sel.rarg ? { SelectStmt: sel.rarg } : undefined, withCtes);
    if (!left || !right || left.length !== right.length) return undefined;
    // Names come from the first branch; the type is the branches' common one, where it is plain.
    return left.map((c, i) => {
      const r = right[i]!;
      if (c.type !== undefined && c.type === r.type) return c;
      const common = c.type !== undefined && r.type !== undefined ? commonType(c.type, r.type) : undefined;
      return common ? { name: c.name, type: common } : { name: c.name };
    });
  }
  if (sel.valuesLists?.length) {
    const first = asNode(sel.valuesLists[0], "List")?.items ?? [];
    return first.map((e, i) => ({ name: `column${i + 1}`, ...typeOf(scope, e, [], withCtes) }));
  }
  const items = rangeItems(scope, sel.fromClause ?? [], withCtes);
  const out: OutputColumn[] = [];
  for (const t of sel.targetList ?? []) {
    const rt = asNode(t, "ResTarget");
    if (!rt) return undefined;
    const star = starOf(rt.val);
    if (star) {
      if (!items) return undefined;
      const from = star.qualifier === undefined ? items : items.filter((i) => i.alias === star.qualifier);
      if (!from.length) return undefined;
      for (const i of from) out.push(...i.columns);
      continue;
    }
    const typed = typeOf(scope, rt.val, items ?? [], withCtes);
    out.push({ name: rt.name ?? figureColname(rt.val) ?? "?column?", ...typed });
  }
  return out;
}

/** The output columns of a view: its query's, renamed by the column list given after its name. */
export function viewOutputColumns(scope: QueryScope, v: View): OutputColumn[] | undefined {
  const cols = queryOutputColumns(scope, v.query);
  if (!cols) return v.columns?.map((name) => ({ name }));
  return cols.map((c, i) => (v.columns?.[i] ? { ...c, name: v.columns[i]! } : c));
}

/**
 * The query with every `*` and `t.*` replaced by the columns it stands for now, as PostgreSQL stores a
 * view. Stars over relations the catalog does not know stay as written. Returns the same node when
 * nothing was expanded (catalog ASTs are shared: the input is never mutated).
 */
export function expandStars(scope: QueryScope, query: Node): Node {
  if (!hasStar(query)) return query;
  const copy = structuredClone(query);
  const sel = asNode(copy, "SelectStmt");
  if (sel) expandSelect(scope, sel, new Map());
  return copy;
}

function hasStar(query: Node): boolean {
  return JSON.stringify(query).includes('"A_Star"');
}

function expandSelect(scope: QueryScope, sel: SelectStmt, ctes: Ctes): void {
  for (const c of sel.withClause?.ctes ?? []) {
    const cte = asNode(c, "CommonTableExpr");
    const q = asNode(cte?.ctequery, "SelectStmt");
    if (q) expandSelect(scope, q, ctes);
  }
  const withCtes = cteColumns(scope, sel, ctes) ?? ctes;
  if (sel.op && sel.op !== "SETOP_NONE") {
    if (sel.larg) expandSelect(scope, sel.larg, withCtes);
    if (sel.rarg) expandSelect(scope, sel.rarg, withCtes);
    return;
  }
  for (const f of sel.fromClause ?? []) expandFromItem(scope, f, withCtes);
  if (!sel.targetList?.some((t) => starOf(asNode(t, "ResTarget")?.val))) return;
  const items = rangeItems(scope, sel.fromClause ?? [], withCtes, { forStar: true });
  if (!items) return;
  const qualify = items.length > 1;
  const targets: Node[] = [];
  for (const t of sel.targetList) {
    const star = starOf(asNode(t, "ResTarget")?.val);
    const from = star ? (star.qualifier === undefined ? items : items.filter((i) => i.alias === star.qualifier)) : [];
    if (!star || !from.length) {
      targets.push(t);
      continue;
    }
    for (const i of from) {
      for (const c of i.columns) {
        const fields = qualify || star.qualifier !== undefined ? [i.alias, c.name] : [c.name];
        targets.push({ ResTarget: { val: { ColumnRef: { fields: fields.map((s) => ({ String: { sval: s } })) } } } });
      }
    }
  }
  sel.targetList = targets;
}

function expandFromItem(scope: QueryScope, f: Node, ctes: Ctes): void {
  const sub = asNode(f, "RangeSubselect");
  const q = asNode(sub?.subquery, "SelectStmt");
  if (q) expandSelect(scope, q, ctes);
  const join = asNode(f, "JoinExpr");
  if (join?.larg) expandFromItem(scope, join.larg, ctes);
  if (join?.rarg) expandFromItem(scope, join.rarg, ctes);
}

function starOf(val: Node | undefined): { qualifier?: string } | undefined {
  const ref = asNode(val, "ColumnRef");
  const fields = ref?.fields ?? [];
  if (!fields.length || !asNode(fields.at(-1), "A_Star")) return undefined;
  const names = stringValues(fields.slice(0, -1));
  return names.length ? { qualifier: names.at(-1)! } : {};
}

function cteColumns(scope: QueryScope, sel: SelectStmt, ctes: Ctes): Ctes | undefined {
  const list = sel.withClause?.ctes ?? [];
  if (!list.length) return ctes;
  const out = new Map(ctes);
  for (const c of list) {
    const cte = asNode(c, "CommonTableExpr");
    if (!cte?.ctename) return undefined;
    const cols = queryOutputColumns(scope, cte.ctequery, out);
    if (!cols) return undefined;
    const aliases = stringValues(cte.aliascolnames);
    out.set(cte.ctename, cols.map((col, i) => (aliases[i] ? { ...col, name: aliases[i]! } : col)));
  }
  return out;
}

/** The FROM list as range items, or undefined when one of them is not known (or, for `*`, joins with USING). */
function rangeItems(scope: QueryScope, from: readonly Node[], ctes: Ctes, opts: { forStar?: boolean } = {}): RangeItem[] | undefined {
  const out: RangeItem[] = [];
  for (const f of from) {
    const items = rangeItem(scope, f, ctes, opts);
    if (!items) return undefined;
    out.push(...items);
  }
  return out;
}

function rangeItem(scope: QueryScope, f: Node, ctes: Ctes, opts: { forStar?: boolean }): RangeItem[] | undefined {
  const rv = asNode(f, "RangeVar");
  if (rv?.relname) {
    let cols: OutputColumn[] | undefined;
    if (!rv.schemaname && ctes.has(rv.relname)) cols = ctes.get(rv.relname);
    else {
      const q = scope.resolver.find(scope.resolver.rangeVarNames(rv), scope.tables, scope.views);
      if (!q) return undefined;
      const key = keyOf(q.schema, q.name);
      const t = scope.tables.get(key);
      if (t) cols = t.columns.map((c) => ({ name: c.name, type: c.type, ...(c.typeRef ? { typeRef: c.typeRef } : {}) }));
      else {
        const v = scope.views.get(key);
        cols = v ? viewOutputColumns(scope, v) : undefined;
      }
    }
    if (!cols) return undefined;
    return [{ alias: rv.alias?.aliasname ?? rv.relname, columns: aliased(cols, stringValues(rv.alias?.colnames)) }];
  }
  const sub = asNode(f, "RangeSubselect");
  if (sub) {
    const cols = queryOutputColumns(scope, sub.subquery, ctes);
    if (!cols || !sub.alias?.aliasname) return undefined;
    return [{ alias: sub.alias.aliasname, columns: aliased(cols, stringValues(sub.alias.colnames)) }];
  }
  const join = asNode(f, "JoinExpr");
  if (join?.larg && join.rarg) {
    // USING and NATURAL merge columns, an alias renames the join: not worked out here for `*`.
    if (opts.forStar && (join.usingClause?.length || join.isNatural || join.alias)) return undefined;
    const l = rangeItem(scope, join.larg, ctes, opts);
    const r = rangeItem(scope, join.rarg, ctes, opts);
    return l && r ? [...l, ...r] : undefined;
  }
  return undefined;
}

function aliased(cols: OutputColumn[], names: readonly string[]): OutputColumn[] {
  return names.length ? cols.map((c, i) => (names[i] ? { ...c, name: names[i]! } : c)) : cols;
}

/** FigureColname: the output name PostgreSQL gives an expression without an alias. */
function figureColname(e: Node | undefined): string | undefined {
  if (!e) return undefined;
  const ref = asNode(e, "ColumnRef");
  if (ref) return stringValues(ref.fields).at(-1);
  const fn = asNode(e, "FuncCall");
  if (fn) return stringValues(fn.funcname).at(-1);
  const cast = asNode(e, "TypeCast");
  if (cast) return figureColname(cast.arg) ?? stringValues(cast.typeName?.names).at(-1);
  const ind = asNode(e, "A_Indirection");
  if (ind) {
    const last = stringValues(ind.indirection ?? []).at(-1);
    return last ?? figureColname(ind.arg);
  }
  const kase = asNode(e, "CaseExpr");
  if (kase) return figureColname(kase.defresult) ?? "case";
  if (asNode(e, "CoalesceExpr")) return "coalesce";
  const mm = asNode(e, "MinMaxExpr");
  if (mm) return mm.op === "IS_GREATEST" ? "greatest" : "least";
  if (asNode(e, "A_ArrayExpr")) return "array";
  if (asNode(e, "RowExpr")) return "row";
  const sub = asNode(e, "SubLink");
  if (sub) {
    if (sub.subLinkType === "EXISTS_SUBLINK") return "exists";
    if (sub.subLinkType === "ARRAY_SUBLINK") return "array";
    if (sub.subLinkType === "EXPR_SUBLINK") {
      const rt = asNode(asNode(sub.subselect, "SelectStmt")?.targetList?.[0], "ResTarget");
      return rt?.name ?? figureColname(rt?.val);
    }
  }
  const svf = asNode(e, "SQLValueFunction");
  if (svf?.op) return SQL_VALUE_FUNCTIONS[svf.op]?.[0];
  const ax = asNode(e, "A_Expr");
  if (ax?.kind === "AEXPR_NULLIF") return "nullif";
  return undefined;
}

/** SQLValueFunction op → [output name, type]. */
const SQL_VALUE_FUNCTIONS: Record<string, [string, string]> = {
  SVFOP_CURRENT_DATE: ["current_date", "date"],
  SVFOP_CURRENT_TIME: ["current_time", "time with time zone"],
  SVFOP_CURRENT_TIME_N: ["current_time", "time with time zone"],
  SVFOP_CURRENT_TIMESTAMP: ["current_timestamp", "timestamp with time zone"],
  SVFOP_CURRENT_TIMESTAMP_N: ["current_timestamp", "timestamp with time zone"],
  SVFOP_LOCALTIME: ["localtime", "time without time zone"],
  SVFOP_LOCALTIME_N: ["localtime", "time without time zone"],
  SVFOP_LOCALTIMESTAMP: ["localtimestamp", "timestamp without time zone"],
  SVFOP_LOCALTIMESTAMP_N: ["localtimestamp", "timestamp without time zone"],
  SVFOP_CURRENT_ROLE: ["current_role", "name"],
  SVFOP_CURRENT_USER: ["current_user", "name"],
  SVFOP_USER: ["current_user", "name"],
  SVFOP_SESSION_USER: ["session_user", "name"],
  SVFOP_CURRENT_CATALOG: ["current_catalog", "name"],
  SVFOP_CURRENT_SCHEMA: ["current_schema", "name"],
};

/** Functions whose result type does not depend on their arguments. */
const FIXED_RESULT: Record<string, string> = {
  count: "bigint",
  row_number: "bigint",
  rank: "bigint",
  dense_rank: "bigint",
  ntile: "integer",
  now: "timestamp with time zone",
  statement_timestamp: "timestamp with time zone",
  transaction_timestamp: "timestamp with time zone",
  clock_timestamp: "timestamp with time zone",
  gen_random_uuid: "uuid",
  uuid_generate_v4: "uuid",
  lower: "text",
  upper: "text",
  trim: "text",
  btrim: "text",
  ltrim: "text",
  rtrim: "text",
  concat: "text",
  concat_ws: "text",
  string_agg: "text",
  md5: "text",
  replace: "text",
  substring: "text",
  left: "text",
  right: "text",
  format: "text",
  initcap: "text",
  length: "integer",
  char_length: "integer",
  octet_length: "integer",
  bool_and: "boolean",
  bool_or: "boolean",
  every: "boolean",
  json_agg: "json",
  json_build_object: "json",
  json_object_agg: "json",
  jsonb_agg: "jsonb",
  jsonb_build_object: "jsonb",
  jsonb_object_agg: "jsonb",
  to_json: "json",
  to_jsonb: "jsonb",
  date_part: "double precision",
  random: "double precision",
  to_timestamp: "timestamp with time zone",
};

const INTEGER_TYPES = new Set(["smallint", "integer"]);

/** `numeric(10,2)` → `numeric`, `timestamp(3) with time zone` → `timestamp with time zone`. */
function withoutModifiers(type: string): string {
  return type.replace(/\(\d+(,\d+)?\)/, "");
}

/** The type of an expression, where it follows from the catalog; `{}` when not known. */
function typeOf(scope: QueryScope, e: Node | undefined, items: readonly RangeItem[], ctes: Ctes): { type?: string; typeRef?: ObjectKey } {
  if (!e) return {};
  const ref = asNode(e, "ColumnRef");
  if (ref) {
    const names = stringValues(ref.fields);
    if (names.length !== (ref.fields?.length ?? 0)) return {};
    const col = names.at(-1);
    const qualifier = names.length > 1 ? names.at(-2) : undefined;
    const found = items.filter((i) => qualifier === undefined || i.alias === qualifier).flatMap((i) => i.columns.filter((c) => c.name === col));
    const c = found.length === 1 ? found[0]! : undefined;
    return c?.type !== undefined ? { type: c.type, ...(c.typeRef ? { typeRef: c.typeRef } : {}) } : {};
  }
  const cast = asNode(e, "TypeCast");
  if (cast?.typeName) {
    const t = resolveType(cast.typeName, scope.resolver);
    return { type: t.serial ?? t.text, ...(t.ref ? { typeRef: t.ref } : {}) };
  }
  const k = asNode(e, "A_Const");
  if (k) {
    if (k.ival) return { type: "integer" };
    // An integer too large for int4 is parsed as a float literal; PostgreSQL types it bigint when it fits.
    if (k.fval) return { type: /^-?\d+$/.test(k.fval.fval ?? "") && BigInt(k.fval.fval!) < 2n ** 63n && BigInt(k.fval.fval!) >= -(2n ** 63n) ? "bigint" : "numeric" };
    if (k.boolval) return { type: "boolean" };
    // An untyped literal (or NULL) in a created table's column list resolves to text (PostgreSQL 10+).
    if (k.sval || k.isnull) return { type: "text" };
    return {};
  }
  const fn = asNode(e, "FuncCall");
  if (fn) {
    const name = stringValues(fn.funcname).at(-1)?.toLowerCase() ?? "";
    const qualified = (fn.funcname?.length ?? 0) > 1 && stringValues(fn.funcname)[0] !== "pg_catalog";
    if (qualified) return {};
    if (FIXED_RESULT[name]) return { type: FIXED_RESULT[name] };
    const arg = fn.args?.[0] ? typeOf(scope, fn.args[0], items, ctes) : {};
    if (name === "coalesce" || name === "nullif") return arg;
    // min and max return their input type without its modifiers; varchar has none of its own (text's).
    if (name === "min" || name === "max") {
      if (!arg.type || arg.type.startsWith("character(") || arg.type === "character" || arg.type.endsWith("[]")) return {};
      if (arg.type.startsWith("character varying")) return { type: "text" };
      return { ...arg, type: withoutModifiers(arg.type) };
    }
    if (name === "array_agg" && arg.type && !arg.type.endsWith("[]")) return { type: `${withoutModifiers(arg.type)}[]`, ...(arg.typeRef ? { typeRef: arg.typeRef } : {}) };
    if (name === "sum") {
      if (arg.type && INTEGER_TYPES.has(arg.type)) return { type: "bigint" };
      if (arg.type === "bigint" || arg.type?.startsWith("numeric")) return { type: "numeric" };
      if (arg.type === "real" || arg.type === "double precision" || arg.type === "interval") return { type: arg.type };
      return {};
    }
    if (name === "avg") {
      if (arg.type && (INTEGER_TYPES.has(arg.type) || arg.type === "bigint" || arg.type.startsWith("numeric"))) return { type: "numeric" };
      if (arg.type === "real" || arg.type === "double precision") return { type: "double precision" };
      return {};
    }
    return {};
  }
  const coalesce = asNode(e, "CoalesceExpr");
  if (coalesce) return sameTypeOf(coalesce.args?.map((a) => typeOf(scope, a, items, ctes)) ?? []);
  const kase = asNode(e, "CaseExpr");
  if (kase) {
    const results = (kase.args ?? []).map((w) => typeOf(scope, asNode(w, "CaseWhen")?.result, items, ctes));
    if (kase.defresult) results.push(typeOf(scope, kase.defresult, items, ctes));
    return sameTypeOf(results);
  }
  const svf = asNode(e, "SQLValueFunction");
  if (svf?.op && SQL_VALUE_FUNCTIONS[svf.op]) return { type: SQL_VALUE_FUNCTIONS[svf.op]![1] };
  if (asNode(e, "BoolExpr") || asNode(e, "NullTest") || asNode(e, "BooleanTest")) return { type: "boolean" };
  const ax = asNode(e, "A_Expr");
  if (ax) {
    const op = stringValues(ax.name).at(-1);
    if (ax.kind === "AEXPR_OP" && op && ["=", "<>", "!=", "<", ">", "<=", ">="].includes(op)) return { type: "boolean" };
    if (ax.kind === "AEXPR_IN" || ax.kind === "AEXPR_LIKE" || ax.kind === "AEXPR_ILIKE" || ax.kind === "AEXPR_BETWEEN" || ax.kind === "AEXPR_DISTINCT" || ax.kind === "AEXPR_NOT_DISTINCT") {
      return { type: "boolean" };
    }
    return {};
  }
  const sub = asNode(e, "SubLink");
  if (sub?.subLinkType === "EXISTS_SUBLINK") return { type: "boolean" };
  if (sub?.subLinkType === "EXPR_SUBLINK") {
    const cols = queryOutputColumns(scope, sub.subselect, ctes);
    const c = cols?.length === 1 ? cols[0]! : undefined;
    return c?.type !== undefined ? { type: c.type, ...(c.typeRef ? { typeRef: c.typeRef } : {}) } : {};
  }
  return {};
}

const INTEGER_RANK = ["smallint", "integer", "bigint"];

/**
 * The type UNION resolves two different branch types to, for the plain cases: the wider integer, numeric
 * over integers, the first branch's of text and varchar (without a length); else undefined (unknown).
 */
function commonType(a: string, b: string): string | undefined {
  const ia = INTEGER_RANK.indexOf(a);
  const ib = INTEGER_RANK.indexOf(b);
  if (ia >= 0 && ib >= 0) return INTEGER_RANK[Math.max(ia, ib)];
  const numeric = (t: string): boolean => t === "numeric" || t.startsWith("numeric(");
  if ((numeric(a) && (ib >= 0 || numeric(b))) || (numeric(b) && ia >= 0)) return "numeric";
  const varchar = (t: string): boolean => t.startsWith("character varying");
  // text and varchar cast to each other implicitly: the first branch's type wins, without its length.
  if (a === "text" && varchar(b)) return "text";
  if (varchar(a) && (b === "text" || varchar(b))) return "character varying";
  return undefined;
}

/** Every branch's type, when they are all known and the same. */
function sameTypeOf(types: readonly { type?: string; typeRef?: ObjectKey }[]): { type?: string; typeRef?: ObjectKey } {
  const first = types[0];
  if (!first?.type || types.some((t) => t.type !== first.type)) return {};
  return first;
}

/** CREATE [OR REPLACE] VIEW, CREATE MATERIALIZED VIEW, CREATE TABLE AS / SELECT INTO. */
import type { CreateTableAsStmt, Node, RangeVar, SelectStmt, ViewStmt } from "@pgsql/types";
import { asNode, stringValues, walk } from "../../parse/ast.js";
import type { Draft } from "../draft.js";
import { columnsRead, relationsRead } from "../exprs.js";
import { keyOf, truncateIdentifier } from "../names.js";
import { expandStars, queryOutputColumns } from "../query-columns.js";
import type { Column, ObjectKey, Table } from "../types.js";

/** Column names a view depends on (`*` over a known table stands for the columns it has now). */
export function viewColumnsRead(d: Draft, query: Node): string[] {
  const out = columnsRead(query);
  walk(query, (tag, value) => {
    if (tag !== "SelectStmt") return;
    const sel = value as { targetList?: Node[]; fromClause?: Node[] };
    const star = (sel.targetList ?? []).some((t) => asNode(asNode(t, "ResTarget")?.val, "ColumnRef")?.fields?.some((f) => asNode(f, "A_Star")));
    if (!star) return;
    for (const f of sel.fromClause ?? []) {
      const rv = asNode(f, "RangeVar");
      const t = rv ? d.tables.get(d.resolver.table(rv)) : undefined;
      for (const c of t?.columns ?? []) if (!out.includes(c.name)) out.push(c.name);
    }
  });
  return out;
}

/** Keys of the tables and views a query reads (known ones only). */
export function dependenciesOf(d: Draft, query: Node | undefined): ObjectKey[] {
  const out: ObjectKey[] = [];
  for (const r of relationsRead(query)) {
    const q = d.resolver.find(r.schema ? [r.schema, r.name] : [r.name], d.tables, d.views);
    if (!q) continue;
    const k = keyOf(q.schema, q.name);
    if (!out.includes(k)) out.push(k);
  }
  return out;
}

export function applyCreateView(d: Draft, stmt: ViewStmt): void {
  const rv = stmt.view;
  if (!rv?.relname || rv.relpersistence === "t") return;
  const schema = d.resolver.schemaFor(rv);
  const name = truncateIdentifier(rv.relname);
  const key = keyOf(schema, name);
  const existing = d.views.get(key);
  if ((existing && !stmt.replace) || d.tables.has(key)) return d.unmodelledStatement(`relation ${key} already exists`);
  if (!stmt.query) return;
  // PostgreSQL expands `*` when the view is created: a column added later is not in the view.
  const query = expandStars(d, stmt.query);
  const options: Node[] = [];
  let checkOption: "local" | "cascaded" | undefined =
    stmt.withCheckOption === "LOCAL_CHECK_OPTION" ? "local" : stmt.withCheckOption === "CASCADED_CHECK_OPTION" ? "cascaded" : undefined;
  for (const o of stmt.options ?? []) {
    const de = asNode(o, "DefElem");
    if (de?.defname === "check_option") checkOption = asNode(de.arg, "String")?.sval === "local" ? "local" : "cascaded";
    else options.push(o);
  }
  const columns = stringValues(stmt.aliases);
  d.views = d.views.set(key, {
    schema,
    name,
    materialized: false,
    query,
    ...(columns.length ? { columns } : {}),
    ...(options.length ? { options } : {}),
    ...(checkOption ? { checkOption } : {}),
    dependsOn: dependenciesOf(d, query),
    columnsRead: viewColumnsRead(d, query),
    ...(existing?.comment !== undefined ? { comment: existing.comment } : {}),
    ...(existing?.columnComments ? { columnComments: existing.columnComments } : {}),
    grants: existing?.grants ?? new Map(),
    origin: existing?.origin ?? d.origin,
  });
}

export function applyCreateTableAs(d: Draft, stmt: CreateTableAsStmt): void {
  const rv = stmt.into?.rel;
  if (!rv?.relname || rv.relpersistence === "t") return;
  const schema = d.resolver.schemaFor(rv);
  const name = truncateIdentifier(rv.relname);
  const key = keyOf(schema, name);
  if (d.views.has(key) || d.tables.has(key)) {
    if (!stmt.if_not_exists) d.unmodelledStatement(`relation ${key} already exists`);
    return;
  }
  if (!stmt.query) return;
  const colNames = stringValues(stmt.into?.colNames);
  if (stmt.objtype === "OBJECT_MATVIEW") {
    const query = expandStars(d, stmt.query);
    d.views = d.views.set(key, {
      schema,
      name,
      materialized: true,
      query,
      ...(colNames.length ? { columns: colNames } : {}),
      ...(stmt.into?.options?.length ? { options: stmt.into.options } : {}),
      ...(stmt.into?.skipData ? { withNoData: true } : {}),
      dependsOn: dependenciesOf(d, query),
      columnsRead: viewColumnsRead(d, query),
      grants: new Map(),
      origin: d.origin,
    });
    return;
  }
  createTableFromQuery(d, rv, stmt.query, colNames);
}

/**
 * CREATE TABLE … AS SELECT and SELECT … INTO: the table's columns are the query's output columns
 * (names always, types where the model can tell them; see `query-columns.ts`).
 */
export function createTableFromQuery(d: Draft, rv: RangeVar, query: Node, colNames: readonly string[]): void {
  const schema = d.resolver.schemaFor(rv);
  const name = truncateIdentifier(rv.relname ?? "");
  const columns = queryOutputColumns(d, query);
  const table: Table = {
    schema,
    name,
    kind: "table",
    columns: (columns ?? []).map((c, i): Column => ({
      id: i + 1,
      name: colNames[i] ?? c.name,
      type: c.type ?? "unknown",
      ...(c.type === undefined ? { typeUnknown: true } : {}),
      ...(c.typeRef ? { typeRef: c.typeRef } : {}),
      notNull: false,
    })),
    nextColumnId: (columns?.length ?? 0) + 1,
    constraints: [],
    triggers: [],
    policies: [],
    rowSecurity: false,
    forceRowSecurity: false,
    unlogged: rv.relpersistence === "u",
    grants: new Map(),
    createdAs: query,
    origin: d.origin,
  };
  if (!columns) d.unmodelledStatement("the columns of CREATE TABLE AS are not known from the query");
  d.tables = d.tables.set(keyOf(schema, name), table);
}

/** `SELECT … INTO t FROM …`: a CREATE TABLE AS in another spelling. */
export function applySelectInto(d: Draft, stmt: SelectStmt): void {
  const rv = stmt.intoClause?.rel;
  if (!rv?.relname || rv.relpersistence === "t") return;
  const key = keyOf(d.resolver.schemaFor(rv), truncateIdentifier(rv.relname));
  if (d.views.has(key) || d.tables.has(key)) return d.unmodelledStatement(`relation ${key} already exists`);
  const { intoClause: _into, ...query } = stmt;
  createTableFromQuery(d, rv, { SelectStmt: query }, stringValues(stmt.intoClause?.colNames));
}

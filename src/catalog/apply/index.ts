/** CREATE INDEX, with the name PostgreSQL chooses when none is given. */
import type { IndexStmt, Node } from "@pgsql/types";
import { asNode } from "../../parse/ast.js";
import type { Draft } from "../draft.js";
import { columnsRead } from "../exprs.js";
import { chooseRelationName, indexColumnName, keyOf, nameAddition, truncateIdentifier } from "../names.js";

/** Index column names as ChooseIndexColumnNames picks them (a repeated name gets a number). */
function indexColumnNames(params: readonly Node[]): string[] {
  const out: string[] = [];
  for (const p of params) {
    const e = asNode(p, "IndexElem");
    const orig = e?.indexcolname ?? e?.name ?? indexColumnName(e?.expr);
    let name = orig;
    for (let i = 1; out.includes(name); i++) name = `${orig}${i}`;
    out.push(name);
  }
  return out;
}

/**
 * Key elements as PostgreSQL stores them: `ASC` and the default NULLS placement are no options at all
 * (`(nid ASC)` and `(nid)` are the same index), so they compare equal.
 */
export function normalizeIndexElems(params: readonly Node[]): Node[] {
  return params.map((p) => {
    const e = asNode(p, "IndexElem");
    if (!e) return p;
    const desc = e.ordering === "SORTBY_DESC";
    const defaultNulls = desc ? "SORTBY_NULLS_FIRST" : "SORTBY_NULLS_LAST";
    const ordering = e.ordering === "SORTBY_ASC" ? "SORTBY_DEFAULT" : e.ordering;
    const nulls = e.nulls_ordering === defaultNulls ? "SORTBY_NULLS_DEFAULT" : e.nulls_ordering;
    if (ordering === e.ordering && nulls === e.nulls_ordering) return p;
    return { IndexElem: { ...e, ordering, nulls_ordering: nulls } };
  });
}

export function applyCreateIndex(d: Draft, stmt: IndexStmt): void {
  const rel = d.resolver.resolve(d.resolver.rangeVarNames(stmt.relation), d.tables, d.views);
  const owner = d.tables.get(rel) ?? d.views.get(rel);
  if (!owner) {
    d.unmodelledStatement(`index on unknown relation ${rel}`);
    return;
  }
  const schema = owner.schema;
  const params = normalizeIndexElems(stmt.indexParams ?? []);
  const include = (stmt.indexIncludingParams ?? []).map((p) => asNode(p, "IndexElem")?.name ?? "").filter(Boolean);
  const name = stmt.idxname
    ? truncateIdentifier(stmt.idxname)
    : chooseRelationName(d, schema, owner.name, nameAddition(indexColumnNames(params)), "idx", false);
  const key = keyOf(schema, name);
  if (d.indexes.has(key) || d.tables.has(key) || d.views.has(key) || d.sequences.has(key)) {
    if (!stmt.if_not_exists) d.unmodelledStatement(`relation ${key} already exists`);
    return;
  }
  const columns = columnsRead({ List: { items: params } });
  for (const c of include) if (!columns.includes(c)) columns.push(c);
  if (stmt.whereClause) columnsRead(stmt.whereClause, columns);
  d.indexes = d.indexes.set(key, {
    schema,
    name,
    table: rel,
    unique: !!stmt.unique,
    method: stmt.accessMethod ?? "btree",
    params,
    include,
    ...(stmt.whereClause ? { predicate: stmt.whereClause } : {}),
    ...(stmt.options?.length ? { options: stmt.options } : {}),
    ...(stmt.nulls_not_distinct ? { nullsNotDistinct: true } : {}),
    ...(stmt.tableSpace ? { tablespace: stmt.tableSpace } : {}),
    columns,
    origin: d.origin,
  });
}

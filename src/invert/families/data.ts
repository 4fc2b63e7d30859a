/**
 * Data statements. The schema is untouched, so the question is only what happens to rows:
 * - on a table created earlier in the same migration, nothing to undo (the down drops the table);
 * - INSERT with literal keys: DELETE those keys;
 * - UPDATE of columns added in this migration: nothing to undo (the down drops the columns);
 * - UPDATE overwriting existing values: restored from a shadow column or backup table filled earlier
 *   in the migration, else irreversible;
 * - DELETE / TRUNCATE: re-inserted from a backup table, else lossy (the schema is intact, rows are gone).
 */
import type { DeleteStmt, InsertStmt, Node, TruncateStmt, UpdateStmt } from "@pgsql/types";
import { Renderer, exprSql, quoteName } from "../../catalog/render.js";
import type { ObjectKey, Table } from "../../catalog/types.js";
import { asNode } from "../../parse/ast.js";
import { reversible, transactional, type InvertContext, type Inversion } from "../context.js";
import { findBackup, findShadowColumn, tableKey } from "./shadow.js";

/** True when the table did not exist before the migration (the down drops it anyway). */
function newTable(ctx: InvertContext, key: ObjectKey | undefined): boolean {
  return !!key && !ctx.migrationBefore.tables.has(key);
}

/** Columns added by this migration (absent, by identity, from the table before the migration). */
function newColumn(ctx: InvertContext, key: ObjectKey, name: string): boolean {
  const now = ctx.before.tables.get(key)?.columns.find((c) => c.name === name);
  const old = ctx.migrationBefore.tables.get(key);
  return !!now && !old?.columns.some((c) => c.id === now.id);
}

function keyColumns(t: Table): string[] | undefined {
  return t.constraints.find((c) => c.type === "primary")?.columns;
}

export function invertInsert(ctx: InvertContext, stmt: InsertStmt): Inversion {
  const key = tableKey(ctx.before, stmt.relation, ctx.searchPath);
  if (newTable(ctx, key)) return reversible([]);
  const table = key ? ctx.before.tables.get(key) : undefined;
  if (!table || !key) return { class: "irreversible", reason: "INSERT into a table the history does not know", inverse: [] };
  if (stmt.onConflictClause) {
    return { class: "irreversible", reason: "INSERT … ON CONFLICT: the rows may have existed before, so deleting them could remove data the migration did not add", inverse: [] };
  }
  const cols = (stmt.cols ?? []).map((c) => asNode(c, "ResTarget")?.name ?? "");
  const pk = keyColumns(table) ?? table.constraints.find((c) => c.type === "unique" && c.columns.every((x) => cols.includes(x)))?.columns;
  const values = asNode(stmt.selectStmt, "SelectStmt")?.valuesLists;
  if (!pk?.length || !values?.length || !pk.every((k) => cols.includes(k))) {
    return { class: "irreversible", reason: "INSERT without literal key values: the inserted rows cannot be told apart from existing ones", inverse: [] };
  }
  const rows: string[] = [];
  for (const row of values) {
    const items = asNode(row, "List")?.items ?? [];
    const keyValues = pk.map((k) => items[cols.indexOf(k)]);
    if (keyValues.some((v) => !isLiteral(v))) {
      return { class: "irreversible", reason: "INSERT whose key values are not literals", inverse: [] };
    }
    const rendered = keyValues.map((v) => exprSql(v!));
    rows.push(pk.length === 1 ? rendered[0]! : `(${rendered.join(", ")})`);
  }
  const r = new Renderer(ctx.before, ctx.searchPath);
  const target = pk.length === 1 ? quoteName(pk[0]!) : `(${pk.map(quoteName).join(", ")})`;
  return reversible([transactional(`DELETE FROM ${r.relation(key)} WHERE ${target} IN (${rows.join(", ")})`)]);
}

function isLiteral(n: Node | undefined): boolean {
  if (!n) return false;
  if (asNode(n, "A_Const")) return true;
  const cast = asNode(n, "TypeCast");
  if (cast) return isLiteral(cast.arg);
  const neg = asNode(n, "A_Expr");
  return !!neg && neg.kind === "AEXPR_OP" && !neg.lexpr && isLiteral(neg.rexpr);
}

export function invertUpdate(ctx: InvertContext, stmt: UpdateStmt): Inversion {
  const key = tableKey(ctx.before, stmt.relation, ctx.searchPath);
  if (newTable(ctx, key)) return reversible([]);
  const table = key ? ctx.before.tables.get(key) : undefined;
  if (!table || !key) return { class: "irreversible", reason: "UPDATE of a table the history does not know", inverse: [] };
  const targets = (stmt.targetList ?? []).map((t) => asNode(t, "ResTarget")?.name ?? "").filter(Boolean);
  const overwritten = targets.filter((c) => !newColumn(ctx, key, c));
  if (!overwritten.length) return reversible([]);
  const r = new Renderer(ctx.before, ctx.searchPath);
  const name = r.relation(key);
  // Shadow columns: an earlier UPDATE copied each overwritten column into another column.
  const shadows = overwritten.map((c) => findShadowColumn(ctx, key, c));
  if (shadows.every(Boolean)) {
    const sets = overwritten.map((c, i) => `${quoteName(c)} = ${quoteName(shadows[i]!)}`).join(", ");
    return reversible([transactional(`UPDATE ${name} SET ${sets}`)]);
  }
  const pk = keyColumns(table);
  const bk = pk ? findBackup(ctx, key, [...pk, ...overwritten]) : undefined;
  if (bk && pk) {
    const b = r.relation(bk.key);
    const sets = overwritten.map((c) => `${quoteName(c)} = b.${quoteName(c)}`).join(", ");
    const join = pk.map((k) => `${name}.${quoteName(k)} = b.${quoteName(k)}`).join(" AND ");
    return reversible([transactional(`UPDATE ${name} SET ${sets} FROM ${b} AS b WHERE ${join}`)]);
  }
  return {
    class: "irreversible",
    cause: "transform",
    reason: `UPDATE overwrites ${overwritten.map((c) => `${table.name}.${c}`).join(", ")} and no copy of the old values is kept (copy them to a shadow column or backup table first)`,
    inverse: [],
  };
}

export function invertDelete(ctx: InvertContext, stmt: DeleteStmt): Inversion {
  const key = tableKey(ctx.before, stmt.relation, ctx.searchPath);
  return restoreRows(ctx, key, "DELETE");
}

export function invertTruncate(ctx: InvertContext, stmt: TruncateStmt): Inversion {
  const inverse: Inversion["inverse"] = [];
  const reasons: string[] = [];
  for (const rel of stmt.relations ?? []) {
    const one = restoreRows(ctx, tableKey(ctx.before, asNode(rel, "RangeVar"), ctx.searchPath), "TRUNCATE");
    inverse.push(...one.inverse);
    if (one.reason) reasons.push(one.reason);
  }
  return reasons.length ? { class: "lossy", reason: reasons.join("; "), inverse } : reversible(inverse);
}

function restoreRows(ctx: InvertContext, key: ObjectKey | undefined, verb: string): Inversion {
  if (newTable(ctx, key)) return reversible([]);
  const table = key ? ctx.before.tables.get(key) : undefined;
  if (!table || !key) return { class: "lossy", reason: `${verb} on a table the history does not know: its rows are gone`, inverse: [] };
  const bk = findBackup(ctx, key, table.columns.map((c) => c.name));
  const r = new Renderer(ctx.before, ctx.searchPath);
  if (bk?.all) {
    const cols = table.columns.map((c) => quoteName(c.name)).join(", ");
    const conflict = keyColumns(table) ? " ON CONFLICT DO NOTHING" : "";
    return reversible([transactional(`INSERT INTO ${r.relation(key)} (${cols}) SELECT ${cols} FROM ${r.relation(bk.key)}${conflict}`)]);
  }
  return { class: "lossy", reason: `${verb} removes rows of ${r.relation(key)}; the down restores the schema, not the rows (copy them to a backup table first to make it reversible)`, inverse: [] };
}

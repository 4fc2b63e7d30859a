/**
 * Data flow inside one migration: the copies a migration keeps of values before it overwrites or
 * converts them (a shadow column filled by `UPDATE t SET c_old = c`, or a backup table made by
 * `CREATE TABLE bk AS SELECT … FROM t`). A transform with such a copy is reversible: the down
 * restores the values from it before the copy itself is dropped.
 */
import type { Node, RangeVar, UpdateStmt } from "@pgsql/types";
import { keyOf } from "../../catalog/names.js";
import type { Catalog, ObjectKey } from "../../catalog/types.js";
import { asNode, stringValues } from "../../parse/ast.js";
import type { InvertContext } from "../context.js";

export function tableKey(c: Catalog, rv: RangeVar | undefined, searchPath: readonly string[]): ObjectKey | undefined {
  if (!rv?.relname) return undefined;
  if (rv.schemaname) return keyOf(rv.schemaname, rv.relname);
  for (const s of searchPath) if (c.tables.has(keyOf(s, rv.relname))) return keyOf(s, rv.relname);
  return undefined;
}

/** The value an UPDATE's SET clause assigns from: the column it copies, if it copies one. */
function copiedColumn(expr: Node | undefined): string | undefined {
  const cast = asNode(expr, "TypeCast");
  if (cast) return copiedColumn(cast.arg);
  const ref = asNode(expr, "ColumnRef");
  return ref ? stringValues(ref.fields).at(-1) : undefined;
}

/**
 * A column of `table` that an earlier statement of the migration filled from `column`
 * (`UPDATE t SET shadow = column`), still present when the type changes.
 */
export function findShadowColumn(ctx: InvertContext, table: ObjectKey, column: string): string | undefined {
  const present = ctx.before.tables.get(table);
  for (let i = ctx.earlier.length - 1; i >= 0; i--) {
    const step = ctx.earlier[i]!;
    const upd: UpdateStmt | undefined = asNode(step.statement.node, "UpdateStmt");
    if (!upd?.relation?.relname || upd.whereClause) continue;
    const q = upd.relation.schemaname ? keyOf(upd.relation.schemaname, upd.relation.relname) : undefined;
    const resolves = q ? q === table : present?.name === upd.relation.relname;
    if (!resolves) continue;
    for (const t of upd.targetList ?? []) {
      const rt = asNode(t, "ResTarget");
      if (!rt?.name || rt.name === column) continue;
      if (copiedColumn(rt.val) === column && present?.columns.some((c) => c.name === rt.name)) return rt.name;
    }
  }
  return undefined;
}

/** A backup table created earlier in the migration from `table` (CREATE TABLE bk AS SELECT … FROM table). */
export function findBackup(ctx: InvertContext, table: ObjectKey, needs: readonly string[]): { key: ObjectKey; all: boolean } | undefined {
  for (let i = ctx.earlier.length - 1; i >= 0; i--) {
    const step = ctx.earlier[i]!;
    const cta = asNode(step.statement.node, "CreateTableAsStmt");
    if (!cta || cta.objtype !== "OBJECT_TABLE" || !cta.into?.rel?.relname) continue;
    const sel = asNode(cta.query, "SelectStmt");
    const from = asNode(sel?.fromClause?.[0], "RangeVar");
    if (!sel || (sel.fromClause?.length ?? 0) !== 1 || tableKey(step.before, from, ctx.searchPath) !== table) continue;
    const bkKey = tableKey(step.after, cta.into.rel, ctx.searchPath);
    const bk = bkKey ? ctx.before.tables.get(bkKey) : undefined;
    if (!bk || !bkKey) continue;
    const all = (sel.targetList ?? []).some((t) => {
      const ref = asNode(asNode(t, "ResTarget")?.val, "ColumnRef");
      return !!ref?.fields?.some((f) => asNode(f, "A_Star"));
    });
    if (needs.every((n) => bk.columns.some((c) => c.name === n))) return { key: bkKey, all: all && !sel.whereClause };
  }
  return undefined;
}

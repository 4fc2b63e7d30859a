/**
 * The safe recipes the lock rules recognise, found in the catalog (earlier migrations) or earlier in
 * this migration:
 * - `ADD CONSTRAINT c CHECK (col IS NOT NULL) NOT VALID` → `VALIDATE CONSTRAINT c` → `SET NOT NULL`:
 *   from PostgreSQL 12, SET NOT NULL skips its full-table scan when a valid CHECK proves the column
 *   has no NULLs.
 * - a constraint added `NOT VALID` and validated in a later transaction.
 */
import type { Node } from "@pgsql/types";
import type { RuleContext } from "../../src/lint/rule.js";
import { asNode, stringValues } from "../../src/parse/ast.js";
import type { Statement } from "../../src/parse/types.js";
import { keyOf, positionOf, tableAt } from "./history.js";
import { alterTable, constraint, rangeVarName, type QualifiedName } from "./sql.js";

type Ctx = Pick<RuleContext, "effective" | "catalogAt" | "isNew" | "migration" | "catalogBefore">;

/** Does a CHECK expression prove `column IS NOT NULL` (alone or as one arm of an AND)? */
export function provesNotNull(expr: Node | undefined, column: string): boolean {
  const test = asNode(expr, "NullTest");
  if (test) {
    const ref = asNode(test.arg, "ColumnRef");
    const parts = stringValues(ref?.fields);
    return test.nulltesttype === "IS_NOT_NULL" && parts[parts.length - 1] === column;
  }
  const bool = asNode(expr, "BoolExpr");
  if (bool?.boolop === "AND_EXPR") return (bool.args ?? []).some((a) => provesNotNull(a, column));
  return false;
}


interface ConstraintEvent {
  position: number;
  statement: Statement;
  table: string;
  name: string;
  kind: "add" | "validate" | "drop";
  notValid: boolean;
  node?: Node;
}

const eventsCache = new WeakMap<readonly Statement[], ConstraintEvent[]>();

/** ADD / VALIDATE / DROP CONSTRAINT events of this migration, in order. */
export function constraintEvents(ctx: Ctx): ConstraintEvent[] {
  const cached = eventsCache.get(ctx.effective);
  if (cached) return cached;
  const out: ConstraintEvent[] = [];
  ctx.effective.forEach((s, position) => {
    const a = alterTable(s);
    if (!a) return;
    const name = rangeVarName(a.relation);
    if (!name) return;
    const table = keyOf(name);
    for (const cmd of a.cmds) {
      if (cmd.subtype === "AT_AddConstraint") {
        const con = constraint(cmd.def);
        if (con?.conname) out.push({ position, statement: s, table, name: con.conname, kind: "add", notValid: !!con.skip_validation, node: cmd.def });
      } else if (cmd.subtype === "AT_ValidateConstraint" && cmd.name) {
        out.push({ position, statement: s, table, name: cmd.name, kind: "validate", notValid: false });
      } else if (cmd.subtype === "AT_DropConstraint" && cmd.name) {
        out.push({ position, statement: s, table, name: cmd.name, kind: "drop", notValid: false });
      }
    }
  });
  eventsCache.set(ctx.effective, out);
  return out;
}

/**
 * Is `column` of `table` proven NOT NULL at `stmt` by a valid CHECK constraint (or is it NOT NULL
 * already)? Looks at the catalog before the statement and at this migration's earlier statements.
 */
export function notNullProven(ctx: Ctx, stmt: Statement, table: QualifiedName, column: string): boolean {
  const t = tableAt(ctx, stmt, table);
  if (t) {
    const col = t.columns.find((c) => c.name === column);
    if (col?.notNull) return true;
    for (const c of t.constraints) if (!c.notValid && c.type === "check" && provesNotNull(c.expression, column)) return true;
  }
  // This migration: a CHECK added valid, or added NOT VALID and validated, before the statement.
  const key = keyOf(table);
  const pos = positionOf(ctx, stmt);
  const valid = new Set<string>();
  const pending = new Set<string>();
  for (const e of constraintEvents(ctx)) {
    if (e.position >= pos || e.table !== key) continue;
    if (e.kind === "add") {
      const con = constraint(e.node);
      const proves = con?.contype === "CONSTR_CHECK" ? provesNotNull(con.raw_expr, column) : con?.contype === "CONSTR_NOTNULL" && stringValues(con.keys).includes(column);
      if (!proves) continue;
      if (e.notValid) pending.add(e.name);
      else valid.add(e.name);
    } else if (e.kind === "validate" && pending.has(e.name)) valid.add(e.name);
    else if (e.kind === "drop") {
      valid.delete(e.name);
      pending.delete(e.name);
    }
  }
  if (valid.size) return true;
  // A NOT VALID CHECK from an earlier migration validated in this one.
  if (t) {
    for (const e of constraintEvents(ctx)) {
      if (e.position >= pos || e.table !== key || e.kind !== "validate") continue;
      const c = t.constraints.find((x) => x.name === e.name);
      if (c && c.type === "check" && provesNotNull(c.expression, column)) return true;
    }
  }
  return false;
}

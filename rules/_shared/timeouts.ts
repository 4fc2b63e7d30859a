/**
 * Where a migration first takes a lock that can block the application while no timeout protects it.
 * A lock request that waits (behind a long transaction, say) blocks every later query on the table
 * in the lock queue; `lock_timeout` bounds that wait and `statement_timeout` bounds the statement.
 */
import type { RuleContext } from "../../src/lint/rule.js";
import { asNode, stringValues } from "../../src/parse/ast.js";
import type { Statement } from "../../src/parse/types.js";
import { blocksWrites, effectOf, type LockOn } from "./locks.js";
import { stringConstant } from "./sql.js";

export type TimeoutSetting = "lock_timeout" | "statement_timeout";

/** Is the value a timeout that actually limits something (`'0'` and `0` disable it)? */
function limits(value: string | undefined): boolean {
  if (value === undefined) return false;
  return !/^\s*0+\s*(ms|s|min|h|d)?\s*$/i.test(value);
}

/** What the statement does to the setting: sets it (session or local), resets it, or nothing. */
function settingChange(stmt: Statement, setting: TimeoutSetting): { set: boolean; local: boolean } | undefined {
  const v = asNode(stmt.node, "VariableSetStmt");
  if (v && v.name?.toLowerCase() === setting) {
    if (v.kind === "VAR_SET_VALUE") {
      const arg = v.args?.[0];
      const c = asNode(arg, "A_Const");
      const value = c?.ival !== undefined ? String(c.ival.ival ?? 0) : (stringConstant(arg) ?? undefined);
      return { set: limits(value), local: !!v.is_local };
    }
    return { set: false, local: !!v.is_local };
  }
  // SELECT set_config('lock_timeout', '2s', is_local)
  const select = asNode(stmt.node, "SelectStmt");
  for (const t of select?.targetList ?? []) {
    const call = asNode(asNode(t, "ResTarget")?.val, "FuncCall");
    if (!call || stringValues(call.funcname).at(-1) !== "set_config") continue;
    const [name, value, local] = call.args ?? [];
    if (stringConstant(name)?.toLowerCase() !== setting) continue;
    const isLocal = asNode(local, "A_Const")?.boolval?.boolval === true;
    return { set: limits(stringConstant(value)), local: isLocal };
  }
  return undefined;
}

export interface Unprotected {
  statement: Statement;
  lock: LockOn;
}

/** The first statement taking a write-blocking lock on an existing relation without the setting in force. */
export function firstUnprotected(ctx: RuleContext, setting: TimeoutSetting): Unprotected | undefined {
  if (ctx.settings.timeoutsSetByRunner) return undefined;
  let session = false;
  let local: number | undefined;
  for (const stmt of ctx.effective) {
    const state = ctx.transactionOf(stmt);
    if (local !== undefined && (!state.inTransaction || state.block !== local)) local = undefined;
    const change = settingChange(stmt, setting);
    if (change) {
      if (change.local) local = change.set && state.inTransaction ? state.block : undefined;
      else session = change.set;
      continue;
    }
    if (session || local !== undefined) continue;
    const lock = effectOf(ctx, stmt).locks.find((l) => !l.isNew && blocksWrites(l.mode));
    if (lock) return { statement: stmt, lock };
  }
  return undefined;
}

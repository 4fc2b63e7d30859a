/**
 * Session settings a migration makes before a statement (`SET timezone = 'UTC'`), which change what
 * some statements do: with a UTC session, timestamp ↔ timestamptz is a catalog-only change.
 */
import type { RuleContext } from "../../src/lint/rule.js";
import { asNode } from "../../src/parse/ast.js";
import type { Statement } from "../../src/parse/types.js";
import { positionOf } from "./history.js";
import { stringConstant } from "./sql.js";

const UTC = /^(utc|uct|gmt|z|zulu|universal|etc\/(utc|uct|gmt|universal|zulu)|[+-]?0+(:00)?)$/i;

type Ctx = Pick<RuleContext, "effective" | "catalogAt" | "isNew" | "migration" | "catalogBefore" | "transactionOf">;

/** The value of a setting as the session has it at `stmt` (set earlier in this migration), if known. */
export function sessionSetting(ctx: Ctx, stmt: Statement, name: string): string | undefined {
  const pos = positionOf(ctx, stmt);
  const state = ctx.transactionOf(stmt);
  let value: string | undefined;
  ctx.effective.forEach((s, i) => {
    if (i >= pos) return;
    const v = asNode(s.node, "VariableSetStmt");
    if (v?.name?.toLowerCase() !== name) return;
    if (v.is_local) {
      const st = ctx.transactionOf(s);
      if (!st.inTransaction || !state.inTransaction || st.block !== state.block) return;
    }
    value = v.kind === "VAR_SET_VALUE" ? stringConstant(v.args?.[0]) : undefined;
  });
  return value;
}

export function sessionIsUtc(ctx: Ctx, stmt: Statement): boolean {
  const tz = sessionSetting(ctx, stmt, "timezone");
  return tz !== undefined && UTC.test(tz.trim());
}

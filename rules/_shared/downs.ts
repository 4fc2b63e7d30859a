import type { RuleContext } from "../../src/lint/rule.js";

/**
 * The layout keeps downs and the up changes something a down would undo: then an absent or empty down
 * is `missing-down`'s finding, and `empty-migration` leaves the empty down to it (one finding, not two).
 */
export function downIsExpected(ctx: Pick<RuleContext, "migration" | "plan">): boolean {
  return ctx.migration.expectsDown && ctx.plan.statements.some((s) => s.inverse.length > 0);
}

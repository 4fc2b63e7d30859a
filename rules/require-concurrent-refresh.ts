import { defineRule } from "../src/lint/rule.js";
import { asNode } from "../src/parse/ast.js";
import { isNewRelation } from "./_shared/history.js";
import { canFix, findWords, insertFix } from "./_shared/position.js";
import { display, rangeVarName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "require-concurrent-refresh",
    description: "REFRESH MATERIALIZED VIEW without CONCURRENTLY, which blocks reads of the view for the whole refresh.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: true,
    messages: {
      notConcurrent: "REFRESH MATERIALIZED VIEW {{view}} without CONCURRENTLY holds an ACCESS EXCLUSIVE lock while the query reruns: every read of {{view}} waits.",
    },
    help: "Use `REFRESH MATERIALIZED VIEW CONCURRENTLY` (the view needs a unique index and must already be populated).",
    docs: {
      rationale:
        "A plain refresh recomputes the view's query and swaps the result in under an ACCESS EXCLUSIVE lock, so readers wait for the entire query. `CONCURRENTLY` computes the new contents beside the old ones and applies the difference under an EXCLUSIVE lock, which lets reads continue; it needs a unique index on the view. A materialized view created in the same migration (or one not applied yet) has no readers and is exempt.",
      bad: "REFRESH MATERIALIZED VIEW daily_totals;",
      good: "REFRESH MATERIALIZED VIEW CONCURRENTLY daily_totals;",
      peers: { pgfence: ["refresh-matview-blocking"] },
    },
  },
  check(ctx) {
    for (const stmt of ctx.effective) {
      const r = asNode(stmt.node, "RefreshMatViewStmt");
      if (!r || r.concurrent || !r.relation || isNewRelation(ctx, stmt, r.relation)) continue;
      // WITH NO DATA empties the view: there is nothing to refresh concurrently.
      if (r.skipData) continue;
      const words = canFix(stmt) ? findWords(ctx, stmt, ["VIEW"]) : undefined;
      ctx.report({ messageId: "notConcurrent", statement: stmt, data: { view: display(rangeVarName(r.relation)) }, ...(words ? { fix: insertFix(ctx, words[0]!.end, " CONCURRENTLY") } : {}) });
    }
  },
});

import { defineRule } from "../src/lint/rule.js";
import { asNode, walk } from "../src/parse/ast.js";
import type { Statement } from "../src/parse/types.js";
import { createdEarlier } from "./_shared/history.js";
import { tokenSpan } from "./_shared/position.js";
import { display, listName } from "./_shared/sql.js";
import { outsideTransactionHint, whyInTransaction } from "./_shared/tx.js";

/** The string constants of a statement equal to `label`, with their locations. */
function usesOf(stmt: Statement, label: string): number[] {
  const out: number[] = [];
  walk(stmt.node, (tag, value) => {
    if (tag !== "A_Const") return;
    const c = value as { sval?: { sval?: string }; location?: number };
    if (c.sval?.sval === label) out.push(c.location ?? -1);
  });
  return out;
}

export default defineRule({
  meta: {
    id: "enum-value-used-in-transaction",
    description: "An enum value added by ALTER TYPE … ADD VALUE used in the same transaction (or, before PostgreSQL 12, ADD VALUE inside a transaction at all).",
    category: "transactions",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      usedInTransaction:
        "'{{label}}' is added to {{type}} on line {{line}} in the same transaction, and PostgreSQL refuses to use a new enum value before that transaction commits (`unsafe use of new value`).",
      addValueInTransaction: "Before PostgreSQL 12, ALTER TYPE … ADD VALUE cannot run inside a transaction block, and {{why}}.",
    },
    help: {
      usedInTransaction: "Add the value in one migration and use it in a later one, or commit between the two.",
      addValueInTransaction: "Run ADD VALUE outside a transaction: {{hint}}.",
    },
    docs: {
      rationale:
        "PostgreSQL 12 and later allow `ALTER TYPE … ADD VALUE` inside a transaction block, but the new value cannot be used (inserted, compared, cast, set as a default) until the transaction commits: `ERROR: unsafe use of new value \"archived\" of enum type status`. A migration that adds a value and then backfills or defaults to it fails as soon as the runner wraps it in a transaction, or sends it as one query. Before PostgreSQL 12 the ADD VALUE itself is refused in a transaction block, unless the type was created in the same transaction. The rule uses the runner's transaction model from the layout and the target `pgVersion`.",
      bad: "ALTER TYPE status ADD VALUE 'archived';\nUPDATE posts SET status = 'archived' WHERE deleted_at IS NOT NULL;",
      good: "ALTER TYPE status ADD VALUE 'archived';",
      peers: { pgfence: ["alter-enum-add-value"] },
    },
  },
  check(ctx) {
    const stmts = ctx.effective;
    stmts.forEach((s, i) => {
      const alter = asNode(s.node, "AlterEnumStmt");
      if (!alter?.newVal || alter.oldVal) return;
      const state = ctx.transactionOf(s);
      if (!state.inTransaction && !s.guard) return;
      const typeName = listName(alter.typeName);
      if (ctx.settings.pgVersion < 12) {
        if (!typeName || !createdEarlier(ctx, s, typeName)) {
          ctx.report({ messageId: "addValueInTransaction", statement: s, data: { why: whyInTransaction(ctx, s), hint: outsideTransactionHint(ctx) } });
        }
        return;
      }
      // The value can be used by any later statement of the same transaction block.
      for (const later of stmts.slice(i + 1)) {
        const st = ctx.transactionOf(later);
        const sameBlock = (state.inTransaction && st.inTransaction && st.block === state.block) || (s.guard && later.index === s.index);
        if (!sameBlock) continue;
        if (asNode(later.node, "AlterEnumStmt")) continue;
        const uses = usesOf(later, alter.newVal);
        if (!uses.length) continue;
        ctx.report({
          messageId: "usedInTransaction",
          statement: later,
          range: tokenSpan(ctx, later, uses[0]),
          data: { label: alter.newVal, type: display(typeName), line: s.range.start.line },
        });
      }
    });
  },
});

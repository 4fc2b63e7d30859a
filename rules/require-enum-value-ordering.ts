import { defineRule } from "../src/lint/rule.js";
import { asNode } from "../src/parse/ast.js";
import { display, listName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "require-enum-value-ordering",
    description: "ALTER TYPE … ADD VALUE without BEFORE or AFTER.",
    category: "style",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      noPosition: "ADD VALUE '{{label}}' without BEFORE or AFTER appends it to the end of {{type}}: ORDER BY and comparisons on the enum follow declaration order, not the order you may expect.",
    },
    help: "Say where the value goes: `ADD VALUE '…' BEFORE '…'` or `AFTER '…'`.",
    docs: {
      rationale:
        "Enum values sort in declaration order. A value appended at the end sorts after all existing ones, which is rarely where a status such as `pending` belongs, and the order cannot be changed later without recreating the type. Naming the neighbour makes the position a decision.",
      bad: "ALTER TYPE order_status ADD VALUE 'refunded';",
      good: "ALTER TYPE order_status ADD VALUE 'refunded' AFTER 'paid';",
      peers: { squawk: ["require-enum-value-ordering"], pgfence: ["alter-enum-no-ordering"] },
    },
  },
  check(ctx) {
    for (const stmt of ctx.effective) {
      const e = asNode(stmt.node, "AlterEnumStmt");
      if (!e?.newVal || e.oldVal || e.newValNeighbor) continue;
      ctx.report({ messageId: "noPosition", statement: stmt, data: { label: e.newVal, type: display(listName(e.typeName)) } });
    }
  },
});

import { defineRule } from "../src/lint/rule.js";
import { asNode } from "../src/parse/ast.js";
import { display, rangeVarName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "ban-truncate-cascade",
    description: "TRUNCATE … CASCADE, which also empties every table that references the listed ones, recursively.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      cascade: "TRUNCATE {{tables}} CASCADE also empties every table with a foreign key to them, and the tables referencing those, recursively.",
    },
    help: "List every table to truncate explicitly, so the statement says what it deletes.",
    docs: {
      rationale:
        "With CASCADE, TRUNCATE follows foreign keys: truncating `users` also truncates `orders`, `payments` and whatever references them, including tables added long after the migration was written. Naming each table keeps the blast radius visible in review.",
      bad: "TRUNCATE users CASCADE;",
      good: "TRUNCATE users, orders;",
      peers: { squawk: ["ban-truncate-cascade"], pgfence: ["truncate-cascade"] },
    },
  },
  check(ctx) {
    for (const stmt of ctx.effective) {
      const t = asNode(stmt.node, "TruncateStmt");
      if (t?.behavior !== "DROP_CASCADE") continue;
      const tables = (t.relations ?? []).map((r) => display(rangeVarName(asNode(r, "RangeVar")))).join(", ");
      ctx.report({ messageId: "cascade", statement: stmt, data: { tables } });
    }
  },
});

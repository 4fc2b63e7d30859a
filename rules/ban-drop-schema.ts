import { defineRule } from "../src/lint/rule.js";
import { asNode } from "../src/parse/ast.js";

export default defineRule({
  meta: {
    id: "ban-drop-schema",
    description: "DROP SCHEMA, which drops every object in the schema with CASCADE.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      dropSchema: "DROP SCHEMA {{name}}{{cascade}} drops the schema{{objects}}; nothing of it can be restored by a down migration.",
    },
    help: "Drop the schema's objects one by one (each reviewed), or make sure the schema is empty and drop it without CASCADE.",
    docs: {
      rationale:
        "With CASCADE, DROP SCHEMA removes every table, view, function and type in it, and their data, in one statement; without it, the statement fails as soon as the schema holds anything, which is often not what the author tested against.",
      bad: "DROP SCHEMA reporting CASCADE;",
      good: "DROP TABLE IF EXISTS reporting.daily_totals;",
      peers: { atlas: ["DS101"], pgfence: ["drop-schema", "drop-schema-cascade"] },
    },
  },
  check(ctx) {
    for (const stmt of ctx.effective) {
      const d = asNode(stmt.node, "DropStmt");
      if (d?.removeType !== "OBJECT_SCHEMA") continue;
      const names = (d.objects ?? []).map((o) => asNode(o, "String")?.sval ?? "?");
      const cascade = d.behavior === "DROP_CASCADE";
      ctx.report({ messageId: "dropSchema", statement: stmt, data: { name: names.join(", "), cascade: cascade ? " CASCADE" : "", objects: cascade ? " and everything in it" : "" } });
    }
  },
});

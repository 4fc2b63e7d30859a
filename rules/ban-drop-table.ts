import { defineRule } from "../src/lint/rule.js";
import { asNode } from "../src/parse/ast.js";
import { isNewRelation } from "./_shared/history.js";
import { display, listName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "ban-drop-table",
    description: "DROP TABLE of an existing table: its data is gone and the running application may still use it.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      dropTable: "Dropping {{tables}} deletes its data for good and breaks every query of the running application that still uses it.",
    },
    help: "Remove every use of the table from the code and deploy first; keep a backup (or rename the table and drop it in a later migration).",
    docs: {
      rationale:
        "A dropped table cannot be brought back by a down migration: the structure can, the rows cannot. The application version still running may also query it until it is replaced. Tables created in the same migration (or in one not applied yet) are exempt.",
      bad: "DROP TABLE legacy_sessions;",
      good: "CREATE TABLE scratch (id int);\nDROP TABLE scratch;",
      peers: { squawk: ["ban-drop-table"], atlas: ["DS102"], pgfence: ["drop-table"] },
    },
  },
  check(ctx) {
    for (const stmt of ctx.effective) {
      const d = asNode(stmt.node, "DropStmt");
      if (d?.removeType !== "OBJECT_TABLE") continue;
      const names = (d.objects ?? []).map((o) => listName(asNode(o, "List")?.items)).filter((n) => !!n);
      const existing = names.filter((n) => !isNewRelation(ctx, stmt, n));
      if (!existing.length) continue;
      ctx.report({ messageId: "dropTable", statement: stmt, data: { tables: existing.map(display).join(", ") } });
    }
  },
});

import { defineRule } from "../src/lint/rule.js";
import { asNode } from "../src/parse/ast.js";
import { isNewRelation } from "./_shared/history.js";
import { display, rangeVarName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "renaming-table",
    description: "RENAME of an existing table: the application version still running uses the old name.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      rename: "Renaming {{table}} to {{to}} breaks every query of the running application that uses the old name.",
    },
    help: "Keep the name and map it in the ORM; or rename and create a view with the old name until every client has moved.",
    docs: {
      rationale:
        "A rename is instant in PostgreSQL, but the application version still running keeps querying the old name until it is replaced, and fails meanwhile. A view with the old name (`CREATE VIEW old AS SELECT * FROM new`) bridges the deploy. Tables created in the same migration (or one not applied yet) are exempt.",
      bad: "ALTER TABLE users RENAME TO accounts;",
      good: "CREATE TABLE accounts (id bigint PRIMARY KEY);",
      peers: { squawk: ["renaming-table"], atlas: ["BC101"], strong_migrations: ["rename_table"], pgfence: ["rename-table"] },
    },
  },
  check(ctx) {
    for (const stmt of ctx.effective) {
      const r = asNode(stmt.node, "RenameStmt");
      if (r?.renameType !== "OBJECT_TABLE" || !r.relation) continue;
      if (isNewRelation(ctx, stmt, r.relation)) continue;
      ctx.report({ messageId: "rename", statement: stmt, data: { table: display(rangeVarName(r.relation)), to: r.newname ?? "?" } });
    }
  },
});

import { defineRule } from "../src/lint/rule.js";
import { asNode } from "../src/parse/ast.js";
import { isNewRelation } from "./_shared/history.js";
import { display, rangeVarName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "renaming-column",
    description: "RENAME COLUMN on an existing table: the application version still running uses the old name.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      rename: "Renaming {{table}}.{{from}} to {{to}} breaks every query of the running application that uses the old name.",
    },
    help: "Keep the database name and map it in the ORM; or add the new column, write both, backfill, switch reads, and drop the old one later.",
    docs: {
      rationale:
        "A rename is instant in PostgreSQL, but the application version still running (and any other client) keeps using the old name until it is replaced, and fails meanwhile. Tables created in the same migration (or one not applied yet) are exempt.",
      bad: "ALTER TABLE users RENAME COLUMN name TO full_name;",
      good: "ALTER TABLE users ADD COLUMN full_name text;",
      peers: { squawk: ["renaming-column"], atlas: ["BC102"], strong_migrations: ["rename_column"], pgfence: ["rename-column"] },
    },
  },
  check(ctx) {
    for (const stmt of ctx.effective) {
      const r = asNode(stmt.node, "RenameStmt");
      if (r?.renameType !== "OBJECT_COLUMN" || r.relationType !== "OBJECT_TABLE" || !r.relation) continue;
      if (isNewRelation(ctx, stmt, r.relation)) continue;
      ctx.report({ messageId: "rename", statement: stmt, data: { table: display(rangeVarName(r.relation)), from: r.subname ?? "?", to: r.newname ?? "?" } });
    }
  },
});

import { defineRule } from "../src/lint/rule.js";
import { asNode, isNode, stringValues } from "../src/parse/ast.js";
import { dataTarget } from "./_shared/data-target.js";
import { tokenSpan } from "./_shared/position.js";
import { columnDef } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "ban-duplicate-column-assignments",
    description: "The same column twice in CREATE TABLE, a view's column list, or an UPDATE's SET.",
    category: "correctness",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      createTable: "Column {{column}} is defined twice: PostgreSQL rejects the CREATE TABLE.",
      viewColumns: "Column {{column}} is named twice in the view's column list: PostgreSQL rejects the view.",
      update: "Column {{column}} is assigned twice in one UPDATE: PostgreSQL rejects it (`multiple assignments to same column`).",
    },
    help: "Remove the duplicate, or rename the column that was meant.",
    docs: {
      rationale:
        "A duplicated column is a copy-paste slip that PostgreSQL rejects when the migration runs; catching it in review is cheaper than a failed deploy.",
      bad: "UPDATE users SET email = lower(email), email = trim(email);",
      good: "UPDATE users SET email = lower(trim(email)) WHERE email <> lower(trim(email));",
      peers: { squawk: ["ban-duplicate-column-assignments"] },
    },
  },
  check(ctx) {
    for (const stmt of ctx.effective) {
      const seen = new Set<string>();
      const dup = (name: string | undefined): boolean => {
        if (!name) return false;
        if (seen.has(name)) return true;
        seen.add(name);
        return false;
      };
      for (const e of asNode(stmt.node, "CreateStmt")?.tableElts ?? []) {
        const col = columnDef(e);
        if (col && dup(col.colname)) ctx.report({ messageId: "createTable", statement: stmt, range: tokenSpan(ctx, stmt, col.location), data: { column: col.colname! } });
      }
      for (const name of stringValues(asNode(stmt.node, "ViewStmt")?.aliases)) {
        if (dup(name)) ctx.report({ messageId: "viewColumns", statement: stmt, data: { column: name } });
      }
      // An UPDATE's repeats are read from its tree once (data-target.ts): a data migration's trees are dropped.
      if (isNode(stmt.node, "UpdateStmt")) {
        for (const r of dataTarget(stmt.node).repeatedAssignments) ctx.report({ messageId: "update", statement: stmt, range: tokenSpan(ctx, stmt, r.location), data: { column: r.name } });
      }
    }
  },
});

import { defineRule } from "../src/lint/rule.js";
import { isNode } from "../src/parse/ast.js";
import { dataTarget } from "./_shared/data-target.js";
import { isNewRelation } from "./_shared/history.js";
import { display, rangeVarName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "dml-without-where",
    description: "UPDATE or DELETE without WHERE on an existing table: every row, in one transaction.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      update: "UPDATE {{table}} without WHERE rewrites every row in one transaction: it locks them all, bloats the table and holds the migration's other locks until it ends.",
      delete: "DELETE FROM {{table}} without WHERE deletes every row in one transaction, locking them all; the rows cannot be brought back by a down migration.",
    },
    help: {
      update: "Backfill in batches (`UPDATE … WHERE id BETWEEN …`) outside the schema migration, or add the WHERE the statement was meant to have.",
      delete: "Delete in batches with a WHERE, or use TRUNCATE if emptying the table is really intended.",
    },
    docs: {
      rationale:
        "An unrestricted UPDATE writes a new version of every row: on a big table that is a long transaction holding row locks on everything (blocking the application's writes), doubling the table's size until vacuum, and, in a migration, keeping every lock the migration took earlier. An unrestricted DELETE is the same, and its data is gone. Tables created in the same migration (or in one not applied yet) are exempt.",
      bad: "UPDATE users SET newsletter = false;",
      good: "UPDATE users SET newsletter = false WHERE newsletter IS NULL AND id < 10000;",
      peers: { strong_migrations: ["change_column_null"], pgfence: ["update-in-migration", "delete-without-where"] },
    },
  },
  check(ctx) {
    for (const stmt of ctx.effective) {
      // Asking the kind parses nothing; the target is read from the tree once (data-target.ts).
      const messageId = isNode(stmt.node, "UpdateStmt") ? "update" : isNode(stmt.node, "DeleteStmt") ? "delete" : undefined;
      if (!messageId) continue;
      const { relation, hasWhere } = dataTarget(stmt.node);
      if (!hasWhere && relation && !isNewRelation(ctx, stmt, relation)) ctx.report({ messageId, statement: stmt, data: { table: display(rangeVarName(relation)) } });
    }
  },
});

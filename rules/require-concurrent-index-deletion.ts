import { defineRule } from "../src/lint/rule.js";
import { asNode } from "../src/parse/ast.js";
import { isNewRelation, keyOf } from "./_shared/history.js";
import { concurrentlyWhere } from "./_shared/tx.js";
import { canFix, findWords, insertFix } from "./_shared/position.js";
import { display, listName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "require-concurrent-index-deletion",
    description: "DROP INDEX without CONCURRENTLY on an existing index, which takes an ACCESS EXCLUSIVE lock on its table.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: true,
    messages: {
      notConcurrent: "DROP INDEX {{index}} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on its table: reads and writes wait for every transaction using the table to finish.",
    },
    help: "Use `DROP INDEX CONCURRENTLY`{{where}}.",
    docs: {
      rationale:
        "Dropping an index is quick, but it needs an ACCESS EXCLUSIVE lock on the table, and waiting for that lock queues every later query behind it: one long-running transaction turns the drop into an outage. `DROP INDEX CONCURRENTLY` waits for conflicting transactions without blocking new ones. It cannot run in a transaction block. Indexes created in the same migration (or one not applied yet), or on such tables, are exempt.",
      bad: "DROP INDEX users_email_idx;",
      good: "DROP INDEX CONCURRENTLY users_email_idx;",
      runner: { transactional: false },
      peers: { squawk: ["require-concurrent-index-deletion"], atlas: ["PG102"], strong_migrations: ["remove_index"], pgfence: ["drop-index-not-concurrent"] },
    },
  },
  check(ctx) {
    for (const stmt of ctx.effective) {
      const drop = asNode(stmt.node, "DropStmt");
      if (drop?.removeType !== "OBJECT_INDEX" || drop.concurrent) continue;
      const catalog = ctx.catalogAt(stmt);
      const existing = (drop.objects ?? [])
        .map((o) => listName(asNode(o, "List")?.items))
        .filter((n) => !!n)
        .filter((name) => {
          if (isNewRelation(ctx, stmt, name)) return false;
          const table = catalog.indexes.get(keyOf(name!, catalog))?.table;
          return !(table && isNewRelation(ctx, stmt, { schema: table.slice(0, table.indexOf(".")), name: table.slice(table.indexOf(".") + 1) }));
        });
      if (!existing.length) continue;
      let fix;
      if (canFix(stmt) && !ctx.transactionOf(stmt).inTransaction && (drop.objects ?? []).length === 1) {
        const words = findWords(ctx, stmt, ["INDEX"]);
        if (words) fix = insertFix(ctx, words[0]!.end, " CONCURRENTLY");
      }
      ctx.report({ messageId: "notConcurrent", statement: stmt, data: { where: concurrentlyWhere(ctx, stmt), index: existing.map(display).join(", ") }, ...(fix ? { fix } : {}) });
    }
  },
});

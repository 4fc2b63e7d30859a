import { defineRule } from "../src/lint/rule.js";
import { asNode } from "../src/parse/ast.js";
import { isNewRelation } from "./_shared/history.js";
import { concurrentlyWhere } from "./_shared/tx.js";
import { canFix, findWords, insertFix } from "./_shared/position.js";
import { display, rangeVarName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "require-concurrent-index-creation",
    description: "CREATE INDEX without CONCURRENTLY on an existing table, which blocks writes for the whole build.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: true,
    messages: {
      notConcurrent: "Building {{index}} on {{table}} without CONCURRENTLY holds a SHARE lock for the whole build: every INSERT, UPDATE and DELETE on {{table}} waits.",
    },
    help: "Use `CREATE INDEX CONCURRENTLY`{{where}}.",
    docs: {
      rationale:
        "A plain CREATE INDEX reads the whole table while holding a SHARE lock, which blocks all writes until the build ends: minutes to hours on a large table. `CREATE INDEX CONCURRENTLY` builds the index in several passes under a SHARE UPDATE EXCLUSIVE lock, letting reads and writes through; it cannot run in a transaction block, so it needs a migration the runner does not wrap (see `concurrently-in-transaction`). The automatic fix adds CONCURRENTLY only where the statement already runs outside a transaction.\n\nIndexes on tables created in the same migration, or in one not applied yet, are exempt: an empty table builds instantly. squawk only exempts tables created in the same transaction and so misses tables created by an earlier, unapplied migration, or flags them when it cannot see the transaction.",
      bad: "CREATE INDEX users_email_idx ON users (email);",
      good: "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);",
      runner: { transactional: false },
      peers: {
        squawk: ["require-concurrent-index-creation"],
        atlas: ["PG101"],
        strong_migrations: ["add_index", "add_reference"],
        eugene: ["E6"],
        pgfence: ["create-index-not-concurrent"],
      },
    },
  },
  check(ctx) {
    for (const stmt of ctx.effective) {
      const index = asNode(stmt.node, "IndexStmt");
      if (!index || index.concurrent || !index.relation || isNewRelation(ctx, stmt, index.relation)) continue;
      let fix;
      if (canFix(stmt) && !ctx.transactionOf(stmt).inTransaction) {
        const words = findWords(ctx, stmt, ["INDEX"]);
        if (words) fix = insertFix(ctx, words[0]!.end, " CONCURRENTLY");
      }
      ctx.report({
        messageId: "notConcurrent",
        statement: stmt,
        data: {
          where: concurrentlyWhere(ctx, stmt),
          index: index.idxname ?? "the index",
          table: display(rangeVarName(index.relation)),
        },
        ...(fix ? { fix } : {}),
      });
    }
  },
});

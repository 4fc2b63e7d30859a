import { defineRule } from "../src/lint/rule.js";
import { asNode } from "../src/parse/ast.js";
import { isNewRelation } from "./_shared/history.js";
import { concurrentlyWhere } from "./_shared/tx.js";
import { canFix, insertFix, statementEndIndex } from "./_shared/position.js";
import { alterSites, display, rangeVarName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "require-concurrent-partition-detach",
    description: "DETACH PARTITION without CONCURRENTLY (PostgreSQL 14+), which takes an ACCESS EXCLUSIVE lock on the partitioned table.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: true,
    messages: {
      notConcurrent: "DETACH PARTITION {{partition}} without CONCURRENTLY takes an ACCESS EXCLUSIVE lock on {{table}}: every query on the partitioned table waits.",
    },
    help: "Use `ALTER TABLE … DETACH PARTITION … CONCURRENTLY` (PostgreSQL 14+){{where}}.",
    docs: {
      rationale:
        "Detaching a partition takes an ACCESS EXCLUSIVE lock on the partitioned table, so every query on any partition waits for it, and queues behind it if a long transaction holds the table. From PostgreSQL 14, `DETACH PARTITION … CONCURRENTLY` only takes a SHARE UPDATE EXCLUSIVE lock on the parent. It cannot run in a transaction block. Tables created in the same migration (or one not applied yet) are exempt.",
      bad: "ALTER TABLE measurements DETACH PARTITION measurements_2020;",
      good: "ALTER TABLE measurements DETACH PARTITION measurements_2020 CONCURRENTLY;",
      runner: { transactional: false },
      peers: { squawk: ["require-concurrent-partition-detach"], pgfence: ["detach-partition"] },
    },
  },
  check(ctx) {
    if (ctx.settings.pgVersion < 14) return;
    for (const { stmt, alter, cmd } of alterSites(ctx.effective)) {
      if (cmd.subtype !== "AT_DetachPartition") continue;
      const part = asNode(cmd.def, "PartitionCmd");
      if (part?.concurrent || isNewRelation(ctx, stmt, alter.relation)) continue;
      const fix = canFix(stmt) && !ctx.transactionOf(stmt).inTransaction && alter.cmds.length === 1 ? insertFix(ctx, statementEndIndex(ctx, stmt), " CONCURRENTLY") : undefined;
      ctx.report({
        messageId: "notConcurrent",
        statement: stmt,
        data: {
          where: concurrentlyWhere(ctx, stmt),
          partition: display(rangeVarName(part?.name)),
          table: display(rangeVarName(alter.relation)),
        },
        ...(fix ? { fix } : {}),
      });
    }
  },
});

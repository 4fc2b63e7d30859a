import { defineRule } from "../src/lint/rule.js";
import { asNode } from "../src/parse/ast.js";
import { isNewRelation } from "./_shared/history.js";
import { concurrentlyWhere } from "./_shared/tx.js";
import { canFix, findWords, insertFix } from "./_shared/position.js";
import { display, rangeVarName } from "./_shared/sql.js";

const KIND_WORD: Record<string, string> = {
  REINDEX_OBJECT_INDEX: "INDEX",
  REINDEX_OBJECT_TABLE: "TABLE",
  REINDEX_OBJECT_SCHEMA: "SCHEMA",
  REINDEX_OBJECT_DATABASE: "DATABASE",
  REINDEX_OBJECT_SYSTEM: "SYSTEM",
};

export default defineRule({
  meta: {
    id: "require-concurrent-reindex",
    description: "REINDEX without CONCURRENTLY (PostgreSQL 12+), which blocks writes to the table and reads through the index.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: true,
    messages: {
      notConcurrent: "REINDEX {{target}} without CONCURRENTLY locks out writes to the table, and reads that use the index, until the rebuild ends.",
    },
    help: "Use `REINDEX … CONCURRENTLY` (PostgreSQL 12+){{where}}.",
    docs: {
      rationale:
        "REINDEX rebuilds an index from scratch while holding a SHARE lock on the table (no writes) and an ACCESS EXCLUSIVE lock on the index (no reads that would use it). From PostgreSQL 12, `REINDEX … CONCURRENTLY` builds a replacement index beside the old one and swaps them, letting traffic through. It cannot run in a transaction block.",
      bad: "REINDEX INDEX users_email_idx;",
      good: "REINDEX INDEX CONCURRENTLY users_email_idx;",
      runner: { transactional: false },
      peers: { squawk: ["require-concurrent-reindex"], pgfence: ["reindex-non-concurrent"] },
    },
  },
  check(ctx) {
    if (ctx.settings.pgVersion < 12) return;
    for (const stmt of ctx.effective) {
      const r = asNode(stmt.node, "ReindexStmt");
      if (!r || (r.params ?? []).some((p) => asNode(p, "DefElem")?.defname === "concurrently")) continue;
      // REINDEX SYSTEM has no concurrent form.
      if (r.kind === "REINDEX_OBJECT_SYSTEM") continue;
      if (r.relation && isNewRelation(ctx, stmt, r.relation)) continue;
      const word = KIND_WORD[r.kind ?? ""] ?? "";
      let fix;
      if (canFix(stmt) && !ctx.transactionOf(stmt).inTransaction && word) {
        const words = findWords(ctx, stmt, [word]);
        if (words) fix = insertFix(ctx, words[0]!.end, " CONCURRENTLY");
      }
      const target = `${word} ${r.relation ? display(rangeVarName(r.relation)) : (r.name ?? "")}`.trim();
      ctx.report({ messageId: "notConcurrent", statement: stmt, data: { where: concurrentlyWhere(ctx, stmt), target }, ...(fix ? { fix } : {}) });
    }
  },
});

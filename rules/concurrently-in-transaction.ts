import { defineRule } from "../src/lint/rule.js";
import { nonTransactional, outsideTransactionHint, whyInTransaction } from "./_shared/tx.js";

export default defineRule({
  meta: {
    id: "concurrently-in-transaction",
    description: "CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY, DETACH PARTITION CONCURRENTLY (or VACUUM, CREATE DATABASE, …) inside a transaction block, where PostgreSQL refuses them.",
    category: "transactions",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      inTransaction: "{{what}} cannot run inside a transaction block, and {{why}}: PostgreSQL rejects it and the migration fails.",
      inDoBlock: "{{what}} cannot run inside a DO block (or any function): PostgreSQL rejects it and the migration fails.",
    },
    help: {
      inTransaction: "Run it outside a transaction: {{hint}}.",
      inDoBlock: "Run the statement at the top level of a migration that is not wrapped in a transaction: {{hint}}.",
    },
    docs: {
      rationale:
        "CONCURRENTLY builds and drops indexes in several transactions of its own so that writes keep flowing; PostgreSQL therefore refuses it inside a transaction block (`ERROR: CREATE INDEX CONCURRENTLY cannot run inside a transaction block`), as it refuses VACUUM, CREATE DATABASE and a few others. Whether a statement is in a transaction depends on the runner: diesel, sqlx, Flyway, pop and drizzle wrap each migration in one; prisma and golang-migrate send the file as one query, which PostgreSQL runs as one implicit transaction when it holds more than one statement. The rule reads this from the layout instead of assuming, and names the setting that lets a migration run outside a transaction.",
      bad: "BEGIN;\nCREATE INDEX CONCURRENTLY users_email_idx ON users (email);\nCOMMIT;",
      good: "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);",
      runner: { transactional: false },
      peers: { squawk: ["ban-concurrent-index-creation-in-transaction"], atlas: ["PG103"], pgfence: ["concurrent-in-transaction"] },
    },
  },
  check(ctx) {
    for (const s of ctx.effective) {
      const what = nonTransactional(s);
      if (!what) continue;
      const hint = outsideTransactionHint(ctx);
      if (s.guard) ctx.report({ messageId: "inDoBlock", statement: s, data: { what, hint } });
      else if (ctx.transactionOf(s).inTransaction) ctx.report({ messageId: "inTransaction", statement: s, data: { what, why: whyInTransaction(ctx, s), hint } });
    }
  },
});

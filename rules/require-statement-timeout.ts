import { defineRule } from "../src/lint/rule.js";
import { canFix, insertFix, statementStartIndex } from "./_shared/position.js";
import { display } from "./_shared/sql.js";
import { firstUnprotected } from "./_shared/timeouts.js";

export default defineRule({
  meta: {
    id: "require-statement-timeout",
    description: "A statement holding a lock that blocks the application runs before any `SET statement_timeout` (unless the runner sets it).",
    category: "locking",
    defaultSeverity: "warning",
    fixable: true,
    messages: {
      missing: "This statement holds {{table}} locked in {{mode}} mode with no statement_timeout: if it runs longer than expected, the application is blocked for as long as it runs.",
    },
    help: "Set `SET statement_timeout = '…';` (`SET LOCAL` inside a transaction) to the longest outage you accept; if the runner or the database role already sets it, set `timeoutsSetByRunner: true` in the config.",
    docs: {
      rationale:
        "A statement that holds a lock blocking reads or writes (ALTER TABLE, CREATE INDEX without CONCURRENTLY, a VALIDATE, a rewrite) blocks the application for as long as it runs. `statement_timeout` turns an unexpectedly long run (a bigger table than in staging, a rewrite nobody noticed) into a failed, rolled-back migration rather than an outage. Statements on tables created in the same migration do not count. `timeoutsSetByRunner: true` in the config turns the rule off when the runner or role sets the timeout.",
      bad: "CREATE INDEX users_email_idx ON users (email);",
      good: "SET statement_timeout = '5min';\nCREATE INDEX users_email_idx ON users (email);",
      peers: { squawk: ["require-statement-timeout"], pgfence: ["missing-statement-timeout"] },
    },
  },
  check(ctx) {
    const found = firstUnprotected(ctx, "statement_timeout");
    if (!found) return;
    const top = ctx.statements[found.statement.index] ?? found.statement;
    const local = ctx.transactionOf(top).inTransaction;
    const fix = canFix(top) ? insertFix(ctx, statementStartIndex(ctx, top), `SET ${local ? "LOCAL " : ""}statement_timeout = '5s';\n`) : undefined;
    ctx.report({ messageId: "missing", statement: found.statement, data: { mode: found.lock.mode, table: display(found.lock.name) }, ...(fix ? { fix } : {}) });
  },
});

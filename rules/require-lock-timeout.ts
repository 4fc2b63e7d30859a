import { defineRule } from "../src/lint/rule.js";
import { blocksReads } from "./_shared/locks.js";
import { canFix, insertFix, statementStartIndex } from "./_shared/position.js";
import { display } from "./_shared/sql.js";
import { firstUnprotected } from "./_shared/timeouts.js";

export default defineRule({
  meta: {
    id: "require-lock-timeout",
    description: "A lock that blocks the application is requested before any `SET lock_timeout` (unless the runner sets it).",
    category: "locking",
    defaultSeverity: "warning",
    fixable: true,
    messages: {
      missing:
        "This statement locks {{table}} in {{mode}} mode with no lock_timeout: if it has to wait (behind a long transaction, a backup, an idle-in-transaction session), every query on {{table}} queues behind it, {{blocked}}.",
    },
    help: "Start the migration with `SET lock_timeout = '2s';` (`SET LOCAL` inside a transaction) and retry on timeout; if the runner or the database role already sets it, set `timeoutsSetByRunner: true` in the config.",
    docs: {
      rationale:
        "Lock requests queue in order. An ALTER TABLE that needs an ACCESS EXCLUSIVE lock and waits for a long-running SELECT makes every later query on the table wait behind it, so a migration that would take milliseconds takes the application down for as long as the blocker lasts. `lock_timeout` makes the migration give up instead; the deploy can retry.\n\nOnly statements that take a lock blocking reads or writes on a table that already exists count: creating a table, a function or an index concurrently does not. The rule understands `SET`, `SET LOCAL` (until the end of its transaction), `RESET`, a value of 0 (no timeout) and `SELECT set_config(…)`. When the runner or the role sets the timeouts, the config's `timeoutsSetByRunner: true` turns the rule off.",
      bad: "ALTER TABLE users ADD COLUMN nickname text;",
      good: "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN nickname text;",
      peers: { squawk: ["require-lock-timeout"], strong_migrations: ["lock_timeout"], eugene: ["E9"], pgfence: ["missing-lock-timeout", "lock-timeout-zero", "lock-timeout-after-dangerous-statement"] },
    },
  },
  check(ctx) {
    const found = firstUnprotected(ctx, "lock_timeout");
    if (!found) return;
    const top = ctx.statements[found.statement.index] ?? found.statement;
    const local = ctx.transactionOf(top).inTransaction;
    const fix = canFix(top) ? insertFix(ctx, statementStartIndex(ctx, top), `SET ${local ? "LOCAL " : ""}lock_timeout = '2s';\n`) : undefined;
    const blocked = blocksReads(found.lock.mode) ? "reads and writes alike" : "writes included";
    ctx.report({ messageId: "missing", statement: found.statement, data: { mode: found.lock.mode, table: display(found.lock.name), blocked }, ...(fix ? { fix } : {}) });
  },
});

import { defineRule } from "../src/lint/rule.js";
import type { Statement } from "../src/parse/types.js";
import { insertFix, statementEndIndex, statementStartIndex } from "./_shared/position.js";
import { isTransactionControl, nonTransactional } from "./_shared/tx.js";

/** Statements that change nothing on their own: a failure between them leaves nothing half-done. */
const NEUTRAL = new Set(["VariableSetStmt", "VariableShowStmt", "TransactionStmt"]);

export default defineRule({
  meta: {
    id: "require-transaction",
    description: "A migration of several statements that runs outside a transaction, so a failure leaves it half applied.",
    category: "transactions",
    defaultSeverity: "warning",
    fixable: true,
    messages: {
      outside:
        "{{count}} statements of this migration run outside a transaction ({{reason}}): if one fails, the ones before it stay applied and re-running the migration fails on them.",
    },
    help: "Wrap the statements in `BEGIN;` … `COMMIT;`, or let the runner wrap the migration. Statements that cannot run in a transaction (CREATE INDEX CONCURRENTLY, …) belong in a migration of their own.",
    docs: {
      rationale:
        "A migration is applied or it is not. When the runner does not wrap each migration in a transaction (golang-migrate and dbmate with `transaction:false`, diesel with `run_in_transaction = false`, `psql -f`, pop's `.autocommit.` files), a failure in the third statement leaves the first two applied; the runner records the migration as failed (or dirty), and re-running it fails on the objects that already exist. Wrapping the statements in `BEGIN; … COMMIT;` makes the migration atomic.\n\nThe rule asks the layout whether the runner wraps migrations, and never guesses from one file. Runners that send the whole file as one query (prisma, golang-migrate) get PostgreSQL's implicit transaction for a multi-statement file, so they need no BEGIN. Statements that cannot run in a transaction block are not counted; a migration of one statement needs no transaction.",
      bad: "CREATE TABLE accounts (id bigint PRIMARY KEY);\nALTER TABLE users ADD COLUMN account_id bigint;",
      good: "BEGIN;\nCREATE TABLE accounts (id bigint PRIMARY KEY);\nALTER TABLE users ADD COLUMN account_id bigint;\nCOMMIT;",
      runner: { transactional: false },
      peers: { atlas: ["TX101"] },
    },
  },
  check(ctx) {
    // A runner that wraps the migration is atomic; a COMMIT ending its transaction early is transaction-nesting's finding.
    if (ctx.migration.transactional) return;
    const outside: Statement[] = [];
    for (const s of ctx.statements) {
      if (NEUTRAL.has(s.tag) || nonTransactional(s)) continue;
      if (!ctx.transactionOf(s).inTransaction) outside.push(s);
    }
    if (outside.length < 2) return;
    const first = outside[0]!;
    const last = outside[outside.length - 1]!;
    // Offer BEGIN/COMMIT only when the file has no transaction control and nothing that must stay outside.
    const fixable = !ctx.statements.some((s) => isTransactionControl(s) || nonTransactional(s) || s.guard) && !ctx.migration.up.regions;
    let fix;
    if (fixable) {
      const text = ctx.up.source.text;
      const end = statementEndIndex(ctx, last);
      const semicolon = /^\s*;/.exec(text.slice(end));
      const after = semicolon ? end + semicolon[0].length : end;
      const start = statementStartIndex(ctx, first);
      fix = {
        path: ctx.migration.up.path,
        edits: [...insertFix(ctx, start, "BEGIN;\n").edits, { start: after, end: after, text: semicolon ? "\nCOMMIT;" : ";\nCOMMIT;" }],
      };
    }
    ctx.report({ messageId: "outside", statement: first, data: { count: outside.length, reason: ctx.migration.transactionReason }, ...(fix ? { fix } : {}) });
  },
});

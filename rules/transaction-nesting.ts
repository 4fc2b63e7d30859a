import { defineRule } from "../src/lint/rule.js";
import { computeTransactions } from "../src/lint/transactions.js";
import { asNode } from "../src/parse/ast.js";

export default defineRule({
  meta: {
    id: "transaction-nesting",
    description: "BEGIN inside a transaction that is already open (the runner's or an explicit one), or COMMIT/ROLLBACK with none open.",
    category: "transactions",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      beginInRunnerTransaction:
        "BEGIN inside the transaction the runner already opened ({{reason}}): PostgreSQL ignores it with a warning, and the COMMIT that follows commits the runner's transaction early.",
      beginNested: "BEGIN inside the transaction block opened on line {{line}}: PostgreSQL ignores it with a warning.",
      commitWithoutBegin: "{{keyword}} with no transaction open: PostgreSQL warns and does nothing, so the statements before it were not in the transaction this suggests.",
      commitEndsRunnerTransaction:
        "{{keyword}} ends the transaction the runner opened ({{reason}}): the statements after it run in autocommit, and the runner's own COMMIT finds no transaction.",
    },
    help: {
      beginInRunnerTransaction: "Remove BEGIN and COMMIT from the file: the runner already makes the migration atomic.",
      beginNested: "Remove the inner BEGIN (and its COMMIT), or close the first transaction before opening another.",
      commitWithoutBegin: "Remove it, or add the BEGIN it belongs to.",
      commitEndsRunnerTransaction: "Remove it: the runner commits the migration. A statement that must run outside a transaction belongs in a migration the runner does not wrap.",
    },
    docs: {
      rationale:
        "Transaction control in a migration file only means what it says when the runner does not wrap the file itself. Inside a runner's transaction (diesel, sqlx, Flyway, drizzle, pop), PostgreSQL ignores a nested BEGIN with a warning, and the file's COMMIT then commits the runner's transaction halfway through: the statements after it are no longer atomic, and a failure there leaves the migration half applied while the runner believes it rolled back. A COMMIT without a BEGIN is a warning that usually points at a misplaced or deleted BEGIN.\n\nThe rule reads the runner's behaviour from the layout. A runner that sends the file as one query (prisma, golang-migrate) runs it in an implicit transaction that a BEGIN turns into an explicit one, so BEGIN … COMMIT there is fine.",
      bad: "BEGIN;\nALTER TABLE users ADD COLUMN nickname text;\nCOMMIT;",
      good: "ALTER TABLE users ADD COLUMN nickname text;",
      peers: { squawk: ["transaction-nesting"], atlas: ["TX201"] },
    },
  },
  check(ctx) {
    const { events } = computeTransactions(ctx.statements, ctx.migration);
    // The COMMIT closing a BEGIN that was nested in the runner's transaction is the same mistake: report it once.
    let nestedInRunner = false;
    for (const e of events) {
      const keyword = asNode(e.statement.node, "TransactionStmt")?.kind === "TRANS_STMT_ROLLBACK" ? "ROLLBACK" : "COMMIT";
      switch (e.kind) {
        case "begin-nested": {
          if (e.byRunner) {
            nestedInRunner = true;
            ctx.report({ messageId: "beginInRunnerTransaction", statement: e.statement, data: { reason: ctx.migration.transactionReason } });
          } else {
            const block = ctx.transactionOf(e.statement).block;
            const opener = ctx.statements.find((s) => ctx.transactionOf(s).block === block && s.tag === "TransactionStmt");
            ctx.report({ messageId: "beginNested", statement: e.statement, data: { line: opener?.range.start.line ?? "?" } });
          }
          break;
        }
        case "commit-without-begin":
          ctx.report({ messageId: "commitWithoutBegin", statement: e.statement, data: { keyword } });
          break;
        case "commit-ends-runner-transaction":
          if (nestedInRunner) {
            nestedInRunner = false;
            break;
          }
          ctx.report({ messageId: "commitEndsRunnerTransaction", statement: e.statement, data: { keyword, reason: ctx.migration.transactionReason } });
          break;
        default:
          break;
      }
    }
  },
});

import { defineRule } from "../src/lint/rule.js";
import { computeTransactions } from "../src/lint/transactions.js";
import { appendStatementFix } from "./_shared/position.js";

export default defineRule({
  meta: {
    id: "unclosed-transaction",
    description: "BEGIN without a matching COMMIT or ROLLBACK.",
    category: "transactions",
    defaultSeverity: "error",
    fixable: true,
    messages: {
      unclosed: "This BEGIN is never committed: the migration ends inside an open transaction, which the runner's connection then commits, rolls back or leaves open depending on the tool.",
    },
    help: "Add `COMMIT;` after the migration's last statement.",
    docs: {
      rationale:
        "A transaction left open at the end of a migration is committed or rolled back by whatever the runner does next: some runners commit it together with their own bookkeeping, some roll it back when the connection closes, and a runner that reuses the connection runs the next migration inside it. The migration's outcome then depends on the tool rather than on the file.",
      bad: "BEGIN;\nALTER TABLE users ADD COLUMN nickname text;",
      good: "BEGIN;\nALTER TABLE users ADD COLUMN nickname text;\nCOMMIT;",
      runner: { transactional: false },
      peers: { squawk: ["ban-uncommitted-transaction"], pgfence: ["unclosed-transaction"] },
    },
  },
  check(ctx) {
    const { events } = computeTransactions(ctx.statements, ctx.migration);
    for (const e of events) {
      if (e.kind !== "unclosed") continue;
      // A file with sections (dbmate's up and down) cannot simply be appended to.
      const fixable = !ctx.migration.up.regions;
      ctx.report({ messageId: "unclosed", statement: e.statement, ...(fixable ? { fix: appendStatementFix(ctx, "COMMIT;") } : {}) });
    }
  },
});

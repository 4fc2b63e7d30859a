import { defineRule } from "../src/lint/rule.js";
import { isNewRelation } from "./_shared/history.js";
import { alterSites, display, rangeVarName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "ban-drop-not-null",
    description: "ALTER COLUMN … DROP NOT NULL on an existing table: readers that assume a value start getting NULLs.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      dropNotNull: "DROP NOT NULL on {{table}}.{{column}} lets NULLs in, which code that reads the column and assumes a value is not ready for.",
    },
    help: "Make sure every reader handles NULL before dropping the constraint; to stop writing the column, give it a default instead.",
    docs: {
      rationale:
        "Dropping NOT NULL is instant for the database but a contract change for its clients: the application version still running, reports and other services may read the column as always present. The change is safe once every reader handles NULL. Tables created in the same migration (or one not applied yet) are exempt.",
      bad: "ALTER TABLE users ALTER COLUMN email DROP NOT NULL;",
      good: "ALTER TABLE users ALTER COLUMN email SET DEFAULT '';",
      peers: { squawk: ["ban-drop-not-null"], pgfence: ["drop-not-null"] },
    },
  },
  check(ctx) {
    for (const { stmt, alter, cmd } of alterSites(ctx.effective)) {
      if (cmd.subtype !== "AT_DropNotNull" || isNewRelation(ctx, stmt, alter.relation)) continue;
      ctx.report({ messageId: "dropNotNull", statement: stmt, data: { table: display(rangeVarName(alter.relation)), column: cmd.name ?? "?" } });
    }
  },
});

import { defineRule } from "../src/lint/rule.js";
import { isNewRelation } from "./_shared/history.js";
import { alterSites, display, rangeVarName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "ban-drop-column",
    description: "DROP COLUMN on an existing table: the application version still running may read or write it.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      dropColumn: "Dropping {{table}}.{{column}} breaks every query of the running application that still names it, and its data is gone.",
    },
    help: "First deploy code that no longer reads or writes the column (e.g. Rails `ignored_columns`, a Prisma schema without it), then drop it in a later migration.",
    docs: {
      rationale:
        "Migrations run before (or while) the new application version rolls out, so the old version keeps sending queries that name the column; they fail as soon as it is gone. Dropping a column is also the one schema change whose down cannot bring the data back. Remove the column from the code first, deploy, then drop it. Tables created in the same migration (or one not applied yet) are exempt.",
      bad: "ALTER TABLE users DROP COLUMN legacy_id;",
      good: "ALTER TABLE users ADD COLUMN nickname text;",
      peers: { squawk: ["ban-drop-column"], atlas: ["DS103"], strong_migrations: ["remove_column"], pgfence: ["drop-column"] },
    },
  },
  check(ctx) {
    for (const { stmt, alter, cmd } of alterSites(ctx.effective)) {
      if (cmd.subtype !== "AT_DropColumn" || isNewRelation(ctx, stmt, alter.relation)) continue;
      ctx.report({ messageId: "dropColumn", statement: stmt, data: { table: display(rangeVarName(alter.relation)), column: cmd.name ?? "?" } });
    }
  },
});

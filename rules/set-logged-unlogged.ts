import { defineRule } from "../src/lint/rule.js";
import { isNewRelation } from "./_shared/history.js";
import { alterSites, display, rangeVarName } from "./_shared/sql.js";

const WHAT: Record<string, string> = {
  AT_SetLogged: "SET LOGGED",
  AT_SetUnLogged: "SET UNLOGGED",
  AT_SetAccessMethod: "SET ACCESS METHOD",
  AT_SetTableSpace: "SET TABLESPACE",
};

export default defineRule({
  meta: {
    id: "set-logged-unlogged",
    description: "ALTER TABLE … SET LOGGED / SET UNLOGGED (or SET ACCESS METHOD / SET TABLESPACE) on an existing table, which rewrites it.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      rewrite: "{{what}} rewrites {{table}} and its indexes while holding an ACCESS EXCLUSIVE lock that blocks reads and writes.",
    },
    help: "Schedule it in a maintenance window, or create a new table with the wanted persistence (or storage), copy the data in batches and swap the tables.",
    docs: {
      rationale:
        "Switching a table between LOGGED and UNLOGGED changes how it is written to the WAL, so PostgreSQL copies it into a new file (and, for SET LOGGED, writes all of it to the WAL), rebuilding its indexes, under an ACCESS EXCLUSIVE lock. SET ACCESS METHOD and SET TABLESPACE copy the table the same way. On a large table this is a long outage. Tables created in the same migration (or one not applied yet) are exempt.",
      bad: "ALTER TABLE page_views SET LOGGED;",
      good: "CREATE UNLOGGED TABLE page_views_staging (LIKE page_views);",
      peers: { atlas: ["PG307", "PG311"], pgfence: ["set-logged-unlogged"] },
    },
  },
  check(ctx) {
    for (const { stmt, alter, cmd } of alterSites(ctx.effective)) {
      const what = cmd.subtype && WHAT[cmd.subtype];
      if (!what || isNewRelation(ctx, stmt, alter.relation)) continue;
      ctx.report({ messageId: "rewrite", statement: stmt, data: { what, table: display(rangeVarName(alter.relation)) } });
    }
  },
});

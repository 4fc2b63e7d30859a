import { defineRule } from "../src/lint/rule.js";
import { isNewRelation } from "./_shared/history.js";
import { tokenSpan } from "./_shared/position.js";
import { alterSites, columnDef, columnDefault, display, rangeVarName } from "./_shared/sql.js";
import { volatileCalls } from "./_shared/volatility.js";

export default defineRule({
  meta: {
    id: "adding-field-with-default",
    description: "ADD COLUMN with a volatile DEFAULT (any DEFAULT before PostgreSQL 11) on an existing table, which rewrites the table.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      volatileDefault: "ADD COLUMN {{column}} with the volatile default {{fn}}() rewrites {{table}} under an ACCESS EXCLUSIVE lock: every row gets its own value.",
      unknownFunction:
        "ADD COLUMN {{column}} with the default {{fn}}() may rewrite {{table}} under an ACCESS EXCLUSIVE lock: {{fn}} is not a built-in and the history does not define it, so it may be volatile.",
      defaultBeforePg11: "Before PostgreSQL 11, ADD COLUMN {{column}} with a DEFAULT rewrites {{table}} under an ACCESS EXCLUSIVE lock.",
    },
    help: {
      volatileDefault:
        "Add the column without a default (or with a constant one), backfill it in batches, then `ALTER COLUMN … SET DEFAULT` for new rows.",
      unknownFunction: "Declare the function STABLE or IMMUTABLE if it is, or add the column without a default and backfill it in batches.",
      defaultBeforePg11: "Add the column without a default, `SET DEFAULT` in a second statement, and backfill existing rows in batches.",
    },
    docs: {
      rationale:
        "Since PostgreSQL 11, `ADD COLUMN … DEFAULT <constant>` is instant: the default is evaluated once and stored in the catalog, and existing rows read it from there. A volatile default (`gen_random_uuid()`, `random()`, `clock_timestamp()`, `nextval()`) must be computed per row, so PostgreSQL rewrites the whole table, and its indexes, while holding an ACCESS EXCLUSIVE lock that blocks every read and write. Before PostgreSQL 11 any default rewrites.\n\nThe rule classifies each function of the default expression from PostgreSQL's own catalog (`pg_proc.provolatile`), and user functions from their definition in the history, instead of a short allow-list: `DEFAULT now()`, `DEFAULT '{}'::jsonb`, `DEFAULT lower('X')` and `DEFAULT 2 + 2` pass. Tables created in the same migration (or in one not applied yet) are exempt. Stored generated and serial/identity columns have their own rules.",
      bad: "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();",
      good: "ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now();",
      peers: { squawk: ["adding-field-with-default"], atlas: ["PG302"], strong_migrations: ["add_column_default"], pgfence: ["add-column-non-constant-default"] },
    },
  },
  check(ctx) {
    const pg = ctx.settings.pgVersion;
    for (const { stmt, alter, cmd } of alterSites(ctx.effective)) {
      if (cmd.subtype !== "AT_AddColumn") continue;
      const col = columnDef(cmd.def);
      const def = col && columnDefault(col);
      if (!col || !def || isNewRelation(ctx, stmt, alter.relation)) continue;
      const data = { column: col.colname ?? "?", table: display(rangeVarName(alter.relation)) };
      if (pg < 11) {
        ctx.report({ messageId: "defaultBeforePg11", statement: stmt, range: tokenSpan(ctx, stmt, col.location), data });
        continue;
      }
      const calls = volatileCalls(def, ctx.catalogAt(stmt));
      const call = calls.find((c) => c.volatility === "volatile") ?? calls[0];
      if (!call) continue;
      ctx.report({
        messageId: call.volatility === "volatile" ? "volatileDefault" : "unknownFunction",
        statement: stmt,
        range: tokenSpan(ctx, stmt, call.location),
        data: { ...data, fn: call.name },
      });
    }
  },
});

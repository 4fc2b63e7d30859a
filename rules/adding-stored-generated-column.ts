import { defineRule } from "../src/lint/rule.js";
import { isNewRelation } from "./_shared/history.js";
import { tokenSpan } from "./_shared/position.js";
import { alterSites, columnConstraints, columnDef, display, rangeVarName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "adding-stored-generated-column",
    description: "ADD COLUMN … GENERATED ALWAYS AS (…) STORED on an existing table, which rewrites the table.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      stored: "Adding the stored generated column {{column}} rewrites {{table}} under an ACCESS EXCLUSIVE lock: the expression is computed and stored for every row.",
    },
    help: "Add a plain nullable column, fill it for new rows with a trigger, backfill existing rows in batches; or, on PostgreSQL 18, use a VIRTUAL generated column, which is computed on read and adds instantly.",
    docs: {
      rationale:
        "A stored generated column holds a value for every row, so adding one to a populated table computes the expression for each row and rewrites the table and its indexes, blocking all reads and writes for the duration. PostgreSQL 18's VIRTUAL generated columns are computed when read and add instantly. Tables created in the same migration (or one not applied yet) are exempt.",
      bad: "ALTER TABLE orders ADD COLUMN total numeric GENERATED ALWAYS AS (price * quantity) STORED;",
      good: "ALTER TABLE orders ADD COLUMN total numeric GENERATED ALWAYS AS (price * quantity) VIRTUAL;",
      peers: { squawk: ["adding-field-with-default"], atlas: ["PG309"], strong_migrations: ["add_column_generated_stored"], eugene: ["E11"], pgfence: ["add-column-stored-generated"] },
    },
  },
  check(ctx) {
    for (const { stmt, alter, cmd } of alterSites(ctx.effective)) {
      if (cmd.subtype !== "AT_AddColumn") continue;
      const col = columnDef(cmd.def);
      const generated = col && columnConstraints(col).find((c) => c.contype === "CONSTR_GENERATED" && c.generated_kind === "s");
      if (!col || !generated || isNewRelation(ctx, stmt, alter.relation)) continue;
      ctx.report({ messageId: "stored", statement: stmt, range: tokenSpan(ctx, stmt, generated.location), data: { column: col.colname ?? "?", table: display(rangeVarName(alter.relation)) } });
    }
  },
});

import { defineRule } from "../src/lint/rule.js";
import { isNewRelation } from "./_shared/history.js";
import { tokenSpan } from "./_shared/position.js";
import { alterSites, columnConstraints, columnDef, columnDefault, display, rangeVarName } from "./_shared/sql.js";
import { SERIAL_TYPES, typeOfTypeName } from "./_shared/types.js";

export default defineRule({
  meta: {
    id: "adding-required-field",
    description: "ADD COLUMN … NOT NULL without a DEFAULT on an existing table: it fails on any row, and breaks inserts that do not know the column.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      required: "ADD COLUMN {{column}} NOT NULL without a DEFAULT fails as soon as {{table}} has a row, and every INSERT the running application sends without {{column}} fails afterwards.",
    },
    help: "Add the column nullable (or NOT NULL with a constant DEFAULT, instant on PostgreSQL 11+), backfill it, then enforce NOT NULL with the CHECK … NOT VALID → VALIDATE → SET NOT NULL recipe.",
    docs: {
      rationale:
        "A NOT NULL column without a default has no value to give the rows already in the table, so the ALTER TABLE fails on any non-empty table. Even on an empty one, the application version still running does not send the column, so its inserts fail until it is redeployed. A constant DEFAULT is instant on PostgreSQL 11 and later and keeps old inserts working. Tables created in the same migration (or one not applied yet) are exempt.",
      bad: "ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;",
      good: "ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL DEFAULT 0;",
      peers: { squawk: ["adding-required-field"], atlas: ["MF103"], pgfence: ["add-column-not-null-no-default"] },
    },
  },
  check(ctx) {
    for (const { stmt, alter, cmd } of alterSites(ctx.effective)) {
      if (cmd.subtype !== "AT_AddColumn") continue;
      const col = columnDef(cmd.def);
      if (!col) continue;
      const cons = columnConstraints(col);
      const notNull = cons.find((c) => c.contype === "CONSTR_NOTNULL" || c.contype === "CONSTR_PRIMARY");
      if (!notNull || columnDefault(col)) continue;
      // Identity, serial and generated columns fill themselves.
      if (cons.some((c) => c.contype === "CONSTR_IDENTITY" || c.contype === "CONSTR_GENERATED")) continue;
      if (col.typeName && SERIAL_TYPES.has(typeOfTypeName(col.typeName).name)) continue;
      if (isNewRelation(ctx, stmt, alter.relation)) continue;
      ctx.report({ messageId: "required", statement: stmt, range: tokenSpan(ctx, stmt, col.location), data: { column: col.colname ?? "?", table: display(rangeVarName(alter.relation)) } });
    }
  },
});

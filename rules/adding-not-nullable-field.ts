import { defineRule } from "../src/lint/rule.js";
import { isNewRelation } from "./_shared/history.js";
import { notNullProven } from "./_shared/recipes.js";
import { alterSites, display, rangeVarName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "adding-not-nullable-field",
    description: "ALTER COLUMN … SET NOT NULL on an existing table without a validated CHECK (col IS NOT NULL) to prove it, which scans the table under an ACCESS EXCLUSIVE lock.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      setNotNull: "SET NOT NULL on {{table}}.{{column}} scans every row for NULLs while holding an ACCESS EXCLUSIVE lock that blocks reads and writes.",
      setNotNullBeforePg12:
        "SET NOT NULL on {{table}}.{{column}} scans every row for NULLs while holding an ACCESS EXCLUSIVE lock; before PostgreSQL 12 no constraint can spare the scan.",
    },
    help: {
      setNotNull:
        "Add `CHECK ({{column}} IS NOT NULL) NOT VALID`, `VALIDATE CONSTRAINT` it in a later transaction, then `SET NOT NULL` (PostgreSQL 12+ uses the valid CHECK and skips the scan) and drop the CHECK.",
      setNotNullBeforePg12: "Keep the column nullable and enforce it with `CHECK ({{column}} IS NOT NULL) NOT VALID` followed by `VALIDATE CONSTRAINT` in a later transaction.",
    },
    docs: {
      rationale:
        "SET NOT NULL must prove that no row holds NULL, so it scans the whole table while holding an ACCESS EXCLUSIVE lock. From PostgreSQL 12, the scan is skipped when a valid CHECK constraint already proves the column is not null, which makes the recipe `ADD CONSTRAINT … CHECK (c IS NOT NULL) NOT VALID` → `VALIDATE CONSTRAINT` (a SHARE UPDATE EXCLUSIVE lock) → `SET NOT NULL` safe.\n\nThe rule recognises the recipe wherever its steps are: in earlier migrations (from the replayed catalog) or earlier in this one, and only on the `pgVersion` that honours it. Tables created in the same migration (or one not applied yet) are exempt.",
      bad: "ALTER TABLE users ALTER COLUMN email SET NOT NULL;",
      good: "-- Each statement commits on its own (or put each step in its own migration).\nALTER TABLE users ADD CONSTRAINT users_email_not_null CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT users_email_not_null;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;\nALTER TABLE users DROP CONSTRAINT users_email_not_null;",
      runner: { transactional: false },
      peers: {
        squawk: ["adding-not-nullable-field"],
        atlas: ["PG303", "MF104"],
        strong_migrations: ["change_column_null_postgresql"],
        eugene: ["E2"],
        pgfence: ["alter-column-set-not-null"],
      },
    },
  },
  check(ctx) {
    const pg = ctx.settings.pgVersion;
    for (const { stmt, alter, cmd } of alterSites(ctx.effective)) {
      if (cmd.subtype !== "AT_SetNotNull" || !cmd.name) continue;
      const table = rangeVarName(alter.relation)!;
      if (isNewRelation(ctx, stmt, alter.relation)) continue;
      if (pg >= 12 && notNullProven(ctx, stmt, table, cmd.name)) continue;
      ctx.report({ messageId: pg >= 12 ? "setNotNull" : "setNotNullBeforePg12", statement: stmt, data: { table: display(table), column: cmd.name } });
    }
  },
});

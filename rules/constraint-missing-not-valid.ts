import { defineRule } from "../src/lint/rule.js";
import { isNewRelation } from "./_shared/history.js";
import { clauseSpan } from "./_shared/position.js";
import { constraintEvents } from "./_shared/recipes.js";
import { alterSites, constraint, display, rangeVarName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "constraint-missing-not-valid",
    description: "A CHECK (or NOT NULL) constraint added to an existing table without NOT VALID, or validated in the same transaction that added it NOT VALID.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      missingNotValid: "Adding the {{kind}} constraint {{name}} scans every row of {{table}} while holding an ACCESS EXCLUSIVE lock that blocks reads and writes.",
      validateInSameTransaction:
        "{{name}} is validated in the same transaction that added it NOT VALID (line {{line}}): the lock taken by the ADD is still held during the scan, so NOT VALID gains nothing.",
    },
    help: {
      missingNotValid: "Add the constraint with `NOT VALID`, then `VALIDATE CONSTRAINT` in a later transaction; validation only takes a SHARE UPDATE EXCLUSIVE lock.",
      validateInSameTransaction: "Move `VALIDATE CONSTRAINT` to a later migration, or commit between the two statements.",
    },
    docs: {
      rationale:
        "Adding a CHECK constraint checks every existing row while the ALTER TABLE holds an ACCESS EXCLUSIVE lock: nothing can read or write the table until the scan ends. With `NOT VALID`, the constraint applies to new writes immediately and `VALIDATE CONSTRAINT` checks the old rows later under a SHARE UPDATE EXCLUSIVE lock, which lets reads and writes through. That only helps when the VALIDATE runs in a later transaction: in the same one, the ADD's lock is still held while VALIDATE scans.\n\nThe rule knows which transaction each statement runs in from the runner's layout, and exempts tables created in the same migration (or one not applied yet). Foreign keys have their own rule (`adding-foreign-key-constraint`); unique and primary keys cannot be NOT VALID and are covered by `disallowed-unique-constraint` and `adding-primary-key-constraint`.",
      bad: "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0);",
      good: "ALTER TABLE orders ADD CONSTRAINT orders_total_positive CHECK (total >= 0) NOT VALID;",
      peers: {
        squawk: ["constraint-missing-not-valid"],
        atlas: ["PG305"],
        strong_migrations: ["add_check_constraint", "validate_check_constraint", "validate_foreign_key"],
        eugene: ["E1"],
        pgfence: ["add-constraint-check-no-not-valid", "not-valid-validate-same-tx"],
      },
    },
  },
  check(ctx) {
    for (const { stmt, alter, cmd } of alterSites(ctx.effective)) {
      if (cmd.subtype !== "AT_AddConstraint") continue;
      const con = constraint(cmd.def);
      if ((con?.contype !== "CONSTR_CHECK" && con?.contype !== "CONSTR_NOTNULL") || con.skip_validation) continue;
      if (isNewRelation(ctx, stmt, alter.relation)) continue;
      ctx.report({
        messageId: "missingNotValid",
        statement: stmt,
        range: clauseSpan(ctx, stmt, con.location),
        data: { kind: con.contype === "CONSTR_CHECK" ? "CHECK" : "NOT NULL", name: con.conname ?? "(unnamed)", table: display(rangeVarName(alter.relation)) },
      });
    }
    // NOT VALID then VALIDATE in one transaction block.
    const events = constraintEvents(ctx);
    for (const v of events) {
      if (v.kind !== "validate") continue;
      const added = events.find((e) => e.kind === "add" && e.notValid && e.name === v.name && e.table === v.table && e.position < v.position);
      if (!added || isNewRelation(ctx, added.statement, { name: v.table.slice(v.table.indexOf(".") + 1), schema: v.table.slice(0, v.table.indexOf(".")) })) continue;
      const a = ctx.transactionOf(added.statement);
      const b = ctx.transactionOf(v.statement);
      const sameTransaction = (a.inTransaction && b.inTransaction && a.block === b.block) || (!!v.statement.guard && v.statement.index === added.statement.index);
      if (!sameTransaction) continue;
      ctx.report({ messageId: "validateInSameTransaction", statement: v.statement, data: { name: v.name, line: added.statement.range.start.line } });
    }
  },
});

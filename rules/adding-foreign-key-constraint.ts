import { defineRule } from "../src/lint/rule.js";
import { isNewRelation } from "./_shared/history.js";
import { clauseSpan, tokenSpan } from "./_shared/position.js";
import { alterSites, columnConstraints, columnDef, constraint, display, rangeVarName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "adding-foreign-key-constraint",
    description: "A foreign key added to an existing table without NOT VALID, which scans the table while blocking writes to both tables.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      withoutNotValid:
        "Adding the foreign key {{name}} validates every row of {{table}} while holding SHARE ROW EXCLUSIVE locks on {{table}} and {{referenced}}, blocking writes to both.",
      inlineReference:
        "ADD COLUMN {{column}} … REFERENCES {{referenced}} validates the new foreign key while holding an ACCESS EXCLUSIVE lock on {{table}} and a SHARE ROW EXCLUSIVE lock on {{referenced}}.",
    },
    help: "Add the constraint with `NOT VALID` (it then only checks new rows), and run `ALTER TABLE … VALIDATE CONSTRAINT …` in a later transaction: validation takes a SHARE UPDATE EXCLUSIVE lock, which lets reads and writes through.",
    docs: {
      rationale:
        "`ADD CONSTRAINT … FOREIGN KEY` checks every existing row against the referenced table while holding SHARE ROW EXCLUSIVE locks on both tables: writes to either table wait for the whole scan. Added `NOT VALID`, the constraint is enforced for new writes at once and the check of old rows is deferred to `VALIDATE CONSTRAINT`, which only takes a SHARE UPDATE EXCLUSIVE lock. The VALIDATE must run in a later transaction (the `constraint-missing-not-valid` rule checks that), otherwise the locks of the ADD are still held while it scans.\n\nTables created in the same migration (or in one not applied yet) are empty and exempt, wherever the history says they were created, not only in the same transaction.",
      bad: "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id);",
      good: "ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;",
      peers: {
        squawk: ["adding-foreign-key-constraint", "constraint-missing-not-valid"],
        atlas: ["PG306"],
        strong_migrations: ["add_foreign_key"],
        eugene: ["E1"],
        pgfence: ["add-constraint-fk-no-not-valid", "add-column-inline-foreign-key"],
      },
    },
  },
  check(ctx) {
    for (const { stmt, alter, cmd } of alterSites(ctx.effective)) {
      const table = display(rangeVarName(alter.relation));
      if (cmd.subtype === "AT_AddConstraint") {
        const con = constraint(cmd.def);
        if (con?.contype !== "CONSTR_FOREIGN" || con.skip_validation) continue;
        if (isNewRelation(ctx, stmt, alter.relation)) continue;
        ctx.report({
          messageId: "withoutNotValid",
          statement: stmt,
          range: clauseSpan(ctx, stmt, con.location),
          data: { name: con.conname ?? "(unnamed)", table, referenced: display(rangeVarName(con.pktable)) },
        });
      } else if (cmd.subtype === "AT_AddColumn") {
        const col = columnDef(cmd.def);
        const ref = col && columnConstraints(col).find((c) => c.contype === "CONSTR_FOREIGN" && !c.skip_validation);
        if (!col || !ref || isNewRelation(ctx, stmt, alter.relation)) continue;
        ctx.report({
          messageId: "inlineReference",
          statement: stmt,
          range: tokenSpan(ctx, stmt, ref.location),
          data: { column: col.colname ?? "?", table, referenced: display(rangeVarName(ref.pktable)) },
        });
      }
    }
  },
});

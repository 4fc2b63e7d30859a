import { defineRule } from "../src/lint/rule.js";
import { isNewRelation } from "./_shared/history.js";
import { clauseSpan } from "./_shared/position.js";
import { alterSites, constraint, display, rangeVarName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "adding-exclusion-constraint",
    description: "An EXCLUDE constraint added to an existing table: its index is built under an ACCESS EXCLUSIVE lock, with no online alternative.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      exclusion: "Adding the exclusion constraint {{name}} builds its index on {{table}} while holding an ACCESS EXCLUSIVE lock; exclusion constraints cannot be added NOT VALID or USING INDEX.",
    },
    help: "Add it while the table is small or in a maintenance window, or enforce the rule in the application (or a trigger) and create a new table with the constraint.",
    docs: {
      rationale:
        "An exclusion constraint needs its own index, which ADD CONSTRAINT builds while the table is locked ACCESS EXCLUSIVE. Unlike UNIQUE or CHECK there is no NOT VALID or USING INDEX path, so on a large table the outage cannot be avoided. Tables created in the same migration (or one not applied yet) are exempt.",
      bad: "ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&);",
      good: "CREATE TABLE bookings (room_id bigint, during tstzrange, EXCLUDE USING gist (room_id WITH =, during WITH &&));",
      peers: { strong_migrations: ["add_exclusion_constraint"], eugene: ["E8"], pgfence: ["add-constraint-exclude"] },
    },
  },
  check(ctx) {
    for (const { stmt, alter, cmd } of alterSites(ctx.effective)) {
      const con = cmd.subtype === "AT_AddConstraint" ? constraint(cmd.def) : undefined;
      if (con?.contype !== "CONSTR_EXCLUSION" || isNewRelation(ctx, stmt, alter.relation)) continue;
      ctx.report({ messageId: "exclusion", statement: stmt, range: clauseSpan(ctx, stmt, con.location), data: { name: con.conname ?? "(unnamed)", table: display(rangeVarName(alter.relation)) } });
    }
  },
});

import { defineRule } from "../src/lint/rule.js";
import { isNewRelation } from "./_shared/history.js";
import { clauseSpan, tokenSpan } from "./_shared/position.js";
import { alterSites, columnConstraints, columnDef, constraint, display, rangeVarName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "disallowed-unique-constraint",
    description: "A UNIQUE constraint added to an existing table by building its index under an ACCESS EXCLUSIVE lock.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      buildsIndex: "Adding the unique constraint {{name}} builds its index on {{table}} while holding an ACCESS EXCLUSIVE lock that blocks reads and writes.",
    },
    help: "`CREATE UNIQUE INDEX CONCURRENTLY` in a migration that is not wrapped in a transaction, then `ALTER TABLE … ADD CONSTRAINT … UNIQUE USING INDEX …`, which only takes a brief lock.",
    docs: {
      rationale:
        "A UNIQUE constraint is backed by a unique index, and `ADD CONSTRAINT … UNIQUE (…)` builds it while holding an ACCESS EXCLUSIVE lock: every read and write of the table waits for the build. Build the index concurrently first and attach it with `USING INDEX`; the rule recognises that recipe. Tables created in the same migration (or one not applied yet) are exempt.",
      bad: "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);",
      good: "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;",
      peers: {
        squawk: ["disallowed-unique-constraint", "constraint-missing-not-valid"],
        atlas: ["PG105", "MF101"],
        strong_migrations: ["add_unique_constraint"],
        eugene: ["E7"],
        pgfence: ["add-constraint-unique"],
      },
    },
  },
  check(ctx) {
    for (const { stmt, alter, cmd } of alterSites(ctx.effective)) {
      const table = display(rangeVarName(alter.relation));
      if (cmd.subtype === "AT_AddColumn") {
        const col = columnDef(cmd.def);
        const unique = col && columnConstraints(col).find((c) => c.contype === "CONSTR_UNIQUE");
        if (unique && !isNewRelation(ctx, stmt, alter.relation)) ctx.report({ messageId: "buildsIndex", statement: stmt, range: tokenSpan(ctx, stmt, unique.location), data: { name: unique.conname ?? `on ${col.colname}`, table } });
        continue;
      }
      if (cmd.subtype !== "AT_AddConstraint") continue;
      const con = constraint(cmd.def);
      if (con?.contype !== "CONSTR_UNIQUE" || con.indexname || isNewRelation(ctx, stmt, alter.relation)) continue;
      ctx.report({ messageId: "buildsIndex", statement: stmt, range: clauseSpan(ctx, stmt, con.location), data: { name: con.conname ?? "(unnamed)", table } });
    }
  },
});

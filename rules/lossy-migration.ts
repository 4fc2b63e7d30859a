import { defineRule } from "../src/lint/rule.js";
import { excerpt } from "../src/invert/plan.js";

export default defineRule({
  meta: {
    id: "lossy-migration",
    description: "A statement whose down restores the schema but not the data.",
    category: "reversibility",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      lossy: "Undoing `{{statement}}` restores the schema, not the data: {{reason}}.",
    },
    help: "If the data matters, keep it (rename the column or table instead of dropping it, or copy it to a backup table first) and drop it in a later migration once nothing needs a rollback.",
    docs: {
      rationale:
        "DROP COLUMN, DROP TABLE, DELETE and TRUNCATE can be undone only as far as the schema goes: the generated down re-creates the exact prior definition, but the values are gone. A rollback then leaves the application with empty columns. This is often acceptable; the warning makes it a decision.",
      bad: "ALTER TABLE users DROP COLUMN nickname;",
      good: "ALTER TABLE users RENAME COLUMN nickname TO nickname_deprecated;",
      runner: { history: "CREATE TABLE users (id serial PRIMARY KEY, nickname text);" },
    },
  },
  check(ctx) {
    for (const s of ctx.plan.statements) {
      if (s.class !== "lossy") continue;
      ctx.report({ messageId: "lossy", range: s.source.range, data: { statement: excerpt(s.source.text, 60), reason: s.reason ?? "data is lost" } });
    }
  },
});

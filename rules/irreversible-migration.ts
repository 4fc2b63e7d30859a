import { defineRule } from "../src/lint/rule.js";
import { excerpt } from "../src/invert/plan.js";
import { provenDown } from "./_shared/proven-down.js";

export default defineRule({
  meta: {
    id: "irreversible-migration",
    description: "A statement no down can undo (the CI gate for rollbacks).",
    category: "reversibility",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      irreversible: "`{{statement}}` cannot be undone: {{reason}}.",
    },
    help: "Make the change reversible (keep the data it removes or converts, see the reason), split it so the irreversible step stands alone, or mark it with `-- migration-lint-ignore irreversible-migration -- <why>`.",
    docs: {
      rationale:
        "The down generator classifies every statement. An irreversible one has no correct down: a DROP of an object the history never created, a statement the replay cannot see, data changes without a preserved copy. Enum values added and data transforms have their own rules (`enum-add-value`, `transform-requires-shadow-column`) with their recipes; this rule reports the rest, so the gate blocks every irreversible migration. Where the migration has a hand-written down that answers the statement, it is not reported: the down restores the schema exactly (the `down-mismatch` check finds nothing and every statement was modelled) and writes to the table the statement changed (an `INSERT … SELECT` undone by a `DELETE`). That the rows come back is the down's author's claim: `migration-lint verify` runs it.",
      bad: "DROP TABLE legacy_sessions;",
      good: "DROP TABLE IF EXISTS legacy_sessions;",
    },
  },
  check(ctx) {
    const answered = provenDown(ctx);
    for (const s of ctx.plan.statements) {
      if (s.class !== "irreversible" || s.cause || answered(s.source)) continue;
      ctx.report({ messageId: "irreversible", range: s.source.range, data: { statement: excerpt(s.source.text, 60), reason: s.reason ?? "no inverse is known" } });
    }
  },
});

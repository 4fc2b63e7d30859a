import { defineRule } from "../src/lint/rule.js";

/** Reported by the lint engine itself once every other rule has run; `check` has nothing to do. */
export default defineRule({
  meta: {
    id: "unused-ignore",
    description: "A `migration-lint-ignore` directive that suppressed nothing.",
    category: "correctness",
    defaultSeverity: "warning",
    fixable: false,
    messages: { unused: "Unused ignore directive ({{rules}}): no finding was suppressed." },
    help: "Remove the directive, or fix the rule id it names.",
    docs: {
      rationale:
        "Ignore directives outlive the code they were written for. One that suppresses nothing hides the next real finding of that rule on the same statement, and a misspelt rule id silently ignores nothing at all.",
      bad: "-- migration-lint-ignore require-concurrent-index-creation\nALTER TABLE users ADD COLUMN nickname text;",
      good: "ALTER TABLE users ADD COLUMN nickname text;",
      peers: { squawk: ["unused-ignore"] },
    },
  },
  check() {},
});

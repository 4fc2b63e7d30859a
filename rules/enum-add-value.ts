import { defineRule } from "../src/lint/rule.js";

export default defineRule({
  meta: {
    id: "enum-add-value",
    description: "ALTER TYPE … ADD VALUE: PostgreSQL cannot drop an enum value, so no down can undo it.",
    category: "reversibility",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      addValue: "Adding {{value}} to an enum cannot be undone: PostgreSQL has no DROP VALUE.",
    },
    help: "Accept it as a one-way change (ignore this rule for the statement with a reason), or use a lookup table / a text column with a CHECK constraint instead of an enum. The generated down carries the recipe to recreate the type without the value once no row uses it.",
    docs: {
      rationale:
        "Removing an enum value means renaming the type, creating it again without the value, converting every column that uses it (`USING col::text::type`, a table rewrite under an exclusive lock) and dropping the old type, and it fails as soon as one row uses the value. Rails, Atlas and Liquibase all treat ADD VALUE as irreversible; migration-lint says so before the migration ships and writes the recipe into the down.",
      bad: "ALTER TYPE mood ADD VALUE 'meh';",
      good: "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';",
      runner: { history: "CREATE TYPE mood AS ENUM ('happy', 'sad');" },
    },
  },
  check(ctx) {
    for (const s of ctx.plan.statements) {
      if (s.cause !== "enum-add-value") continue;
      const value = /ADD\s+VALUE\s+(?:IF\s+NOT\s+EXISTS\s+)?('(?:[^']|'')*')/i.exec(s.source.text)?.[1] ?? "a value";
      ctx.report({ messageId: "addValue", range: s.source.range, data: { value } });
    }
  },
});

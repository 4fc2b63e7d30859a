import { defineRule } from "../src/lint/rule.js";
import { checkColumnTypes } from "./_shared/type-rule.js";

export default defineRule({
  meta: {
    id: "prefer-jsonb",
    description: "A json column instead of jsonb.",
    category: "style",
    defaultSeverity: "warning",
    fixable: true,
    messages: {
      json: "{{table}}.{{column}} is json: it is stored as text and reparsed on every access, has no equality operator (so no DISTINCT, GROUP BY or unique index) and no GIN indexing.",
    },
    help: "Use jsonb, unless the exact text (key order, duplicate keys, whitespace) must be kept.",
    docs: {
      rationale:
        "`json` keeps the input text verbatim and parses it on every operation; it has no equality operator, so DISTINCT, GROUP BY, UNION and unique constraints on it fail, and it cannot be indexed with GIN. `jsonb` stores a parsed binary form, supports containment and path operators and indexes. Switching later rewrites the table.",
      bad: "ALTER TABLE events ADD COLUMN payload json;",
      good: "ALTER TABLE events ADD COLUMN payload jsonb;",
      peers: { strong_migrations: ["add_column_json"], eugene: ["E3"], pgfence: ["add-column-json"] },
    },
  },
  check(ctx) {
    checkColumnTypes(ctx, (site) => (site.type.name === "json" ? { messageId: "json", replacement: "jsonb" } : undefined));
  },
});

import { defineRule } from "../src/lint/rule.js";
import { checkColumnTypes } from "./_shared/type-rule.js";

export default defineRule({
  meta: {
    id: "prefer-timestamptz",
    description: "A timestamp (without time zone) column.",
    category: "style",
    defaultSeverity: "warning",
    fixable: true,
    messages: {
      timestamp: "{{table}}.{{column}} is {{type}}: it stores wall-clock time without its offset, so values written from different time zones cannot be compared.",
    },
    help: "Use timestamptz (timestamp with time zone): it stores an absolute instant and converts on input and output.",
    docs: {
      rationale:
        "`timestamp without time zone` drops the UTC offset: 2024-03-01 10:00+02 and 2024-03-01 10:00-05 are stored as the same value, hours apart in reality. `timestamptz` stores the instant (in UTC) and takes the same 8 bytes. Converting the column later rewrites the table unless the session time zone is UTC.",
      bad: "CREATE TABLE events (created_at timestamp NOT NULL DEFAULT now());",
      good: "CREATE TABLE events (created_at timestamptz NOT NULL DEFAULT now());",
      peers: { squawk: ["prefer-timestamptz"], pgfence: ["prefer-timestamptz"] },
    },
  },
  check(ctx) {
    checkColumnTypes(ctx, (site) =>
      site.type.name === "timestamp without time zone" ? { messageId: "timestamp", replacement: site.type.mods.length ? `timestamptz(${site.type.mods[0]})` : "timestamptz" } : undefined,
    );
  },
});

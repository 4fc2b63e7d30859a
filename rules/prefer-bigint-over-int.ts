import { defineRule } from "../src/lint/rule.js";
import { checkColumnTypes } from "./_shared/type-rule.js";

export default defineRule({
  meta: {
    id: "prefer-bigint-over-int",
    description: "An integer (int4) or serial column: 32 bits run out at 2,147,483,647.",
    category: "style",
    defaultSeverity: "warning",
    fixable: true,
    messages: {
      int: "{{table}}.{{column}} is {{type}}: 32-bit integers stop at 2,147,483,647, and widening the column later rewrites the table.",
    },
    help: "Use bigint (or bigserial / bigint GENERATED … AS IDENTITY): 8 bytes instead of 4, and no overflow in practice.",
    docs: {
      rationale:
        "Ids and counters outgrow 32 bits more often than expected, and when they do inserts fail. Changing int to bigint later is a full table and index rewrite under an ACCESS EXCLUSIVE lock (see `changing-column-type`). bigint costs 4 more bytes per value.",
      bad: "CREATE TABLE events (id serial PRIMARY KEY, user_id integer);",
      good: "CREATE TABLE events (id bigserial PRIMARY KEY, user_id bigint);",
      peers: { squawk: ["prefer-bigint-over-int"], pgfence: ["prefer-bigint-over-int"] },
    },
  },
  check(ctx) {
    checkColumnTypes(ctx, (site) => {
      if (site.type.name === "integer") return { messageId: "int", replacement: "bigint" };
      if (site.type.name === "serial") return { messageId: "int", replacement: "bigserial" };
      return undefined;
    });
  },
});

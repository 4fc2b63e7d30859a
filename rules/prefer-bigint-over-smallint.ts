import { defineRule } from "../src/lint/rule.js";
import { checkColumnTypes } from "./_shared/type-rule.js";

export default defineRule({
  meta: {
    id: "prefer-bigint-over-smallint",
    description: "A smallint (int2) or smallserial column: 16 bits run out at 32,767.",
    category: "style",
    defaultSeverity: "warning",
    fixable: true,
    messages: {
      smallint: "{{table}}.{{column}} is {{type}}: 16-bit integers stop at 32,767, and widening the column later rewrites the table.",
    },
    help: "Use bigint (or bigserial); the space saved by smallint is usually lost to alignment padding anyway.",
    docs: {
      rationale:
        "smallint overflows at 32,767. Widening it later rewrites the table and its indexes under an ACCESS EXCLUSIVE lock, and thanks to alignment the 6 bytes saved per row often are not saved at all.",
      bad: "CREATE TABLE plans (id smallserial PRIMARY KEY, seats smallint);",
      good: "CREATE TABLE plans (id bigserial PRIMARY KEY, seats bigint);",
      peers: { squawk: ["prefer-bigint-over-smallint"] },
    },
  },
  check(ctx) {
    checkColumnTypes(ctx, (site) => {
      if (site.type.name === "smallint") return { messageId: "smallint", replacement: "bigint" };
      if (site.type.name === "smallserial") return { messageId: "smallint", replacement: "bigserial" };
      return undefined;
    });
  },
});

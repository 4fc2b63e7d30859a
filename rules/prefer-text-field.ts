import { defineRule } from "../src/lint/rule.js";
import { checkColumnTypes } from "./_shared/type-rule.js";

export default defineRule({
  meta: {
    id: "prefer-text-field",
    description: "A varchar(n) column: raising the limit later needs an ACCESS EXCLUSIVE lock, lowering it rewrites the table.",
    category: "style",
    defaultSeverity: "warning",
    fixable: true,
    messages: {
      varchar: "{{table}}.{{column}} is {{type}}: changing the limit later takes an ACCESS EXCLUSIVE lock (and rewrites the table when it shrinks), while a CHECK constraint can be changed online.",
    },
    help: "Use text, with `CHECK (length({{column}}) <= n)` if the limit matters: the CHECK can be replaced NOT VALID and validated without blocking.",
    docs: {
      rationale:
        "In PostgreSQL, varchar(n) and text are stored the same way; the limit is only a check. But the limit is part of the type, so changing it is an ALTER COLUMN TYPE: raising it is catalog-only yet still takes an ACCESS EXCLUSIVE lock, and lowering it rewrites the table. A CHECK constraint on text expresses the same limit and can be swapped online (`NOT VALID`, then `VALIDATE`).",
      bad: "CREATE TABLE users (email varchar(255) NOT NULL);",
      good: "CREATE TABLE users (email text NOT NULL CHECK (length(email) <= 255));",
      peers: { squawk: ["prefer-text-field"], pgfence: ["prefer-text-field"] },
    },
  },
  check(ctx) {
    checkColumnTypes(ctx, (site) => (site.type.name === "character varying" && site.type.mods.length ? { messageId: "varchar", replacement: "text" } : undefined));
  },
});

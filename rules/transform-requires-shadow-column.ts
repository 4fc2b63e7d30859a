import { defineRule } from "../src/lint/rule.js";
import { excerpt } from "../src/invert/plan.js";

export default defineRule({
  meta: {
    id: "transform-requires-shadow-column",
    description: "A data transform (a converting type change, an overwriting UPDATE) without a preserved copy of the old values.",
    category: "reversibility",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      transform: "`{{statement}}` overwrites values no down can restore: {{reason}}.",
    },
    help: "Keep the originals first, in the same migration: `ALTER TABLE t ADD COLUMN c_old <old type>; UPDATE t SET c_old = c;` (or `CREATE TABLE t_backup AS SELECT id, c FROM t`). The generated down then restores from the copy; drop the copy in a later migration.",
    docs: {
      rationale:
        "A type change that is not a lossless widening (float to integer, text to a shorter type with USING, jsonb rebuilt with an expression) or an UPDATE that overwrites a column destroys the old values: the down can restore the type, not what was in the rows. With a shadow copy made before the transform (found by following the data flow of the migration), the transform becomes reversible and the generated down restores the values from it.",
      bad: "ALTER TABLE products ALTER COLUMN price TYPE integer USING round(price)::integer;",
      good: "ALTER TABLE products ADD COLUMN price_before real;\nUPDATE products SET price_before = price;\nALTER TABLE products ALTER COLUMN price TYPE integer USING round(price)::integer;",
      runner: { history: "CREATE TABLE products (id serial PRIMARY KEY, price real);" },
    },
  },
  check(ctx) {
    for (const s of ctx.plan.statements) {
      if (s.cause !== "transform") continue;
      ctx.report({ messageId: "transform", range: s.source.range, data: { statement: excerpt(s.source.text, 60), reason: s.reason ?? "the old values are lost" } });
    }
  },
});

import { defineRule } from "../src/lint/rule.js";
import { popUnit } from "../src/layout/pop-unit.js";
import { downIsExpected } from "./_shared/downs.js";

export default defineRule({
  meta: {
    id: "missing-down",
    description: "The layout keeps downs, and this migration's down is absent or empty although the up changes the schema.",
    category: "reversibility",
    defaultSeverity: "warning",
    fixable: true,
    messages: {
      absent: "This migration has no down ({{target}}), so it cannot be rolled back.",
      empty: "This down is empty, but the up changes the schema: rolling back would silently do nothing.",
    },
    help: "Write the generated down with `migration-lint --fix` (`--force` to replace a down that holds only comments), or review it first with `migration-lint down <file>`.",
    docs: {
      rationale:
        "Where the framework runs downs (diesel, golang-migrate, Flyway undo, sqitch revert, …) a missing or empty down makes a rollback fail, or worse, report success without undoing anything. migration-lint knows the inverse of the up from the replayed history and can write it.",
      bad: "ALTER TABLE users ADD COLUMN nickname text;",
      good: "ALTER TABLE users ADD COLUMN nickname text;",
      runner: { history: "CREATE TABLE users (id serial PRIMARY KEY);" },
      downs: { bad: "", good: "ALTER TABLE users DROP COLUMN nickname;" },
    },
  },
  check(ctx) {
    const m = ctx.migration;
    if (!downIsExpected(ctx)) return;
    // ory/pop splits a version into steps whose downs undo them together (step 0's down undoes the
    // last step): an empty down of one step is fine when a sibling step has a down.
    if (ctx.set.layout === "pop" && popUnit(m) !== m.id) {
      const key = popUnit(m);
      const unit = ctx.set.migrations.filter((x) => !x.prelude && popUnit(x) === key);
      if (unit.some((x) => x !== m && x.down && x.down.text.replace(/--[^\n]*/g, "").trim() !== "")) return;
      // All steps' downs are empty: say it once, on the last step.
      if (unit.at(-1) !== m) return;
    }
    if (!m.down || !ctx.down) {
      ctx.report({ messageId: "absent", ...(ctx.statements[0] ? { statement: ctx.statements[0] } : {}), data: { target: m.downTarget.path } });
      return;
    }
    if (ctx.down.statements.length === 0 && ctx.down.syntaxErrors.length === 0 && !m.down.dynamic?.length) ctx.report({ messageId: "empty", path: m.down.path });
  },
});

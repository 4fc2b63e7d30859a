import { defineRule } from "../src/lint/rule.js";
import type { ParsedSql } from "../src/parse/types.js";
import { downIsExpected } from "./_shared/downs.js";

const isEmpty = (p: ParsedSql): boolean => p.statements.length === 0 && p.syntaxErrors.length === 0;

export default defineRule({
  meta: {
    id: "empty-migration",
    description: "An up or down file with no SQL statement (empty or comments only); an empty down that should undo the up is `missing-down`'s finding instead.",
    category: "correctness",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      emptyUp: "This migration has no SQL statement.",
      emptyDown: "This down file has no SQL statement: rolling back would silently do nothing.",
    },
    help: {
      emptyUp: "Delete the file, or add the statements it was meant to hold.",
      emptyDown: "Generate the down with `migration-lint --fix --force`, or mark the migration irreversible on purpose with a comment and an ignore directive.",
    },
    docs: {
      rationale:
        "An empty up is usually a forgotten file. An empty down is worse: the rollback reports success and leaves the schema as it was, so the next up fails or, silently, the application runs against the wrong schema. Hand-written downs are often left empty; this rule makes that a decision instead of an accident.",
      bad: "-- nothing here yet\n",
      good: "ALTER TABLE users ADD COLUMN nickname text;",
    },
  },
  check(ctx) {
    // SQL that exists but is only known at run time (dynamic-sql) is not an empty migration.
    if (isEmpty(ctx.up) && !ctx.migration.up.dynamic?.length) ctx.report({ messageId: "emptyUp" });
    // Where a down is expected, an empty one is missing-down's (fixable) finding.
    if (ctx.down && ctx.migration.down && isEmpty(ctx.down) && !ctx.migration.down.dynamic?.length && !downIsExpected(ctx)) ctx.report({ messageId: "emptyDown", path: ctx.migration.down.path });
  },
});

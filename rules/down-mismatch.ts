import { downMismatches } from "../src/invert/down-check.js";
import { defineRule } from "../src/lint/rule.js";

export default defineRule({
  meta: {
    id: "down-mismatch",
    description: "The hand-written down does not restore the schema the up changed.",
    category: "reversibility",
    defaultSeverity: "error",
    fixable: true,
    messages: {
      missing: "After this down, {{what}} is missing: the down does not restore it.",
      extra: "After this down, {{what}} is still there: the up created it and the down does not remove it.",
      changed: "After this down, {{what}} is {{actual}} instead of {{expected}}.",
    },
    help: {
      missing: "Add the statement that re-creates it (`migration-lint down <file>` prints a generated down to compare with), or regenerate the down with `--fix --force`.",
      extra: "Drop it in the down (with IF EXISTS), or regenerate the down with `--fix --force`.",
      changed: "Restore the previous definition in the down, or regenerate the down with `--fix --force`.",
    },
    docs: {
      rationale:
        "Hand-written downs are rarely run, so they rot: a column re-added with the wrong type, an index or a constraint forgotten, an object the up created left behind so that running the up again fails. migration-lint replays the history, applies the up and then the down to its catalog, and compares the result with the catalog before the up, so every difference is reported in the down file without a database.",
      bad: "CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);\nCREATE INDEX users_email_idx ON users (email);",
      good: "CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);\nCREATE INDEX users_email_idx ON users (email);",
      downs: { bad: "DROP INDEX users_email_idx;", good: "DROP TABLE users;" },
      peers: {},
    },
  },
  check(ctx) {
    if (!ctx.down || !ctx.migration.down || ctx.catalogAfterDown === undefined) return;
    const found = downMismatches({ before: ctx.catalogBefore, afterUp: ctx.catalogAfter, afterDown: ctx.catalogAfterDown, down: ctx.down });
    for (const m of found ?? []) {
      const d = m.difference;
      ctx.report({
        messageId: d.kind,
        path: ctx.migration.down.path,
        range: m.range,
        data: { what: m.what, expected: d.expected ?? "", actual: d.actual ?? "" },
      });
    }
  },
});

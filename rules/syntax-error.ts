import { defineRule } from "../src/lint/rule.js";

export default defineRule({
  meta: {
    id: "syntax-error",
    description: "The file does not parse with PostgreSQL's grammar.",
    category: "correctness",
    defaultSeverity: "error",
    fixable: false,
    messages: { syntax: "{{message}}" },
    help: "Fix the SQL: PostgreSQL would reject this file at this position.",
    docs: {
      rationale:
        "A migration (or a hand-written down) that does not parse fails the moment it runs. Down files are rarely run, so a broken one is usually found during an incident. migration-lint parses every up and down with PostgreSQL's own grammar and reports the exact position PostgreSQL reports; the rest of a broken file is still parsed statement by statement, so one error does not hide others.",
      bad: "ALTER TABLE users DROP CONSTRAINT users_pkey\nALTER TABLE users ADD COLUMN id serial PRIMARY KEY;",
      good: "ALTER TABLE users DROP CONSTRAINT users_pkey;\nALTER TABLE users ADD COLUMN id serial PRIMARY KEY;",
      peers: { squawk: ["syntax-error"] },
    },
  },
  check(ctx) {
    for (const e of ctx.up.syntaxErrors) {
      ctx.report({ messageId: "syntax", range: { start: e.position, end: e.position }, data: { message: e.message } });
    }
    if (ctx.down && ctx.migration.down) {
      for (const e of ctx.down.syntaxErrors) {
        ctx.report({ messageId: "syntax", path: ctx.migration.down.path, range: { start: e.position, end: e.position }, data: { message: e.message } });
      }
    }
  },
});

import { defineRule } from "../src/lint/rule.js";

/**
 * Made once per set by `src/lint/set-findings.ts` from the layout's stray files (a stray file has no
 * migration for a per-migration `check` to run on); `check` has nothing to do.
 */
export default defineRule({
  meta: {
    id: "stray-migration-file",
    description: "A SQL file in a migration folder that the runner never applies (a drizzle file missing from the journal, a name the layout does not use).",
    category: "correctness",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      stray: "The runner never applies this file, so its SQL never runs: {{why}}.",
    },
    help: {
      stray:
        "Make it a migration the runner applies (for drizzle: generate it with drizzle-kit, or add its entry to meta/_journal.json; otherwise name it as the other migrations), or move it out of the migration folder.",
    },
    docs: {
      rationale:
        "A hand-written file dropped into the migration folder looks like a migration in review, yet the runner never applies it: drizzle-orm applies only the entries of `meta/_journal.json`, and every runner ignores names it does not recognise. The change it holds silently never reaches a database, and migration-lint would otherwise pass it with no finding at all. Linting a whole folder reports every such file; a hook that names the file reports it too.",
      bad: "-- drizzle/0007_add_name.sql, written by hand; meta/_journal.json ends with 0006_…:\nALTER TABLE users ADD COLUMN IF NOT EXISTS name text;",
      good: "-- drizzle/0007_add_name.sql with its entry { \"idx\": 7, \"tag\": \"0007_add_name\", … } in meta/_journal.json:\nALTER TABLE users ADD COLUMN IF NOT EXISTS name text;",
      project: true,
    },
  },
  check() {},
});

import { defineRule } from "../src/lint/rule.js";

/**
 * Made by `src/history/lock.ts` against `migration-lint.lock`, once per set (the lock is read by the
 * CLI, and a rule never reads files); `check` has nothing to do.
 */
export default defineRule({
  meta: {
    id: "migration-modified",
    description: "A migration recorded in migration-lint.lock (applied) was edited afterwards.",
    category: "history",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      changed:
        "{{id}} changed after it was locked in {{lockFile}} (sha256 {{locked}}… is now {{actual}}…): databases that already ran it will never see the edit.",
      journalWhen:
        "The journal's `when` of {{id}} changed after it was locked ({{locked}} → {{actual}}): drizzle-orm compares it with the last applied migration to decide what to run.",
    },
    help: {
      changed:
        "Revert the edit and put the change in a new migration. If the edit cannot reach a database (a comment, whitespace), run `migration-lint lock` to record the new checksum.",
      journalWhen: "Restore the entry's `when` in meta/_journal.json; put schema changes in a new migration (drizzle-kit generate).",
    },
    docs: {
      rationale:
        "Runners apply a migration once and remember its version; editing the file afterwards changes nothing on the databases that already ran it, while fresh databases (CI, a new developer, a restored replica) get the edited version. The environments drift apart silently, and the next migration that relies on the edit fails in production only. `migration-lint lock` records the sha256 of every migration once it is applied; lint then flags any locked migration whose SQL changed (for a dbmate-style file holding both directions only the up section counts, so fixing a down is not an edit). For drizzle the checksum is the same sha256 drizzle-orm stores in `__drizzle_migrations.hash`, and the journal's `when` of locked entries is checked too.",
      bad: "-- 20240110_create_users.sql, locked after it was applied, then edited to add NOT NULL:\nCREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);",
      good: "-- 20240110_create_users.sql stays as it was locked; the change is a new migration, 20240301_email_not_null.sql:\nALTER TABLE users ALTER COLUMN email SET NOT NULL;",
      project: true,
    },
  },
  check() {},
});

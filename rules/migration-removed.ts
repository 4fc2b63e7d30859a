import { defineRule } from "../src/lint/rule.js";

/**
 * Made by `src/history/lock.ts` against `migration-lint.lock`, in the lock file at the entry of the
 * missing migration (it has no file left to report in); `check` has nothing to do.
 */
export default defineRule({
  meta: {
    id: "migration-removed",
    description: "A migration recorded in migration-lint.lock (applied) no longer exists.",
    category: "history",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      removed: "{{id}} is locked as applied but is no longer in {{root}} (was {{path}}): databases that ran it keep its changes, fresh databases will not get them.",
    },
    help: {
      removed: "Restore the migration file. If it was never applied anywhere, run `migration-lint lock` to forget it.",
    },
    docs: {
      rationale:
        "Deleting or renaming an applied migration leaves every existing database with changes that a fresh database no longer gets, and some runners refuse to start when their history table names a migration they cannot find (Flyway's validate, sqlx's `migrate run`). Squashing old migrations is a legitimate reason: do it deliberately and run `migration-lint lock` afterwards. The finding points at the migration's entry in migration-lint.lock.",
      bad: '-- migration-lint.lock still lists a file that was deleted:\n--   { "id": "20240110_create_users", "path": "migrations/20240110_create_users.sql", "sha256": "9f86d0…" }\n',
      good: "-- migrations/20240110_create_users.sql is still there, as it was locked:\nCREATE TABLE users (id bigint PRIMARY KEY, email text);",
      project: true,
    },
  },
  check() {},
});

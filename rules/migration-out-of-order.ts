import { defineRule } from "../src/lint/rule.js";

/**
 * Made by `src/history/lock.ts` from `migration-lint.lock` and drizzle's journal, once per set;
 * `check` has nothing to do.
 */
export default defineRule({
  meta: {
    id: "migration-out-of-order",
    description: "A new migration sorts before the last locked (applied) one, or a drizzle journal `when` goes backwards.",
    category: "history",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      sortsBefore:
        "{{id}} is new but sorts before {{last}}, the last locked migration: runners that track only the latest version skip it, the others apply it out of order.",
      drizzleWhen:
        "{{id}} has journal `when` {{when}}, not later than {{last}} ({{lastWhen}}), which is already locked: drizzle-orm's migrate() skips migrations older than the last one applied.",
      journalOrder:
        "{{id}} has journal `when` {{when}}, not later than {{previous}} ({{previousWhen}}) before it: a database that applied {{previous}} skips it (drizzle-orm runs only migrations newer than the last applied one).",
    },
    help: {
      sortsBefore: "Give it a version after {{last}} (rename it with a newer timestamp) so every environment applies it last.",
      drizzleWhen: "Set its `when` in meta/_journal.json to a time after {{lastWhen}}, or regenerate the migration after merging (drizzle-kit generate).",
      journalOrder: "Set its `when` in meta/_journal.json to a time after {{previousWhen}}, or regenerate the migration after merging (drizzle-kit generate).",
    },
    docs: {
      rationale:
        "Two branches that each add a migration merge in the order they are merged, not the order they were written. A migration that sorts before one already applied is skipped by runners that only remember the latest version (golang-migrate, drizzle-orm's `when` check) and applied out of order by the others, so environments end up with different schemas. Against migration-lint.lock, a migration that is not locked yet but sorts before the last locked one is reported; for drizzle, a journal entry whose `when` is not later than the newest locked entry (or than the entry before it) is reported at its journal line.",
      bad: "-- migration-lint.lock ends with 20240301_add_orders; this new file is 20240215_add_invoices.sql:\nCREATE TABLE invoices (id bigint PRIMARY KEY);",
      good: "-- the new file is named 20240305_add_invoices.sql, after the last locked migration:\nCREATE TABLE invoices (id bigint PRIMARY KEY);",
      project: true,
    },
  },
  check() {},
});

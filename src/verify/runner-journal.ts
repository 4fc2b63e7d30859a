/**
 * The runner's journal table, created before the history as the real runner creates it before its first
 * migration: a migration that reads or guards on it (`SELECT … FROM __diesel_schema_migrations`) runs
 * in verify as it does in production. Fed into `VerifyOptions.setupSql`; the table is the platform's, so it
 * is in no diff. The DDL is the journal module's own (`src/layout/diesel-journal.ts`), never a copy.
 *
 * Only diesel so far: every other runner journal has its `createSql` too, but turning them all on changes
 * what verify sees on every layout and has not been measured on the corpus yet.
 */
import { dieselJournal } from "../layout/diesel-journal.js";
import type { LayoutId } from "../layout/types.js";

/** The DDL of the journal the layout's runner keeps, or nothing when it is not wired in yet. */
export function runnerJournalSql(layout: LayoutId | undefined): string[] {
  return layout === "diesel" ? dieselJournal.createSql({}) : [];
}

/**
 * The runner's journal table, created before the history as the real runner creates it before its first
 * migration: a migration that reads or guards on it (`SELECT … FROM __diesel_schema_migrations`) runs
 * in verify as it does in production. Fed into `VerifyOptions.setupSql`; the table is the platform's, so it
 * is in no diff.
 *
 * Only diesel so far (its `setup_migration_table.sql`, see ../shared/research/anchors-execution.md). The
 * runner journals of `src/layout/journal.ts` carry each runner's `createSql`; once they exist this
 * becomes a lookup there.
 */
import type { LayoutId } from "../layout/types.js";

const DIESEL = `CREATE TABLE IF NOT EXISTS __diesel_schema_migrations (
       version VARCHAR(50) PRIMARY KEY NOT NULL,
       run_on TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP
);`;

/** The DDL of the journal the layout's runner keeps, or nothing when it is not known yet. */
export function runnerJournalSql(layout: LayoutId | undefined): string[] {
  return layout === "diesel" ? [DIESEL] : [];
}

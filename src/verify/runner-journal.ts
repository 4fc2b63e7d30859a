/**
 * The runner's journal table, created before the history as the real runner creates it before its first
 * migration: a migration that reads or guards on it (`SELECT … FROM __diesel_schema_migrations`,
 * `schema_migrations`, `_sqlx_migrations`, `flyway_schema_history`, `_prisma_migrations`, …) runs in
 * verify as it does in production. Fed into `VerifyOptions.setupSql`; the table is the platform's, so it
 * is in no diff. Which journal: `journalFor` (the configured `journal` of a hand-made runner, else the
 * layout's runner); the DDL is the journal module's own `createSql`, never a copy.
 */
import type { Config } from "../config/schema.js";
import { journalFor, journalSettings } from "../layout/journals.js";
import type { JournalSettings } from "../layout/journal.js";
import { quotedIfNeeded } from "../layout/journal-support.js";
import type { LayoutId, SqlFile } from "../layout/types.js";
import { VerifyUsageError } from "./errors.js";

/** The journal the layout's runner keeps, as one setup script (none for a layout without a known runner journal). */
export function runnerJournalSql(layout: LayoutId | undefined, config: Pick<Config, "journal"> = {}): SqlFile[] {
  const settings = settingsOf(config);
  if (!layout && !settings.custom) return [];
  const journal = journalFor(layout ?? "plain", settings);
  if (!journal) return [];
  const { schema, table } = journal.location(settings);
  // The runners that let the journal live elsewhere create (or expect) its schema first; a journal DDL
  // that creates its own schema (sqitch's registry) is unaffected by IF NOT EXISTS.
  const own = schema === "public" ? [] : [`CREATE SCHEMA IF NOT EXISTS ${quotedIfNeeded(schema)}`];
  const text = [...own, ...journal.createSql(settings)].map((s) => `${s.trimEnd().replace(/;$/, "")};\n`).join("");
  return [{ path: `${journal.runner}'s journal ${schema}.${table} (created as the runner creates it)`, text }];
}

/** The config's `journal` key as the journals read it (an inconsistent one is the user's error: one line, exit 2). */
function settingsOf(config: Pick<Config, "journal">): JournalSettings {
  try {
    return journalSettings(config);
  } catch (error) {
    if (error instanceof RangeError) throw new VerifyUsageError(error.message);
    throw error;
  }
}

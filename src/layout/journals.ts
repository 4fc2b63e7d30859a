/**
 * Which journal a migration set's runner keeps: the configured one for hand-made runners (config key
 * `journal` with an `idColumn`), else the journal of the runner behind the set's layout. Other runners'
 * journals join through `RUNNER_JOURNALS` (one module per runner, beside its layout).
 */
import type { Config } from "../config/schema.js";
import { customJournal } from "./custom-journal.js";
import { drizzleJournal } from "./drizzle-journal.js";
import type { JournalSettings, RunnerJournal } from "./journal.js";
import { runnerJournals } from "./runner-journals.js";
import type { LayoutId } from "./types.js";

/** Every runner's journal but the configurable one. */
export const RUNNER_JOURNALS: readonly RunnerJournal[] = [drizzleJournal, ...runnerJournals];

export function journalFor(layout: LayoutId, settings: JournalSettings, journals: readonly RunnerJournal[] = RUNNER_JOURNALS): RunnerJournal | undefined {
  if (settings.custom) return customJournal;
  return journals.find((j) => j.layouts.includes(layout));
}

/** The config's `journal` key as the journals read it. */
export function journalSettings(config: Pick<Config, "journal">): JournalSettings {
  const j = config.journal;
  if (!j) return {};
  const { schema, table, lockTable, idColumn, appliedAtColumn, statusColumn, appliedValues, failedValues, rolledBackAtColumn } = j;
  const settings: JournalSettings = {};
  if (schema !== undefined) settings.schema = schema;
  if (table !== undefined) settings.table = table;
  if (lockTable !== undefined) settings.lockTable = lockTable;
  if (idColumn !== undefined) {
    if (table === undefined) throw new RangeError("journal.idColumn needs journal.table (the table holding the applied migrations)");
    settings.custom = {
      table,
      idColumn,
      ...(schema !== undefined ? { schema } : {}),
      ...(appliedAtColumn !== undefined ? { appliedAtColumn } : {}),
      ...(statusColumn !== undefined ? { statusColumn } : {}),
      ...(appliedValues !== undefined ? { appliedValues } : {}),
      ...(failedValues !== undefined ? { failedValues } : {}),
      ...(rolledBackAtColumn !== undefined ? { rolledBackAtColumn } : {}),
    };
  }
  return settings;
}

/**
 * What `status` and `rollback` start from: the one migration set under the paths, analysed (replayed,
 * downs planned), its runner's journal with the config's settings, and the lock file's entries for it.
 */
import { resolveConfig, type LintOptions } from "../api.js";
import { InputError } from "../errors.js";
import { analyzedSets } from "../history/api.js";
import { lockPaths } from "../history/lint.js";
import { lockedSetFor } from "../history/lock.js";
import { findLock, readLock, type LockedSet } from "../history/lock-file.js";
import type { JournalSettings, RunnerJournal } from "../layout/journal.js";
import { journalFor, journalSettings } from "../layout/journals.js";
import type { AnalyzedSet } from "../pipeline/analyze.js";

export interface LiveContext {
  analyzed: AnalyzedSet;
  journal: RunnerJournal;
  settings: JournalSettings;
  /** The lock file's entries for this set: how `status` tells modified files where the runner keeps no hash. */
  locked?: LockedSet;
  lockFile?: string;
}

export async function loadLiveContext(paths: readonly string[], options: Pick<LintOptions, "cwd" | "configPath" | "layout" | "onProgress">): Promise<LiveContext> {
  const cwd = options.cwd ?? process.cwd();
  const { config } = await resolveConfig({ cwd, ...(options.configPath ? { configPath: options.configPath } : {}) });
  let settings: JournalSettings;
  try {
    settings = journalSettings(config);
  } catch (error) {
    throw new InputError(error instanceof Error ? error.message : String(error));
  }
  const sets = await analyzedSets(paths, { ...options, cwd });
  if (sets.length > 1) {
    throw new InputError(`a live database runs one migration set; found ${sets.length} (${sets.map((s) => s.set.root).join(", ")}): name its folder`);
  }
  const analyzed = sets[0]!;
  const journal = journalFor(analyzed.set.layout, settings);
  if (!journal) {
    throw new InputError(
      `no journal is known for the ${analyzed.set.layout} layout (${analyzed.set.root}): describe the runner's table in the config's "journal" key (table, idColumn; see docs/rollback.md)`,
    );
  }
  const file = findLock(cwd);
  const context: LiveContext = { analyzed, journal, settings };
  if (file) {
    const lock = await readLock(file, cwd);
    const locked = lockedSetFor(lock, analyzed.set, lockPaths(cwd, { path: file }));
    if (locked) {
      context.locked = locked;
      context.lockFile = lock.display;
    }
  }
  return context;
}

/**
 * `plan --rollback --database-url`: the same combined script as without a database, but over the applied
 * range the live journal lists (the newest N applied, or every applied one after `--to`), not over files.
 * Read-only: the journal is read, nothing else runs.
 */
import { InputError } from "../errors.js";
import type { DownSource, RollbackPlan, RollbackRange } from "../history/rollback.js";
import type { LintOptions } from "../api.js";
import type { LayoutId } from "../layout/types.js";
import { connectLive } from "./connect.js";
import { loadLiveContext } from "./context.js";
import { appliedRange } from "./range.js";

export async function appliedRollbackPlan(
  paths: readonly string[],
  range: RollbackRange,
  options: Pick<LintOptions, "cwd" | "configPath" | "onProgress"> & { layout?: LayoutId; url: string; downs: DownSource },
): Promise<RollbackPlan> {
  const cwd = options.cwd ?? process.cwd();
  const { analyzed, journal, settings } = await loadLiveContext(paths, {
    cwd,
    ...(options.configPath ? { configPath: options.configPath } : {}),
    ...(options.layout ? { layout: options.layout } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const live = await connectLive(options.url);
  try {
    const state = await journal.read(live, analyzed.set, settings);
    return appliedRange(analyzed, state, range, options.downs, cwd).plan;
  } catch (error) {
    if (error instanceof RangeError) throw new InputError(error.message);
    throw error;
  } finally {
    await live.end();
  }
}

/**
 * The `--generated` hook: downs from the down generator instead of the hand-written files. The pipeline
 * replays the set and plans each migration's down (`plan.sql`); this turns those into a `DownSupplier`.
 */
import type { MigrationSet } from "../layout/types.js";
import { analyzeSet, type AnalyzeOptions } from "../pipeline/analyze.js";
import type { DownSupplier } from "./verify.js";

export function generatedDowns(set: MigrationSet, options: Pick<AnalyzeOptions, "settings" | "searchPath">): DownSupplier {
  const analyzed = analyzeSet(set, { ...options, rules: [], lint: false });
  const sql = new Map(analyzed.migrations.map((m) => [m.migration.id, m.plan.sql]));
  return (migration) => {
    const text = sql.get(migration.id);
    // The generated down is not a file yet; name it after the up so error locations read well.
    return text === undefined ? undefined : { path: `${migration.up.path} (generated down)`, text };
  };
}

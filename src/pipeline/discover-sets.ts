/**
 * The migration sets under some paths, as a config describes them. Its own module, apart from api.ts,
 * so `--cache` can find the sets of a run (and hash them) without loading the analysis: on a cache hit
 * nothing else is needed (src/cli/cached-report.ts).
 */
import type { Config } from "../config/schema.js";
import { discover, type DiscoveredSet } from "../layout/discover.js";
import type { DiscoveryFs } from "../layout/fs.js";
import type { LayoutId } from "../layout/types.js";

export async function discoverSets(
  paths: readonly string[],
  options: { cwd: string; layout?: LayoutId; config: Config; baseDir: string; fs?: DiscoveryFs },
): Promise<DiscoveredSet[]> {
  return discover(paths.length ? [...paths] : ["."], {
    cwd: options.cwd,
    layout: options.layout ?? options.config.layout,
    configDir: options.baseDir,
    transaction: options.config.transaction,
    history: options.config.history,
    include: options.config.include,
    exclude: options.config.exclude,
    ...(options.fs ? { fs: options.fs } : {}),
  });
}

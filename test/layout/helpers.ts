/** In-memory trees for layout tests: a tree in, the discovered sets out. */
import { expect } from "vitest";
import { discover, memoryFs, type DiscoverOptions, type DiscoveredSet } from "../../src/layout/index.js";
import type { Migration, MigrationSet } from "../../src/layout/types.js";

export const CWD = "/repo";

export async function discoverTree(
  tree: Record<string, string | undefined>,
  paths: string[] = ["."],
  options: Partial<DiscoverOptions> = {},
): Promise<DiscoveredSet[]> {
  return discover(paths, { cwd: CWD, fs: memoryFs(tree, CWD), ...options });
}

export async function onlySet(tree: Record<string, string | undefined>, paths?: string[], options?: Partial<DiscoverOptions>): Promise<MigrationSet> {
  const sets = await discoverTree(tree, paths, options);
  expect(sets.map((s) => s.set.root)).toHaveLength(1);
  return sets[0]!.set;
}

/** The facts a layout owes every migration, in a shape a table assertion can compare. */
export function facts(m: Migration) {
  return {
    id: m.id,
    version: m.version,
    up: m.up.path,
    down: m.down?.path,
    expectsDown: m.expectsDown,
    target: m.downTarget,
    transactional: m.transactional,
    mode: m.transactionMode,
  };
}

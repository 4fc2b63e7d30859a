/**
 * The `<version>_<name>.up.sql` / `.down.sql` family shared by golang-migrate, sqlx and concourse's
 * migrator. The files look the same; the runners differ in how they order versions (all three as
 * integers) and in whether they wrap a migration in a transaction, which each layout supplies.
 */
import { at, readSql, strays, topLevel, type TransactionFacts } from "./common.js";
import { compareNumeric, compareText } from "./version.js";
import type { DirListing, LayoutFs, LayoutId, Migration, MigrationSet } from "./types.js";

export const PAIR = /^(\d+)_(.+)\.(up|down)\.sql$/;
/** A migration written in Go beside the SQL ones (concourse): `<version>_<name>.up.go`. */
export const CODE_MIGRATION = /^(\d+)_(.+)\.(up|down)\.go$/;

interface Side {
  rel: string;
  name: string;
}

export interface Pair {
  version: string;
  up?: Side;
  down?: Side;
}

/**
 * Versions found in the root folder. An up and a down of one version pair up whatever their names
 * (concourse has `1554469235_add_new_inputs_to_job.down.sql` beside `…_to_jobs.up.sql`). Several
 * migrations sharing a version pair by name when `sameVersion` allows it (concourse runs them all);
 * otherwise the extra files are strays (golang-migrate and sqlx refuse duplicate versions).
 */
export function collectPairs(dir: DirListing, sameVersion = false): { pairs: Pair[]; duplicates: string[] } {
  const byVersion = new Map<string, { version: string; ups: Side[]; downs: Side[] }>();
  for (const rel of topLevel(dir)) {
    const m = PAIR.exec(rel);
    if (!m) continue;
    const [, version, name, direction] = m as unknown as [string, string, string, "up" | "down"];
    // The runners parse the version as an integer, so `001` and `1` are the same version.
    const key = version.replace(/^0+(?=\d)/, "");
    const group = byVersion.get(key) ?? { version, ups: [], downs: [] };
    (direction === "up" ? group.ups : group.downs).push({ rel, name });
    byVersion.set(key, group);
  }
  const pairs: Pair[] = [];
  const duplicates: string[] = [];
  for (const { version, ups, downs } of byVersion.values()) {
    if (ups.length <= 1 && downs.length <= 1) {
      pairs.push({ version, up: ups[0], down: downs[0] });
      continue;
    }
    const names = [...new Set([...ups, ...downs].map((s) => s.name))].sort();
    const grouped = names.map((name) => ({ version, up: ups.find((s) => s.name === name), down: downs.find((s) => s.name === name) }));
    if (sameVersion) pairs.push(...grouped);
    else {
      pairs.push(grouped[0]!);
      for (const g of grouped.slice(1)) duplicates.push(...[g.up?.rel, g.down?.rel].filter((r): r is string => r !== undefined));
    }
  }
  pairs.sort((a, b) => compareNumeric(a.version, b.version) || compareText((a.up ?? a.down)!.name, (b.up ?? b.down)!.name));
  return { pairs, duplicates };
}

export interface PairPolicy {
  layout: LayoutId;
  /** Transaction facts for a migration, from its up text. */
  transaction(upText: string): TransactionFacts;
  /** A version with only a down: the up is code kept beside the SQL (concourse); else a stray. */
  upInCode?: (pair: Pair, dir: DirListing) => string | undefined;
  /** The down is code (a `.down.go` beside the up.sql). */
  downInCode?: (pair: Pair, dir: DirListing) => boolean;
  /** The runner applies several migrations of one version (concourse). */
  sameVersion?: boolean;
}

export async function loadPairs(dir: DirListing, fs: LayoutFs, policy: PairPolicy): Promise<MigrationSet> {
  const { pairs } = collectPairs(dir, policy.sameVersion);
  const used = new Set<string>();
  const migrations: Migration[] = [];
  for (const pair of pairs) {
    const name = (pair.up ?? pair.down)!.name;
    const id = `${pair.version}_${name}`;
    const downName = `${pair.version}_${name}.down.sql`;
    if (!pair.up) {
      const code = policy.upInCode?.(pair, dir);
      if (!code) continue;
      used.add(pair.down!.rel);
      migrations.push({
        id,
        version: pair.version,
        name,
        up: { path: at(dir, code), text: "" },
        down: await readSql(dir, fs, pair.down!.rel),
        external: "up",
        expectsDown: true,
        downTarget: { kind: "file", path: at(dir, pair.down!.rel) },
        ...policy.transaction(""),
      });
      continue;
    }
    used.add(pair.up.rel);
    const up = await readSql(dir, fs, pair.up.rel);
    const migration: Migration = {
      id,
      version: pair.version,
      name,
      up,
      expectsDown: true,
      downTarget: { kind: "file", path: at(dir, pair.down?.rel ?? downName) },
      ...policy.transaction(up.text),
    };
    if (pair.down) {
      used.add(pair.down.rel);
      migration.down = await readSql(dir, fs, pair.down.rel);
    } else if (policy.downInCode?.(pair, dir)) {
      migration.external = "down";
      migration.expectsDown = false;
    }
    migrations.push(migration);
  }
  return { layout: policy.layout, root: dir.root, migrations, stray: strays(dir, used) };
}

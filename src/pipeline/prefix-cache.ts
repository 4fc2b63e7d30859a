/**
 * `--cache`, the history-prefix layer: the catalog after the history a run only replays, so the next
 * run that adds a migration after it (the pre-commit hook: one staged migration after hundreds)
 * restores that catalog and parses and replays only what follows.
 *
 * A set's history prefix is its migrations before the first one that is linted or not applied yet:
 * those are only replayed (no rule runs on them, no down of theirs is read), so all the analysis of
 * what follows takes from them is the catalog after them. That catalog is stored, encoded exactly
 * (src/catalog/codec.ts), under a key that chains everything it is a function of: the prefix format,
 * the tool version, the replay's settings (search path, and the target PostgreSQL version and runner
 * facts for good measure), the layout and root, and every migration of the prefix in order with its
 * facts, its paths and the content of its up and down (its `migrationDigest`). The key of the first k migrations is the chain
 * up to k, so a run finds the longest stored prefix of its own history (the one the last run stored,
 * one migration shorter after a commit) and replays from there.
 *
 * The entries live in the `--cache` file beside the outcomes (`OutcomeCache.side`), a few per set,
 * the newest kept. An entry that does not decode is dropped with a warning and the history replayed:
 * a damaged cache costs time, never a wrong result.
 *
 * The migrations of the prefix still appear in the result, as an outcome-cache hit's do (outcome.ts):
 * reading one of their syntax trees, catalogs or plans analyses the whole set again, first.
 */
import { createHash } from "node:crypto";
import { decodeCatalog, encodeCatalog } from "../catalog/codec.js";
import { emptyCatalog } from "../catalog/replay.js";
import type { Catalog } from "../catalog/types.js";
import type { MigrationSet } from "../layout/types.js";
import { CACHE_TOOL_ID } from "../meta.js";
import { analyzeMigrations, analyzeSet, lintsMigration, type AnalyzedSet, type AnalyzeOptions } from "./analyze.js";
import type { SideEntries } from "./cache.js";
import { migrationDigest } from "./migration-digest.js";
import { restoreSet } from "./outcome.js";

/** Bumped when the key or the entry changes shape, or the codec does. */
const PREFIX_FORMAT = 3;
const KEY_PREFIX = "prefix:";
/** Entries kept per set (the one a run restored and the one it stored), and in all. */
const PER_SET = 2;
const IN_ALL = 8;

interface PrefixEntry {
  /** Which set (its layout, root and settings): entries of one set replace each other. */
  set: string;
  /** How many migrations the catalog is after. */
  length: number;
  /** `encodeCatalog` of the catalog after them. */
  catalog: string;
  /** When it was stored or last restored (ms), the newest kept. */
  used: number;
}

export interface PrefixStats {
  /** Migrations whose replay was restored. */
  restored: number;
  /** Migrations the catalog was stored after (0: nothing stored). */
  stored: number;
}

/** How many migrations from the start are history only: before the first linted or unapplied one. */
export function historyPrefixLength(set: MigrationSet, options: AnalyzeOptions): number {
  const n = set.migrations.findIndex((m) => lintsMigration(m, options) || !!options.unapplied?.has(m.id));
  return n < 0 ? set.migrations.length : n;
}

/** The identity of a set for its prefixes: a sha256 over what the replay reads besides the migrations. */
function setIdentity(set: MigrationSet, options: AnalyzeOptions, tool: string): string {
  return createHash("sha256")
    .update(JSON.stringify({ format: PREFIX_FORMAT, tool, layout: set.layout, root: set.root, searchPath: options.searchPath, settings: options.settings }))
    .digest("hex");
}

/**
 * The keys of the set's first 1…`length` migrations (`keys[k - 1]` is the key of the first k), and the
 * set's identity. `tool` is the tool version (a parameter so the tests can see it in the key).
 */
export function prefixKeys(set: MigrationSet, options: AnalyzeOptions, length: number, tool = CACHE_TOOL_ID): { identity: string; keys: string[] } {
  const identity = setIdentity(set, options, tool);
  const hash = createHash("sha256").update(identity);
  const keys: string[] = [];
  for (let i = 0; i < length; i++) {
    hash.update(migrationDigest(set.migrations[i]!));
    keys.push(`${KEY_PREFIX}${hash.copy().digest("hex")}`);
  }
  return { identity, keys };
}

function isEntry(value: unknown): value is PrefixEntry {
  const e = value as Partial<PrefixEntry> | null;
  return typeof e === "object" && e !== null && typeof e.set === "string" && typeof e.length === "number" && typeof e.catalog === "string" && typeof e.used === "number";
}

/**
 * `analyzeSet`, restoring the replay of the longest stored prefix of the set's history and storing
 * the catalog after its history for the next run. Same result as `analyzeSet` (the tests compare).
 */
export function analyzeWithPrefix(
  set: MigrationSet,
  options: AnalyzeOptions,
  side: SideEntries,
  warn: (message: string) => void,
  stats?: PrefixStats,
): AnalyzedSet {
  const length = historyPrefixLength(set, options);
  if (length === 0) return analyzeSet(set, options);
  const { identity, keys } = prefixKeys(set, options, length);
  let restored: Catalog | undefined;
  let from = 0;
  for (let k = length; k >= 1 && !restored; k--) {
    const key = keys[k - 1]!;
    const entry = side.get(key);
    if (entry === undefined) continue;
    try {
      if (!isEntry(entry) || entry.length !== k || entry.set !== identity) throw new Error("not a history-prefix entry");
      restored = decodeCatalog(entry.catalog);
      from = k;
      entry.used = Date.now();
    } catch (error) {
      warn(`ignoring a damaged history-prefix entry (${(error as Error).message}); replaying the history`);
      side.delete(key);
    }
  }
  const tail = analyzeMigrations(set, options, from, restored ?? emptyCatalog());
  if (from < length) store(side, identity, keys[length - 1]!, length, length < set.migrations.length ? tail[length - from]!.catalogBefore : tail.at(-1)!.catalogAfter);
  if (stats) {
    stats.restored = from;
    stats.stored = from < length && side.has(keys[length - 1]!) ? length : 0;
  }
  if (from === 0) return { set, migrations: tail };
  // The prefix's migrations as an outcome-cache hit has them: their heavy parts from a new analysis.
  const history = restoreSet(set, { migrations: set.migrations.map(() => null) }, () => analyzeSet(set, { ...options, lint: false }));
  return { set, migrations: [...history.migrations.slice(0, from), ...tail] };
}

function store(side: SideEntries, identity: string, key: string, length: number, catalog: Catalog): void {
  let encoded: string;
  try {
    encoded = encodeCatalog(catalog);
  } catch {
    // A catalog the codec cannot write exactly is not cached (and the next run replays it again).
    return;
  }
  side.set(key, { set: identity, length, catalog: encoded, used: Date.now() } satisfies PrefixEntry);
  // The newest few of this set, and of all sets, are kept.
  const ours: [string, PrefixEntry][] = [];
  const all: [string, PrefixEntry][] = [];
  for (const [k, v] of side) {
    if (!k.startsWith(KEY_PREFIX)) continue;
    if (!isEntry(v)) {
      side.delete(k);
      continue;
    }
    all.push([k, v]);
    if (v.set === identity) ours.push([k, v]);
  }
  const newestFirst = (a: [string, PrefixEntry], b: [string, PrefixEntry]) => b[1].used - a[1].used || (b[0] === key ? 1 : a[0] === key ? -1 : 0);
  for (const [k] of ours.sort(newestFirst).slice(PER_SET)) side.delete(k);
  for (const [k] of all.filter(([k]) => side.has(k)).sort(newestFirst).slice(IN_ALL)) side.delete(k);
}

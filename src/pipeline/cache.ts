/**
 * `--cache`: the outcome of each set's analysis (per linted migration its down plan and findings, see
 * outcome.ts) kept in one file between runs, as ESLint's `--cache` keeps its results.
 *
 * An entry is keyed by everything the analysis is a function of: the tool version, the resolved
 * config (rules with their severities and options, target PostgreSQL version, search path, runner
 * timeouts), which migrations are linted and which are unapplied, and the set itself: layout, root,
 * and every migration in order with its paths, the content of its up and down, its sections and
 * transaction facts. So a change to any migration, one earlier in the history included, a config
 * change or a new version means a miss, and the set is analysed again. The lock file's checks run
 * after the analysis on every run, so they are never cached.
 *
 * A cache file that cannot be read or is not ours is ignored with a warning, and rewritten.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Config } from "../config/schema.js";
import type { MigrationSet } from "../layout/types.js";
import type { ResolvedRule } from "../lint/engine.js";
import { TOOL_VERSION } from "../meta.js";
import type { AnalyzeOptions } from "./analyze.js";
import type { SetOutcome } from "./outcome.js";

export const DEFAULT_CACHE_FILE = ".migration-lint-cache";
/** Bumped when the shape of an entry changes, so an old file is a clean miss. */
const FORMAT = 1;

interface CacheFile {
  format: typeof FORMAT;
  tool: string;
  entries: Record<string, SetOutcome>;
}

/** ESLint's convention: a location that is a folder (or ends in a separator) holds the default file name. */
export function cacheFilePath(cwd: string, location?: string): string {
  if (!location) return path.resolve(cwd, DEFAULT_CACHE_FILE);
  const resolved = path.resolve(cwd, location);
  const isDir = /[\\/]$/.test(location) || (existsSync(resolved) && statSync(resolved).isDirectory());
  return isDir ? path.join(resolved, DEFAULT_CACHE_FILE) : resolved;
}

export class OutcomeCache {
  private readonly old: Record<string, SetOutcome>;
  private readonly used: Record<string, SetOutcome> = {};
  hits = 0;
  misses = 0;

  private constructor(
    readonly file: string,
    entries: Record<string, SetOutcome>,
  ) {
    this.old = entries;
  }

  /** Reads the cache file; a missing one is empty, an unreadable or foreign one is empty and `warn`ed about. */
  static open(file: string, warn: (message: string) => void): OutcomeCache {
    if (!existsSync(file)) return new OutcomeCache(file, {});
    try {
      const data = JSON.parse(readFileSync(file, "utf8")) as Partial<CacheFile>;
      if (data.format !== FORMAT || typeof data.entries !== "object" || data.entries === null) throw new Error("not a migration-lint cache of this format");
      // Another version's entries could never match (the version is in every key): start afresh.
      return new OutcomeCache(file, data.tool === TOOL_VERSION ? data.entries : {});
    } catch (error) {
      warn(`ignoring the cache file ${file}: ${(error as Error).message}`);
      return new OutcomeCache(file, {});
    }
  }

  get(key: string): SetOutcome | undefined {
    const hit = this.old[key] ?? this.used[key];
    if (hit) {
      this.hits++;
      this.used[key] = hit;
    } else this.misses++;
    return hit;
  }

  put(key: string, outcome: SetOutcome): void {
    this.used[key] = outcome;
  }

  /** Writes the entries this run used (so the file does not grow with every edit), atomically. */
  save(warn: (message: string) => void): void {
    const data: CacheFile = { format: FORMAT, tool: TOOL_VERSION, entries: this.used };
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(this.file), { recursive: true });
      writeFileSync(tmp, JSON.stringify(data));
      renameSync(tmp, this.file);
    } catch (error) {
      // A cache that cannot be written costs the next run its speed, not its result.
      warn(`could not write the cache file ${this.file}: ${(error as Error).message}`);
      try {
        unlinkSync(tmp);
      } catch {
        // Nothing was written.
      }
    }
  }
}

/** The key of one set's analysis: a sha256 over everything it depends on. */
export function outcomeKey(set: MigrationSet, options: AnalyzeOptions, config: Config): string {
  const hash = createHash("sha256");
  const add = (value: unknown): void => {
    hash.update(JSON.stringify(value) ?? "null");
    hash.update("\0");
  };
  add({ format: FORMAT, tool: TOOL_VERSION });
  add(config);
  add({ settings: options.settings, searchPath: options.searchPath, lint: options.lint ?? true });
  add(options.rules.map((r: ResolvedRule) => [r.rule.meta.id, r.severity, r.options]));
  add(options.selected ? [...options.selected].sort() : null);
  add(options.unapplied ? [...options.unapplied].sort() : null);
  const { migrations, ...setFacts } = set;
  add(setFacts);
  // Each migration in order, its texts fed to the hash as they are (a long history is one pass over it).
  const addFile = (file: { text: string } | undefined): void => {
    if (!file) return add(null);
    const { text, ...where } = file;
    add(where);
    hash.update(text);
    hash.update("\0");
  };
  for (const m of migrations) {
    const { up, down, ...facts } = m;
    add(facts);
    addFile(up);
    addFile(down);
  }
  return hash.digest("hex");
}

/**
 * `--cache`: what a run computed, kept in one file between runs, as ESLint's `--cache` keeps its results.
 * Three layers:
 *
 * - **Reports**: the rendered output of a whole run (the text it printed and its exit code), keyed by
 *   everything that output is a function of (`reportKey`): the tool version and build (CACHE_TOOL_ID in
 *   src/meta.ts: a git install keeps its version across commits), the format and the options
 *   that change the text or the exit code, the working folder and paths, the config, the lock file, and
 *   every set the run found with every migration's content. An unchanged re-run prints the stored text:
 *   it discovers and hashes the files, and parses, replays and formats nothing (src/cli/cached-report.ts).
 *   The last few reports are kept (a CI job often prints the same run in two formats). Beside each run's
 *   report is its invocation's manifest (src/cli/report-manifest.ts: every file-system question the run
 *   asked, with its answer, keyed on the command line as typed), stored as a report of its own: an
 *   unchanged re-run is answered from it before the CLI loads, without discovery (src/cli/cached-rerun.ts).
 * - **Outcomes**: each set's analysis (per linted migration its down plan and findings, see outcome.ts),
 *   keyed by `outcomeKey`: the tool version, the resolved config (rules with their severities and
 *   options, target PostgreSQL version, search path, runner timeouts), which migrations are linted and
 *   which are unapplied, and the set itself: layout, root, and every migration in order with its paths,
 *   the content of its up and down, its sections and transaction facts. When a report misses (one file
 *   changed), only the sets that changed are analysed again. The lock file's checks run after the
 *   analysis, so they are not in the outcomes (they are in a report's key).
 *
 * - **History prefixes** (src/pipeline/prefix-cache.ts, its own module): per set, the catalog replayed
 *   from the migrations before the first linted one, kept beside the outcomes (`OutcomeCache.side`),
 *   so a set whose outcome misses because a migration was added after its history replays only that.
 *
 * So a change to any migration, one earlier in the history included, a config change or a new version
 * means a miss. The file is one JSON header line (the reports' keys, exit codes and byte lengths), the
 * reports' bytes, then the outcomes as JSON: a hit reads the header and copies its report's bytes,
 * without decoding the outcomes. A cache file that cannot be read or is not ours is ignored with a
 * warning, and rewritten.
 */
import { createHash } from "node:crypto";
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readFileSync, readSync, renameSync, statSync, unlinkSync, writeSync } from "node:fs";
import path from "node:path";
import type { Config } from "../config/schema.js";
import type { DiscoveredSet } from "../layout/discover.js";
import type { MigrationSet } from "../layout/types.js";
import type { ResolvedRule } from "../lint/engine.js";
import { CACHE_TOOL_ID } from "../meta.js";
import type { AnalyzeOptions } from "./analyze.js";
import { followGitFile } from "./git-dir-location.js";
import { migrationDigest } from "./migration-digest.js";
import type { SetOutcome } from "./outcome.js";

export const DEFAULT_CACHE_FILE = ".migration-lint-cache";
/** Bumped when the shape of the file or of an entry changes, so an old file is a clean miss. */
const FORMAT = 3;
/**
 * Reports kept: the ones of the last few distinct runs (formats, options), newest first. A run keeps two
 * (its report and its invocation's manifest, src/cli/report-manifest.ts).
 */
const MAX_REPORTS = 8;

/** One run's rendered output. */
export interface CachedReport {
  key: string;
  exitCode: number;
  output: Buffer;
}

/** The first line of the file. */
interface Header {
  format: typeof FORMAT;
  tool: string;
  reports: { key: string; exitCode: number; bytes: number }[];
}

/** What a cache file holds, for `writeCacheFile` and `readCacheFile` (the tests edit a cache through them). */
export interface CacheContents {
  tool: string;
  reports: CachedReport[];
  entries: Record<string, SetOutcome>;
}

/** The header and where each part starts; throws when the file is not a cache of this format. */
function readFrame(file: string): { header: Header; data: Buffer; reportsAt: number; outcomesAt: number } {
  const data = readFileSync(file);
  const nl = data.indexOf(10);
  if (nl < 0) throw new Error("not a migration-lint cache of this format");
  const header = JSON.parse(data.toString("utf8", 0, nl)) as Partial<Header>;
  if (header.format !== FORMAT || typeof header.tool !== "string" || !Array.isArray(header.reports)) throw new Error("not a migration-lint cache of this format");
  const reportsAt = nl + 1;
  const outcomesAt = reportsAt + header.reports.reduce((n, r) => n + r.bytes, 0);
  if (outcomesAt > data.length) throw new Error("the file is cut short");
  return { header: header as Header, data, reportsAt, outcomesAt };
}

function reportsOf(frame: ReturnType<typeof readFrame>): CachedReport[] {
  let at = frame.reportsAt;
  return frame.header.reports.map((r) => {
    const output = frame.data.subarray(at, at + r.bytes);
    at += r.bytes;
    return { key: r.key, exitCode: r.exitCode, output };
  });
}

export function readCacheFile(file: string): CacheContents {
  const frame = readFrame(file);
  const entries = JSON.parse(frame.data.toString("utf8", frame.outcomesAt)) as unknown;
  if (typeof entries !== "object" || entries === null) throw new Error("not a migration-lint cache of this format");
  return { tool: frame.header.tool, reports: reportsOf(frame), entries: entries as Record<string, SetOutcome> };
}

/** Writes the whole file atomically (a temporary file renamed over it). */
export function writeCacheFile(file: string, contents: CacheContents): void {
  const header: Header = { format: FORMAT, tool: contents.tool, reports: contents.reports.map((r) => ({ key: r.key, exitCode: r.exitCode, bytes: r.output.length })) };
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const fd = openSync(tmp, "w");
    try {
      writeSync(fd, `${JSON.stringify(header)}\n`);
      for (const r of contents.reports) writeSync(fd, r.output);
      writeSync(fd, JSON.stringify(contents.entries));
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (error) {
    try {
      unlinkSync(tmp);
    } catch {
      // Nothing was written.
    }
    throw error;
  }
}

/**
 * The stored report of `key`, or undefined (no file, another version, a file that is not ours: the
 * analysis that follows a miss opens the file again and warns about it then). Reads the header and the
 * report's bytes only, not the rest of the file (the other reports, the outcomes).
 */
export function findReport(file: string, key: string): CachedReport | undefined {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch {
    return undefined;
  }
  try {
    const size = fstatSync(fd).size;
    let head = Buffer.alloc(Math.min(size, 1 << 16));
    let nl = -1;
    // The header is a few hundred bytes; read on until its newline.
    for (let got = 0; ; ) {
      got += readSync(fd, head, got, head.length - got, got);
      nl = head.indexOf(10);
      if (nl >= 0 || got >= size) break;
      if (got === head.length) head = Buffer.concat([head, Buffer.alloc(head.length)]);
    }
    if (nl < 0) return undefined;
    const header = JSON.parse(head.toString("utf8", 0, nl)) as Partial<Header>;
    if (header.format !== FORMAT || header.tool !== CACHE_TOOL_ID || !Array.isArray(header.reports)) return undefined;
    let at = nl + 1;
    for (const r of header.reports) {
      if (r.key === key) {
        const output = Buffer.alloc(r.bytes);
        let got = 0;
        while (got < r.bytes) {
          const n = readSync(fd, output, got, r.bytes - got, at + got);
          if (n === 0) return undefined; // cut short
          got += n;
        }
        return { key, exitCode: r.exitCode, output };
      }
      at += r.bytes;
    }
    return undefined;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Adds a run's report to the file (newest first, at most MAX_REPORTS); the outcomes are kept as they are. */
export function storeReport(file: string, report: CachedReport, warn: (message: string) => void): void {
  storeReports(file, [report], warn);
}

/** Adds reports to the file in one write (the first is the newest); the outcomes are kept as they are. */
export function storeReports(file: string, added: readonly CachedReport[], warn: (message: string) => void): void {
  try {
    const old = existsSync(file) ? readCacheFile(file) : { tool: CACHE_TOOL_ID, reports: [], entries: {} };
    const keys = new Set(added.map((r) => r.key));
    const reports = [...added, ...(old.tool === CACHE_TOOL_ID ? old.reports.filter((r) => !keys.has(r.key)) : [])].slice(0, MAX_REPORTS);
    writeCacheFile(file, { tool: CACHE_TOOL_ID, reports, entries: old.tool === CACHE_TOOL_ID ? old.entries : {} });
  } catch (error) {
    warn(`could not write the cache file ${file}: ${(error as Error).message}`);
  }
}

/** ESLint's convention: a location that is a folder (or ends in a separator) holds the default file name. */
export function cacheFilePath(cwd: string, location?: string): string {
  if (!location) return path.resolve(cwd, DEFAULT_CACHE_FILE);
  const resolved = path.resolve(cwd, followGitFile(cwd, location));
  const isDir = /[\\/]$/.test(location) || (existsSync(resolved) && statSync(resolved).isDirectory());
  return isDir ? path.join(resolved, DEFAULT_CACHE_FILE) : resolved;
}

/**
 * Entries another layer keeps in the same file, beside the outcomes (the history prefixes,
 * prefix-cache.ts): their keys hold a `:` (the outcomes' are hex), their values are that layer's
 * business, and they are kept as they are until that layer replaces or deletes them.
 */
export type SideEntries = Map<string, unknown>;

export class OutcomeCache {
  private readonly old: Record<string, SetOutcome> = {};
  private readonly used: Record<string, SetOutcome> = {};
  readonly side: SideEntries = new Map();
  hits = 0;
  misses = 0;

  private constructor(
    readonly file: string,
    entries: Record<string, SetOutcome>,
    private readonly reports: CachedReport[],
  ) {
    for (const [key, value] of Object.entries(entries)) {
      if (key.includes(":")) this.side.set(key, value);
      else this.old[key] = value;
    }
  }

  /** Reads the cache file; a missing one is empty, an unreadable or foreign one is empty and `warn`ed about. */
  static open(file: string, warn: (message: string) => void): OutcomeCache {
    if (!existsSync(file)) return new OutcomeCache(file, {}, []);
    try {
      const data = readCacheFile(file);
      // Another version's entries could never match (the version is in every key): start afresh.
      return data.tool === CACHE_TOOL_ID ? new OutcomeCache(file, data.entries, data.reports) : new OutcomeCache(file, {}, []);
    } catch (error) {
      warn(`ignoring the cache file ${file}: ${(error as Error).message}`);
      return new OutcomeCache(file, {}, []);
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

  /** Writes the entries this run used (so the file does not grow with every edit), atomically; the reports stay. */
  save(warn: (message: string) => void): void {
    try {
      const entries = { ...(Object.fromEntries(this.side) as Record<string, SetOutcome>), ...this.used };
      writeCacheFile(this.file, { tool: CACHE_TOOL_ID, reports: this.reports, entries });
    } catch (error) {
      // A cache that cannot be written costs the next run its speed, not its result.
      warn(`could not write the cache file ${this.file}: ${(error as Error).message}`);
    }
  }
}

type Feed = { add: (value: unknown) => void; text: (text: string) => void };

function feed(): Feed & { digest: () => string } {
  const hash = createHash("sha256");
  return {
    add: (value) => {
      hash.update(JSON.stringify(value) ?? "null");
      hash.update("\0");
    },
    // Texts are fed as they are (a long history is one pass over it).
    text: (text) => {
      hash.update(text);
      hash.update("\0");
    },
    digest: () => hash.digest("hex"),
  };
}

/** A set: its facts and each migration in order (its paths, facts and texts, as its digest). */
function addSet(f: Feed, set: MigrationSet): void {
  const { migrations, ...setFacts } = set;
  f.add(setFacts);
  for (const m of migrations) f.text(migrationDigest(m));
}

/** The key of one set's analysis: a sha256 over everything it depends on. */
export function outcomeKey(set: MigrationSet, options: AnalyzeOptions, config: Config): string {
  const f = feed();
  f.add({ format: FORMAT, tool: CACHE_TOOL_ID });
  f.add(config);
  f.add({ settings: options.settings, searchPath: options.searchPath, lint: options.lint ?? true });
  f.add(options.rules.map((r: ResolvedRule) => [r.rule.meta.id, r.severity, r.options]));
  f.add(options.selected ? [...options.selected].sort() : null);
  f.add(options.unapplied ? [...options.unapplied].sort() : null);
  addSet(f, set);
  return f.digest();
}

/** Everything a run's rendered output depends on besides its sets (src/cli/cached-report.ts fills it in). */
export interface ReportInputs {
  /** The options that change the text or the exit code: format, quiet, colour, fail-on, max-warnings, PostgreSQL version… */
  render: Record<string, unknown>;
  cwd: string;
  paths: readonly string[];
  config: Config;
  baseDir: string;
  /** Other files the run reads besides the migrations (the lock file, drizzle's journals): path and text, or null when absent. */
  files: { path: string; text: string | null }[];
  sets: readonly DiscoveredSet[];
}

/** The key of a run's report: a sha256 over its inputs, every set with every migration's content. */
export function reportKey(inputs: ReportInputs): string {
  const f = feed();
  f.add({ format: FORMAT, tool: CACHE_TOOL_ID, report: true });
  f.add(inputs.render);
  f.add({ cwd: inputs.cwd, paths: inputs.paths, baseDir: inputs.baseDir });
  f.add(inputs.config);
  for (const file of inputs.files) {
    f.add(file.path);
    if (file.text === null) f.add(null);
    else f.text(file.text);
  }
  for (const d of inputs.sets) {
    f.add({ selected: d.selected ? [...d.selected].sort() : null, strays: d.strays });
    addSet(f, d.set);
  }
  return f.digest();
}

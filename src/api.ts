/**
 * The public API; it mirrors the CLI. `lintFiles` runs the whole pipeline on paths (discovery →
 * parse → replay → down plans → rules) and returns findings plus everything the formatters and
 * `--fix` need. Input problems throw `InputError`; nothing here writes files.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { allRules } from "../rules/index.js";
import { loadConfig } from "./config/load.js";
import { OutcomeCache, outcomeKey } from "./pipeline/cache.js";
import type { Config, ConfigInput } from "./config/schema.js";
import { InputError } from "./errors.js";
import type { DiscoveredSet } from "./layout/discover.js";
import type { DownPlan } from "./invert/types.js";
import type { LayoutId, Migration, MigrationSet } from "./layout/types.js";
import { resolveRules, type ResolvedRule } from "./lint/engine.js";
import type { Rule } from "./lint/rule.js";
import { STRAY_MIGRATION_FILE, strayFindings } from "./lint/set-findings.js";
import type { Finding } from "./lint/types.js";
import { loadParser } from "./parse/parse.js";
import { analyzeSet, type AnalyzedSet } from "./pipeline/analyze.js";
import { discoverSets } from "./pipeline/discover-sets.js";
import { outcomeOf, restoreSet } from "./pipeline/outcome.js";
import { analyzeWithPrefix } from "./pipeline/prefix-cache.js";
import { AnalysisPool, wireRules, workerCount, worthSharing, type AnalysisJob } from "./pipeline/parallel.js";
import { discardPrestarted } from "./pipeline/threads.js";
import { migrationSetFromSql, type SqlMigrationInput } from "./pipeline/in-memory.js";
import type { ReportedFile } from "./report/types.js";
import type { Engine } from "./verify/engine.js";
import { VerifyUsageError } from "./verify/errors.js";
import type { SetReport } from "./verify/format.js";
import type { ShimMode } from "./verify/shim.js";
import type { DownSupplier } from "./verify/verify.js";

export interface LintOptions {
  cwd?: string;
  /** A config file; otherwise the nearest one is found from `cwd`. */
  configPath?: string;
  /** Config given in code, merged over the file's. */
  config?: ConfigInput;
  layout?: LayoutId;
  /** Migration ids (per set root) that are not applied yet: their objects count as new. */
  unapplied?: (set: MigrationSet) => ReadonlySet<string> | undefined;
  /** Lint only these migration ids (per set root); history is still replayed. */
  selected?: (set: MigrationSet) => ReadonlySet<string> | undefined;
  rules?: readonly Rule[];
  /** False: replay and plan downs only, no rule runs (the config is still validated). */
  runRules?: boolean;
  onProgress?: (done: number, total: number) => void;
  /**
   * Worker threads that analyse sets beside this one (default: `MIGRATION_LINT_WORKERS`, else one per
   * core beyond two, at most 3; 0: none). Results and their order are the same either way. When rules
   * run over several sets, a set's syntax trees and catalogs are not kept but analysed again when first
   * read (see outcome.ts).
   */
  workers?: number;
  /** `--cache`: reuse each set's analysis from this file when nothing it depends on changed (cache.ts). */
  cache?: { file: string; onWarning: (message: string) => void };
  /** The sets of these paths under this config, when the caller discovered them already (`--cache` does, to hash them). */
  discovered?: DiscoveredSet[];
}

export interface LintResult {
  config: Config;
  rules: ResolvedRule[];
  sets: AnalyzedSet[];
  findings: Finding[];
  /** The findings of no migration (stray files); also in `findings`. */
  setFindings: Finding[];
  /** Every up and down file that was linted (history prelude excluded). */
  files: ReportedFile[];
}

export { discoverSets };

export async function resolveConfig(options: Pick<LintOptions, "cwd" | "configPath" | "config" | "rules">): Promise<{ config: Config; baseDir: string }> {
  const cwd = options.cwd ?? process.cwd();
  const known = new Set((options.rules ?? allRules).map((r) => r.meta.id));
  const loaded = await loadConfig({ cwd, configPath: options.configPath, knownRules: known });
  if (!options.config) return { config: loaded.config, baseDir: loaded.baseDir };
  const { validate } = await import("./config/validate.js");
  const merged = { ...stripDefaults(loaded.config), ...options.config, rules: { ...loaded.config.rules, ...(options.config.rules ?? {}) } };
  return { config: validate(merged, "options", known), baseDir: loaded.baseDir };
}

function stripDefaults(config: Config): ConfigInput {
  return { ...config };
}

export async function lintFiles(paths: readonly string[], options: LintOptions = {}): Promise<LintResult> {
  const cwd = options.cwd ?? process.cwd();
  const rules = options.rules ?? allRules;
  // Workers start first, so their start-up overlaps config loading and discovery (see parallel.ts).
  let pool: AnalysisPool | undefined;
  if (mayShare(paths, cwd, options)) pool = AnalysisPool.start(workerCount(options.workers));
  else discardPrestarted();
  try {
    const { config, baseDir } = await resolveConfig({ ...options, cwd, rules });
    await loadParser();
    const discovered = options.discovered ?? (await discoverSets(paths, { cwd, layout: options.layout, config, baseDir }));
    const resolved = options.runRules === false ? [] : resolveRules(rules, config);
    const jobs: AnalysisJob[] = discovered.map(({ set, selected }) => ({
      set,
      options: {
        settings: { pgVersion: config.pgVersion, timeoutsSetByRunner: config.timeoutsSetByRunner },
        searchPath: config.searchPath,
        rules: resolved,
        selected: options.selected?.(set) ?? selected,
        unapplied: options.unapplied?.(set),
      },
    }));
    const total = discovered.reduce((n, d) => n + d.set.migrations.length, 0);
    let done = 0;
    const progress = (set: MigrationSet): void => {
      done += set.migrations.length;
      options.onProgress?.(done, total);
    };
    // With --cache, the sets whose analysis is cached are restored; only the others are analysed.
    const cache = options.cache ? OutcomeCache.open(options.cache.file, options.cache.onWarning) : undefined;
    const keys = cache ? jobs.map((j) => outcomeKey(j.set, j.options, config)) : [];
    const cached = jobs.map((_, i) => (cache ? cache.get(keys[i]!) : undefined));
    const todo = jobs.filter((_, i) => !cached[i]);
    const wired = pool && worthSharing(todo.map((j) => j.set)) ? wireRules(resolved) : undefined;
    let computed: AnalyzedSet[];
    if (pool && wired) {
      computed = await pool.run(todo, wired, (i) => progress(todo[i]!.set));
    } else {
      pool?.close();
      // Linting several sets keeps each one's outcome only (see outcome.ts), as a worker's sets are
      // kept: memory stays that of the largest set, not of all of them (the corpus ×8: 1 GB).
      const outcomesOnly = options.runRules !== false && jobs.length > 1;
      computed = [];
      for (const job of todo) {
        // With --cache, the replay of the history before the linted migrations is restored when stored (prefix-cache.ts).
        const analyzed = cache ? analyzeWithPrefix(job.set, job.options, cache.side, (m) => options.cache!.onWarning(`${cache.file}: ${m}`)) : analyzeSet(job.set, job.options);
        computed.push(outcomesOnly ? restoreSet(job.set, outcomeOf(analyzed), () => analyzeSet(job.set, job.options)) : analyzed);
        progress(job.set);
      }
    }
    let next = 0;
    const sets: AnalyzedSet[] = jobs.map((job, i) => {
      const hit = cached[i];
      if (!hit) return computed[next++]!;
      progress(job.set);
      return restoreSet(job.set, hit, () => analyzeSet(job.set, job.options));
    });
    if (cache) {
      sets.forEach((s, i) => {
        if (!cached[i]) cache.put(keys[i]!, outcomeOf(s));
      });
      cache.save(options.cache!.onWarning);
    }
    const setFindings = discovered.flatMap(({ set, strays }) => strayFindings(set, strays, resolved));
    const findings = [...sets.flatMap((s) => s.migrations.flatMap((m) => m.findings)), ...setFindings];
    return { config, rules: resolved, sets, findings, setFindings, files: reportedFiles(sets, setFindings) };
  } finally {
    pool?.close();
  }
}

/**
 * Whether a run may share its sets between threads: it lints (a run without rules is read for its
 * catalogs, which a worker does not send back), with the built-in rules, and a folder is searched (a
 * file, as the pre-commit hook passes, selects one set).
 */
function mayShare(paths: readonly string[], cwd: string, options: LintOptions): boolean {
  if (options.runRules === false || workerCount(options.workers) === 0) return false;
  if (options.rules && !options.rules.every((r) => allRules.includes(r))) return false;
  return (paths.length ? paths : ["."]).some((p) => {
    try {
      return statSync(path.resolve(cwd, p)).isDirectory();
    } catch {
      return false;
    }
  });
}

export interface VerifyPathsOptions extends Pick<LintOptions, "cwd" | "configPath" | "layout"> {
  /** A PostgreSQL server (throw-away database); default: embedded PGlite. */
  databaseUrl?: string;
  inPlace?: boolean;
  allowNonempty?: boolean;
  from?: string;
  to?: string;
  /** Verify the generated downs (true, or a supplier of your own) instead of the hand-written ones. */
  generated?: boolean | GeneratedDownFactory;
  upTwice?: boolean;
  shim?: ShimMode;
  extensions?: readonly string[];
  /** SQL files run before the history (`--setup`): roles, extensions, whatever the project assumes exists. */
  setup?: readonly string[];
  /** Commit the down and the second up for real for every migration (slower; see roundtrip.ts). */
  commitEach?: boolean;
  onProgress?: (done: number, total: number) => void;
  /** What is happening before the first migration runs (`starting PGlite …`), for a progress line. */
  onStage?: (stage: string) => void;
  /** Called with each engine as it starts; the returned function is called when it is closed. */
  onEngine?: (engine: Engine) => () => void;
}

/** Supplies generated downs for a set (`--generated`). */
export type GeneratedDownFactory = (set: MigrationSet, config: Config) => DownSupplier;

/**
 * Round-trip every migration under `paths` (up, down, up) on a real PostgreSQL engine; a file names its
 * migration only (the rest of its set is replayed as history). Each set's `durationMs` is the time it
 * took in all, engine start and down generation included.
 */
export async function verify(paths: readonly string[], options: VerifyPathsOptions = {}): Promise<SetReport[]> {
  // The engines (PGlite, pg) load only here: importing them cost every lint run 0.2 s of start-up.
  const [{ generatedDowns }, { PgliteEngine }, { ServerEngine }, { verifyMigrations }, { runnerJournalSql }] = await Promise.all([
    import("./verify/generated.js"),
    import("./verify/pglite.js"),
    import("./verify/server.js"),
    import("./verify/verify.js"),
    import("./verify/runner-journal.js"),
  ]);
  const plannedDowns: GeneratedDownFactory = (set, config) =>
    generatedDowns(set, {
      settings: { pgVersion: config.pgVersion, timeoutsSetByRunner: config.timeoutsSetByRunner },
      searchPath: config.searchPath,
    });
  const cwd = options.cwd ?? process.cwd();
  const { config, baseDir } = await resolveConfig({ cwd, configPath: options.configPath });
  await loadParser();
  const discovered = await discoverSets(paths, { cwd, layout: options.layout, config, baseDir });
  if (discovered.length === 0) throw new InputError("no migrations found under the given paths");
  const generated = options.generated === true ? plannedDowns : options.generated || undefined;
  const setup = (options.setup ?? []).map((file) => readSetup(file, cwd));
  const reports: SetReport[] = [];
  for (const { set, selected } of discovered) {
    const started = Date.now();
    // Each set is its own history, so it gets its own database; all its migrations share that engine.
    options.onStage?.(options.databaseUrl ? "connecting to the server" : "starting embedded PostgreSQL (PGlite)");
    const engine: Engine = options.databaseUrl
      ? await ServerEngine.create({ url: options.databaseUrl, inPlace: !!options.inPlace, allowNonempty: !!options.allowNonempty })
      : await PgliteEngine.create();
    const release = options.onEngine?.(engine);
    try {
      if (generated) options.onStage?.("generating the downs");
      const downFor = generated ? generated(set, config) : undefined;
      const report = await verifyMigrations(engine, set, {
        ...(options.from === undefined ? {} : { from: options.from }),
        ...(options.to === undefined ? {} : { to: options.to }),
        ...(downFor ? { downFor } : {}),
        ...(selected ? { only: selected } : {}),
        checkUpTwice: !!options.upTwice,
        shim: options.shim ?? "auto",
        extensions: [...(options.extensions ?? [])],
        setupSql: [...runnerJournalSql(set.layout, config), ...setup],
        commitEach: !!options.commitEach,
        ...(options.onProgress ? { onProgress: (e: { done: number; total: number }) => options.onProgress!(e.done, e.total) } : {}),
      });
      // What the user waited for this set: the engine's start and the down generation too.
      report.durationMs = Date.now() - started;
      reports.push({ root: set.root, layout: set.layout, report });
    } catch (error) {
      if (error instanceof VerifyUsageError) throw new InputError(error.message);
      throw error;
    } finally {
      release?.();
      await engine.close();
    }
  }
  return reports;
}

/** A `--setup` file, read whole (one line, exit 2 when it cannot be read). */
function readSetup(file: string, cwd: string): { path: string; text: string } {
  try {
    return { path: file, text: readFileSync(path.resolve(cwd, file), "utf8") };
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new InputError(`--setup ${file}: ${reason}`);
  }
}

export function reportedFiles(sets: readonly AnalyzedSet[], setFindings: readonly Finding[] = []): ReportedFile[] {
  const files: ReportedFile[] = [];
  const strays = new Set(setFindings.filter((f) => f.ruleId === STRAY_MIGRATION_FILE).map((f) => f.path));
  for (const { set, migrations } of sets) {
    for (const m of migrations) {
      if (!m.linted) continue;
      // Plain literals, not `{ ...base, path, … }`: V8 copies a spread followed by more properties on its slow path.
      const { id: migrationId, up, down, transactional } = m.migration;
      if (m.migration.external !== "up") {
        files.push({ migrationId, root: set.root, layout: set.layout, path: up.path, role: "up", reversibility: m.plan.class, transactional });
      }
      // A down kept as a section of the up file (dbmate, inline ROLLBACK) is not a file of its own.
      if (down && down.path !== up.path) files.push({ migrationId, root: set.root, layout: set.layout, path: down.path, role: "down" });
    }
    for (const file of set.stray) if (strays.has(file)) files.push({ root: set.root, layout: set.layout, path: file, role: "stray" });
  }
  return files;
}

/** Lint migrations given as SQL strings (no files, no config file): for editors, tests and scripts. */
export async function lintSql(migrations: readonly SqlMigrationInput[], config: ConfigInput = {}, rules: readonly Rule[] = allRules): Promise<AnalyzedSet> {
  await loadParser();
  const { validate } = await import("./config/validate.js");
  const resolvedConfig = validate(config, "config", new Set(rules.map((r) => r.meta.id)));
  return analyzeSet(migrationSetFromSql(migrations), {
    settings: { pgVersion: resolvedConfig.pgVersion, timeoutsSetByRunner: resolvedConfig.timeoutsSetByRunner },
    searchPath: resolvedConfig.searchPath,
    rules: resolveRules(rules, resolvedConfig),
  });
}

export interface GeneratedDown {
  set: MigrationSet;
  migration: Migration;
  plan: DownPlan;
}

/**
 * The generated down of the migration a file belongs to (its up, its down, or its folder). The whole
 * history of its set is replayed, so a dropped column comes back with its exact prior definition.
 */
export async function generateDown(file: string, options: Pick<LintOptions, "cwd" | "configPath" | "layout" | "config"> = {}): Promise<GeneratedDown> {
  const cwd = options.cwd ?? process.cwd();
  const result = await lintFiles([file], { ...options, cwd, runRules: false });
  const chosen = result.sets.flatMap((s) => s.migrations.filter((m) => m.linted).map((m) => ({ set: s.set, m })));
  if (chosen.length !== 1) {
    throw new InputError(chosen.length ? `${chosen.length} migrations match; name one migration's file` : "no migration found at this path", { path: file });
  }
  const { set, m } = chosen[0]!;
  return { set, migration: m.migration, plan: m.plan };
}

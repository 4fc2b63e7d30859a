/**
 * The history commands as functions (the CLI's `lock`, `deps` and `plan --rollback` are thin wrappers):
 *   lockMigrations(paths)        — compute (and write) migration-lint.lock
 *   migrationDependencies(paths) — the dependency graph of each set
 *   rollbackPlan(paths, range)   — the combined down script of the last migrations of one set
 * Input problems throw `InputError`; only `lockMigrations` writes, atomically, and only when asked.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { discoverSets, lintFiles, resolveConfig, type LintOptions } from "../api.js";
import { InputError } from "../errors.js";
import type { AnalyzedSet } from "../pipeline/analyze.js";
import { dependencyGraph, type DependencyGraph } from "./deps.js";
import { findMigration } from "./find.js";
import { readJournalOf } from "./journal.js";
import { lockPaths } from "./lint.js";
import { lockSet } from "./lock.js";
import { lockPathFor, readLock, serializeLock, writeFileAtomic, LOCK_VERSION, type Lock, type LockedSet } from "./lock-file.js";
import { planRollback, type DownSource, type RollbackPlan, type RollbackRange } from "./rollback.js";

type CommonOptions = Pick<LintOptions, "cwd" | "configPath" | "layout" | "onProgress">;

export interface LockOptions extends Pick<LintOptions, "cwd" | "configPath" | "layout"> {
  /** Where the lock is; default the nearest migration-lint.lock, else beside the config (or in the cwd). */
  lockFile?: string;
  /** Lock the migrations up to and including this one (what production has applied); needs one set. */
  to?: string;
  /** Compute only; do not write. */
  dryRun?: boolean;
}

export interface SetChanges {
  root: string;
  added: string[];
  changed: string[];
  removed: string[];
}

export interface LockOutcome {
  /** Absolute path of the lock file. */
  path: string;
  lock: Lock;
  text: string;
  /** The lock file's text before, if it existed. */
  previous?: string;
  changes: SetChanges[];
  written: boolean;
}

export async function lockMigrations(paths: readonly string[], options: LockOptions = {}): Promise<LockOutcome> {
  const cwd = options.cwd ?? process.cwd();
  const { config, baseDir } = await resolveConfig({ cwd, ...(options.configPath ? { configPath: options.configPath } : {}) });
  const discovered = await discoverSets(paths, { cwd, ...(options.layout ? { layout: options.layout } : {}), config, baseDir });
  if (!discovered.length) throw new InputError("no migrations found under the given paths");
  const file = lockPathFor(cwd, baseDir, options.lockFile);
  const previous = existsSync(file) ? await readLock(file, cwd) : undefined;
  const toLock = lockPaths(cwd, { path: file });
  if (options.to !== undefined && discovered.length > 1) {
    throw new InputError(`--to needs one migration set; found ${discovered.length} (${discovered.map((d) => d.set.root).join(", ")}): name its folder`);
  }
  const fresh: LockedSet[] = [];
  for (const { set } of discovered) {
    let locked = lockSet(set, toLock, await readJournalOf(set, cwd));
    if (options.to !== undefined) {
      const { migration } = findMigration([{ set }], options.to, cwd, "--to");
      const end = locked.migrations.findIndex((m) => m.id === migration.id);
      locked = { ...locked, migrations: locked.migrations.slice(0, end + 1) };
    }
    fresh.push(locked);
  }
  // Sets under other paths keep their entries; the ones found here are replaced in place.
  const sets = [...(previous?.lock.sets ?? [])];
  const changes: SetChanges[] = [];
  for (const s of fresh) {
    const i = sets.findIndex((old) => path.posix.normalize(old.root) === path.posix.normalize(s.root));
    changes.push(compare(i >= 0 ? sets[i] : undefined, s));
    if (i >= 0) sets[i] = s;
    else sets.push(s);
  }
  const lock: Lock = { version: LOCK_VERSION, sets };
  const text = serializeLock(lock);
  const unchanged = previous?.text === text;
  if (!options.dryRun && !unchanged) writeFileAtomic(file, text);
  return { path: file, lock, text, ...(previous ? { previous: previous.text } : {}), changes, written: !options.dryRun && !unchanged };
}

function compare(before: LockedSet | undefined, after: LockedSet): SetChanges {
  const old = new Map((before?.migrations ?? []).map((m) => [m.id, m]));
  const now = new Set(after.migrations.map((m) => m.id));
  return {
    root: after.root,
    added: after.migrations.filter((m) => !old.has(m.id)).map((m) => m.id),
    changed: after.migrations.filter((m) => old.has(m.id) && (old.get(m.id)!.sha256 !== m.sha256 || old.get(m.id)!.when !== m.when)).map((m) => m.id),
    removed: [...old.keys()].filter((id) => !now.has(id)),
  };
}

/** Every set under the paths, replayed and with downs planned (no rules run). */
export async function analyzedSets(paths: readonly string[], options: CommonOptions = {}): Promise<AnalyzedSet[]> {
  const result = await lintFiles(paths, { ...options, runRules: false });
  if (!result.sets.length) throw new InputError("no migrations found under the given paths");
  return result.sets;
}

export interface SetDependencies {
  analyzed: AnalyzedSet;
  graph: DependencyGraph;
}

export async function migrationDependencies(paths: readonly string[], options: CommonOptions = {}): Promise<SetDependencies[]> {
  return (await analyzedSets(paths, options)).map((analyzed) => ({ analyzed, graph: dependencyGraph(analyzed) }));
}

export interface RollbackOptions extends CommonOptions {
  /** `generated` (default): the downs planned from the history; `written`: hand-written downs where they exist. */
  downs?: DownSource;
}

export async function rollbackPlan(paths: readonly string[], range: RollbackRange, options: RollbackOptions = {}): Promise<RollbackPlan> {
  const cwd = options.cwd ?? process.cwd();
  const sets = await analyzedSets(paths, { ...options, cwd });
  if (sets.length > 1) {
    throw new InputError(`a rollback plan is for one migration set; found ${sets.length} (${sets.map((s) => s.set.root).join(", ")}): name its folder`);
  }
  const analyzed = sets[0]!;
  const resolved: RollbackRange = "to" in range ? { to: findMigration([analyzed], range.to, cwd, "--to").migration.id } : range;
  try {
    return planRollback(analyzed, resolved, options.downs ?? "generated");
  } catch (error) {
    if (error instanceof RangeError) throw new InputError(error.message);
    throw error;
  }
}

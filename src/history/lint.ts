/**
 * Lint with the project's history: `lintFiles` plus `--since <ref>` (lint only the migrations changed
 * since the ref, replaying the whole set) and the lock rules against `migration-lint.lock`. The CLI's
 * default command runs through here; API users who want the same call it instead of `lintFiles`.
 */
import { existsSync } from "node:fs";
import path, { posix } from "node:path";
import { discoverSets, lintFiles, resolveConfig, type LintOptions, type LintResult } from "../api.js";
import { InputError } from "../errors.js";
import { byPosition } from "../lint/engine.js";
import type { Finding } from "../lint/types.js";
import { changedSince, type ChangedFiles } from "./git.js";
import { readJournalOf } from "./journal.js";
import { checkSet, type PathMap } from "./lock.js";
import { findLock, readLock, type LoadedLock } from "./lock-file.js";
import { changedMigrations, isChanged } from "./since.js";

export interface HistoryLintOptions extends LintOptions {
  /** Lint only the migrations added or changed since this git ref (the whole history is still replayed). */
  since?: string;
  /** The lock file: a path, `false` for none, default the nearest `migration-lint.lock`. */
  lockFile?: string | false;
}

export interface HistoryLintResult extends LintResult {
  /** What `--since` found changed. */
  changes?: ChangedFiles;
  lock?: LoadedLock;
}

export async function lintWithHistory(paths: readonly string[], options: HistoryLintOptions = {}): Promise<HistoryLintResult> {
  const cwd = options.cwd ?? process.cwd();
  const lock = await loadLock(cwd, options.lockFile);
  let selected = options.selected;
  let unapplied = options.unapplied;
  let changes: ChangedFiles | undefined;
  if (options.since !== undefined) {
    const found = await changedSince(cwd, options.since);
    changes = found;
    const named = await namedMigrations(paths, options, cwd);
    selected = (set) => {
      const changed = changedMigrations(set, found, cwd).selected;
      const chosen = options.selected?.(set) ?? named.get(set.root);
      return chosen ? new Set([...changed].filter((id) => chosen.has(id))) : changed;
    };
    unapplied = (set) => new Set([...(options.unapplied?.(set) ?? []), ...changedMigrations(set, found, cwd).unapplied]);
  }
  const result = await lintFiles(paths, { ...options, cwd, ...(selected ? { selected } : {}), ...(unapplied ? { unapplied } : {}) });

  const toLock = lockPaths(cwd, lock);
  const loose: Finding[] = [];
  for (const analyzed of result.sets) {
    const linted = new Set(analyzed.migrations.filter((m) => m.linted).map((m) => m.migration.id));
    const found = checkSet({ lock, paths: toLock, set: analyzed.set, linted, journal: await readJournalOf(analyzed.set, cwd), rules: result.rules });
    for (const f of found) {
      const owner = analyzed.migrations.find((m) => m.migration.id === f.migrationId && m.linted);
      if (owner) owner.findings = [...owner.findings, f].sort(byPosition);
      else loose.push(f);
    }
  }
  // With --since, a stray file counts when it changed, as a migration would.
  const setFindings = changes ? result.setFindings.filter((f) => isChanged(changes!, cwd, f.path)) : result.setFindings;
  const findings = [...result.sets.flatMap((s) => s.migrations.flatMap((m) => m.findings)), ...setFindings, ...loose];
  const files = changes ? result.files.filter((f) => f.role !== "stray" || setFindings.some((x) => x.path === f.path)) : result.files;
  return { ...result, findings, setFindings, files, ...(changes ? { changes } : {}), ...(lock ? { lock } : {}) };
}

async function loadLock(cwd: string, option: string | false | undefined): Promise<LoadedLock | undefined> {
  if (option === false) return undefined;
  if (option !== undefined) {
    const file = path.resolve(cwd, option);
    if (!existsSync(file)) throw new InputError("lock file not found", { path: option });
    return readLock(file, cwd);
  }
  const found = findLock(cwd);
  return found ? readLock(found, cwd) : undefined;
}

/** Paths as the tool shows them → relative to the lock's folder (the cwd when there is no lock). */
export function lockPaths(cwd: string, lock: { path: string } | undefined): PathMap {
  const dir = lock ? path.dirname(lock.path) : cwd;
  return {
    toLock: (shown) => {
      const rel = path.relative(dir, path.resolve(cwd, shown)).split(path.sep).join("/");
      return posix.normalize(rel || ".");
    },
  };
}

/**
 * The migrations the paths themselves select (files named, config include/exclude), by set root, so
 * `--since` narrows that choice instead of replacing it. Absent = every migration of the set.
 */
async function namedMigrations(paths: readonly string[], options: HistoryLintOptions, cwd: string): Promise<Map<string, ReadonlySet<string> | undefined>> {
  const { config, baseDir } = await resolveConfig({ ...options, cwd });
  const discovered = await discoverSets(paths, { cwd, ...(options.layout ? { layout: options.layout } : {}), config, baseDir });
  return new Map(discovered.map((d) => [d.set.root, d.selected]));
}

/**
 * `--cache`, the report layer (see src/pipeline/cache.ts): before anything is analysed, the run's sets
 * are discovered and hashed with everything else its output depends on, and when the cache holds the
 * report of that key it is printed as it was. This module loads only what that needs (the config
 * loader, discovery, the cache file): on a hit, neither the parser nor the analysis nor the rules load.
 * It also notes every file-system question it asks (report-manifest.ts), so the run can store the
 * manifest that answers the next unchanged run before any of this (cached-rerun.ts).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { loadConfig } from "../config/load.js";
import { findLock } from "../history/lock-file.js";
import type { DiscoveredSet } from "../layout/discover.js";
import { JOURNAL } from "../layout/drizzle.js";
import type { LayoutId } from "../layout/types.js";
import { findReport, reportKey, type CachedReport, type ReportInputs } from "../pipeline/cache.js";
import { discoverSets } from "../pipeline/discover-sets.js";
import { nodeFs } from "../layout/fs.js";
import { askOutsideInputs, InputLog } from "./report-manifest.js";

export interface ReportProbe {
  key: string;
  /** The sets found, for the analysis that follows a miss (so it does not discover them again). */
  sets: DiscoveredSet[];
  hit?: CachedReport;
  /** Every file-system question the probe asked with its answer, for this invocation's manifest (report-manifest.ts). */
  inputs: InputLog;
}

export interface ProbeOptions {
  file: string;
  cwd: string;
  paths: readonly string[];
  configPath?: string;
  layout?: LayoutId;
  /** The options that change the text or the exit code (format, quiet, colour, fail-on, …). */
  render: Record<string, unknown>;
}

export async function probeReport(o: ProbeOptions): Promise<ReportProbe> {
  // Noted before the config loader and the lock search read them, so an edit in between is seen.
  const inputs = new InputLog(o.file);
  await askOutsideInputs(inputs, o.cwd, o.configPath);
  // The config as the run reads it. Unknown rule names are not checked here (that needs the rules):
  // such a config fails the run that follows the miss, and a failed run stores no report.
  const { config, baseDir } = await loadConfig({ cwd: o.cwd, ...(o.configPath ? { configPath: o.configPath } : {}) });
  const fs = inputs.recording(nodeFs(o.cwd));
  const sets = await discoverSets(o.paths, { cwd: o.cwd, ...(o.layout ? { layout: o.layout } : {}), config, baseDir, fs });
  const lock = findLock(o.cwd);
  const files: ReportInputs["files"] = [{ path: lock ?? "(no lock file)", text: lock ? textOrNull(lock) : null }];
  // drizzle's journal is read again by the history checks (src/history/journal.ts).
  for (const { set } of sets) {
    if (set.layout === "drizzle") {
      const journal = path.resolve(o.cwd, set.root === "." ? JOURNAL : `${set.root}/${JOURNAL}`);
      await inputs.ask("read", journal, o.cwd);
      files.push({ path: journal, text: textOrNull(journal) });
    }
  }
  const key = reportKey({ render: { ...o.render, configPath: o.configPath ?? null, layout: o.layout ?? null }, cwd: o.cwd, paths: o.paths, config, baseDir, files, sets });
  const hit = findReport(o.file, key);
  return { key, sets, inputs, ...(hit ? { hit } : {}) };
}

function textOrNull(file: string): string | null {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return null;
  }
}

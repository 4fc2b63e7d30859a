/**
 * The default command: lint the migrations under the given paths, print the findings, and (with
 * --fix) write the generated downs. Exit code 1 when findings reach the failing level.
 */
import type { ArgumentsCamelCase, Argv, CommandModule, Options, PositionalOptions } from "yargs";
import type { LintResult } from "../../api.js";
import type { WriteResult } from "../../fix/write-downs.js";
import type { LayoutId } from "../../layout/types.js";
import type { Finding } from "../../lint/types.js";
import { TOOL_VERSION } from "../../meta.js";
import { cacheFilePath, DEFAULT_CACHE_FILE, findReport, storeReports } from "../../pipeline/cache.js";
import { formatters, type FormatId } from "../../report/index.js";
import { writeErr, writeOut, useColor } from "../output.js";
import { progressBar } from "../progress.js";
import type { GlobalOptions } from "../options.js";

export interface LintArgs extends GlobalOptions {
  paths?: string[];
  since?: string;
  fix?: boolean;
  force?: boolean;
  dryRun?: boolean;
  cache?: boolean;
  cacheLocation?: string;
}

export type FailOn = "irreversible" | "lossy" | "warning" | "error";

/** The exit code for a finished lint run. */
export function exitCodeFor(result: Pick<LintResult, "findings" | "sets">, failOn: FailOn, maxWarnings: number | undefined): number {
  const errors = result.findings.filter((f) => f.severity === "error").length;
  const warnings = result.findings.filter((f) => f.severity === "warning").length;
  if (maxWarnings !== undefined && maxWarnings >= 0 && warnings > maxWarnings) return 1;
  const classes = result.sets.flatMap((s) => s.migrations.filter((m) => m.linted).map((m) => m.plan.class));
  switch (failOn) {
    case "irreversible":
      return classes.includes("irreversible") ? 1 : 0;
    case "lossy":
      return errors > 0 || classes.some((c) => c !== "reversible") ? 1 : 0;
    case "warning":
      return errors + warnings > 0 ? 1 : 0;
    case "error":
      return errors > 0 ? 1 : 0;
  }
}

export function visibleFindings(findings: Finding[], quiet: boolean): Finding[] {
  return quiet ? findings.filter((f) => f.severity === "error") : findings;
}

/** The lint command's positional, given to yargs and read by the parser without yargs (src/cli/fast-args.ts). */
export const LINT_POSITIONAL = {
  name: "paths",
  declaration: { type: "string", array: true, describe: "Migration folders or files (default: the current directory)" },
} as const satisfies { name: string; declaration: PositionalOptions };

/** The lint command's own options (beside the global ones, src/cli/options.ts); one table for both parsers. */
export const LINT_OPTIONS = {
  since: {
    type: "string",
    describe: "Lint only migrations added or changed since this git ref (merge base with HEAD); the whole history is still replayed",
  },
  fix: {
    type: "boolean",
    describe: "Write the generated down of each linted migration where the layout keeps downs (hand-written downs are kept)",
  },
  force: { type: "boolean", describe: "With --fix: also replace non-empty hand-written downs" },
  "dry-run": { type: "boolean", describe: "With --fix: print the downs that would be written instead of writing them" },
  cache: { type: "boolean", describe: `Reuse the results of sets that did not change since the last run (kept in ${DEFAULT_CACHE_FILE})` },
  "cache-location": { type: "string", describe: "With --cache: the cache file, or a folder to keep it in" },
} as const satisfies Record<string, Options>;

/** A string is yargs' usage failure (exit 2 with the message), not an internal error. */
export function checkLintOptions(argv: Record<string, unknown>): true | string {
  if ((argv["force"] || argv["dryRun"]) && !argv["fix"]) return `--${argv["force"] ? "force" : "dry-run"} needs --fix`;
  // The downs go to standard output before the report: only the human format can share it.
  if (argv["dryRun"] && argv["format"] !== "stylish") {
    return `--fix --dry-run prints the downs on standard output, which --format ${String(argv["format"])} needs for itself; use 'migration-lint down <file> --format json' for the downs as JSON`;
  }
  return true;
}

export const lintCommand: CommandModule<GlobalOptions, LintArgs> = {
  command: `$0 [${LINT_POSITIONAL.name}..]`,
  describe: "Lint migrations: rules, reversibility of each migration, and (with --fix) generated downs",
  builder: (y: Argv<GlobalOptions>) => y.positional(LINT_POSITIONAL.name, LINT_POSITIONAL.declaration).options(LINT_OPTIONS).check(checkLintOptions) as unknown as Argv<LintArgs>,
  handler: async (argv: ArgumentsCamelCase<LintArgs>) => {
    const format = argv.format as FormatId;
    const color = useColor(argv.color);
    const cacheFile = argv.cache ? cacheFilePath(process.cwd(), argv.cacheLocation) : undefined;
    const onWarning = (m: string) => writeErr(`migration-lint: warning: ${m}`);
    // --cache's report layer: a run whose output depends on its files only (not --fix, which writes
    // files, nor --since, which asks git) prints the stored report when nothing it depends on changed.
    const probe =
      cacheFile && !argv.fix && argv.since === undefined
        ? await (
            await import("../cached-report.js")
          ).probeReport({
            file: cacheFile,
            cwd: process.cwd(),
            paths: argv.paths ?? [],
            ...(argv.config !== undefined ? { configPath: argv.config } : {}),
            ...(argv.layout !== undefined ? { layout: argv.layout as LayoutId } : {}),
            render: { format, quiet: !!argv.quiet, color, failOn: argv.failOn ?? null, maxWarnings: argv.maxWarnings ?? null, pgVersion: argv.pgVersion ?? null },
          })
        : undefined;
    if (probe?.hit && cacheFile) {
      await writeOut(probe.hit.output);
      process.exitCode = probe.hit.exitCode;
      // The invocation's manifest missed (or there was none): store the current one, so the next
      // unchanged run is answered before discovery (src/cli/cached-rerun.ts).
      const { manifestEntry } = await import("../report-manifest.js");
      const manifest = await manifestEntry(probe.inputs, probe.key, probe.hit.exitCode, process.cwd());
      // The report moves to the front with it, so keeping the newest entries never drops the report it points at.
      if (manifest && !findReport(cacheFile, manifest.key)?.output.equals(manifest.output)) storeReports(cacheFile, [manifest, probe.hit], onWarning);
      return;
    }
    // The analysis loads only now: a cache hit never needs it.
    const { lintWithHistory } = await import("../../history/lint.js");
    const progress = progressBar("linting");
    const result = await lintWithHistory(argv.paths ?? [], {
      cwd: process.cwd(),
      ...(argv.since !== undefined ? { since: argv.since } : {}),
      configPath: argv.config,
      layout: argv.layout as LayoutId | undefined,
      onProgress: (d, t) => progress.update(d, t),
      ...(argv.pgVersion !== undefined ? { config: { pgVersion: argv.pgVersion } } : {}),
      ...(cacheFile ? { cache: { file: cacheFile, onWarning } } : {}),
      ...(probe ? { discovered: probe.sets } : {}),
    });
    progress.done();
    if (argv.fix) await fixDowns(result, { force: !!argv.force, dryRun: !!argv.dryRun, quiet: !!argv.quiet });
    const findings = visibleFindings(result.findings, !!argv.quiet);
    const report = formatters[format]({
      files: result.files,
      findings,
      hidden: result.findings.length - findings.length,
      rules: result.rules.map((r) => r.rule.meta),
      toolVersion: TOOL_VERSION,
      color,
    });
    await writeOut(report);
    const exitCode = exitCodeFor(result, (argv.failOn as FailOn | undefined) ?? result.config.failOn, argv.maxWarnings);
    process.exitCode = exitCode;
    if (probe && cacheFile) {
      const { manifestEntry } = await import("../report-manifest.js");
      const manifest = await manifestEntry(probe.inputs, probe.key, exitCode, process.cwd());
      storeReports(cacheFile, [...(manifest ? [manifest] : []), { key: probe.key, exitCode, output: Buffer.from(report) }], onWarning);
    }
  },
};

/**
 * --fix: the generated downs are written only when every linted migration's plan is complete (a down
 * planned from half a migration would be wrong, and nothing is written half-way); what was done goes
 * to stderr, so the report on stdout stays machine-readable.
 */
async function fixDowns(result: LintResult, options: { force: boolean; dryRun: boolean; quiet: boolean }): Promise<WriteResult[]> {
  const incomplete = result.sets.flatMap((s) => s.migrations.filter((m) => m.linted && !m.migration.prelude && m.plan.incomplete));
  if (incomplete.length) {
    // The syntax errors are in the report (and fail the run); the message says why no down appeared.
    writeErr(`migration-lint: --fix wrote nothing: ${incomplete.map((m) => `${m.migration.up.path}: ${m.plan.incomplete}`).join("; ")}`);
    return [];
  }
  const { writeDowns } = await import("../../fix/write-downs.js");
  const results = await writeDowns(result.sets, { force: options.force, dryRun: options.dryRun, cwd: process.cwd() });
  if (!options.quiet) {
    for (const r of results) {
      if (r.action === "written") writeErr(`wrote ${r.path} (${r.class}): ${r.reason}`);
      else if (r.action === "skipped") writeErr(`kept ${r.path}: ${r.reason}`);
    }
    const written = results.filter((r) => r.action === "written" || r.action === "would-write").length;
    const parts = [`${written} down${written === 1 ? "" : "s"} ${options.dryRun ? "would be written" : "written"}`];
    const unchanged = results.filter((r) => r.action === "unchanged").length;
    if (unchanged) parts.push(`${unchanged} already up to date`);
    const kept = results.filter((r) => r.action === "skipped").length;
    if (kept) parts.push(`${kept} kept`);
    writeErr(`--fix: ${parts.join(", ")}.`);
  }
  return results;
}

/**
 * The default command: lint the migrations under the given paths, print the findings, and (with
 * --fix) write the generated downs. Exit code 1 when findings reach the failing level.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import type { LintResult } from "../../api.js";
import { lintWithHistory } from "../../history/lint.js";
import type { LayoutId } from "../../layout/types.js";
import type { Finding } from "../../lint/types.js";
import { TOOL_VERSION } from "../../meta.js";
import { formatters, type FormatId } from "../../report/index.js";
import { writeOut, useColor } from "../output.js";
import { progressBar } from "../progress.js";
import type { GlobalOptions } from "../options.js";

export interface LintArgs extends GlobalOptions {
  paths?: string[];
  since?: string;
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

export const lintCommand: CommandModule<GlobalOptions, LintArgs> = {
  command: "$0 [paths..]",
  describe: "Lint migrations: rules, reversibility of each migration, and (with --fix) generated downs",
  builder: (y: Argv<GlobalOptions>) =>
    y
      .positional("paths", {
        type: "string",
        array: true,
        describe: "Migration folders or files (default: the current directory)",
      })
      .option("since", {
        type: "string",
        describe: "Lint only migrations added or changed since this git ref (merge base with HEAD); the whole history is still replayed",
      }) as Argv<LintArgs>,
  handler: async (argv: ArgumentsCamelCase<LintArgs>) => {
    const progress = progressBar("linting");
    const result = await lintWithHistory(argv.paths ?? [], {
      cwd: process.cwd(),
      ...(argv.since !== undefined ? { since: argv.since } : {}),
      configPath: argv.config,
      layout: argv.layout as LayoutId | undefined,
      onProgress: (d, t) => progress.update(d, t),
      ...(argv.pgVersion !== undefined ? { config: { pgVersion: argv.pgVersion } } : {}),
    });
    progress.done();
    const format = argv.format as FormatId;
    const findings = visibleFindings(result.findings, !!argv.quiet);
    await writeOut(
      formatters[format]({
        files: result.files,
        findings,
        rules: result.rules.map((r) => r.rule.meta),
        toolVersion: TOOL_VERSION,
        color: useColor(argv.color),
      }),
    );
    process.exitCode = exitCodeFor(result, (argv.failOn as FailOn | undefined) ?? result.config.failOn, argv.maxWarnings);
  },
};

/**
 * The command line. Every error a user can cause ends as one message and exit code 2; an internal
 * error also ends as one message (set MIGRATION_LINT_DEBUG=1 for its stack), never a raw trace.
 */
import { InputError } from "../errors.js";
import { TOOL_VERSION } from "../meta.js";
import { loadParser } from "../parse/pg-query.js";
import { discardPrestarted, prestartWorkers, workerCount } from "../pipeline/threads.js";
import { interruptedBy, interruptExitCode } from "./interrupt.js";
import { globalOptions } from "./options.js";
import { writeErr } from "./output.js";
import { asksVersionOnly, lintsAFolder, runsLint } from "./prestart.js";
import { rememberInvocation } from "./invocation.js";
import { preferBaselineWasm } from "./wasm-tier.js";

const EXAMPLES: [string, string][] = [
  ["$0 migrations/", "Lint every migration under migrations/ (layout detected)"],
  ["$0 --format sarif > results.sarif", "Lint the current directory, SARIF for GitHub code scanning"],
  ["$0 --fix migrations/", "Write the generated down of each migration where the layout keeps downs"],
  ["$0 down migrations/2024-01-01-000000_add_users/up.sql", "Print the generated down of one migration and its class"],
  ["$0 verify migrations/", "Prove each down by round trip on embedded PostgreSQL"],
];

class UsageError extends Error {}

export async function main(args: string[]): Promise<number> {
  process.exitCode = 0;
  // `--cache` keys a run's manifest on the command line as typed (src/cli/report-manifest.ts).
  rememberInvocation(args);
  // `--version` alone needs none of the commands (which load the parser and the analysis).
  if (asksVersionOnly(args)) {
    process.stdout.write(`${TOOL_VERSION}\n`);
    return 0;
  }
  // Before anything imports libpg-query (here or in the workers): its WASM is compiled on import.
  preferBaselineWasm();
  // The analysis workers load while this thread loads the commands (which pull in the whole analysis).
  if (lintsAFolder(args)) prestartWorkers(workerCount(undefined));
  // The parser's WASM compiles in the background while the commands load; a failure to load it is
  // reported where the run first awaits it (the same promise).
  if (runsLint(args)) loadParser().catch(() => {});
  try {
    // A plain lint command line skips yargs and the other commands (src/cli/fast-args.ts); the rest goes to yargs.
    const fast = (await import("./fast-args.js")).fastLintArgv(args);
    if (fast) {
      await (await import("./commands/lint.js")).lintCommand.handler(fast);
      return Number(process.exitCode ?? 0);
    }
    const [{ default: yargs }, { lintCommand }] = await Promise.all([import("yargs"), import("./commands/lint.js")]);
    let cli = globalOptions(yargs(args))
      .scriptName("migration-lint")
      .usage("$0 [paths..] [options]\n\nLint PostgreSQL migrations, generate and prove their downs.")
      .command(lintCommand);
    for (const command of await extraCommands()) cli = cli.command(command);
    for (const [cmd, what] of EXAMPLES) cli = cli.example(cmd, what);
    await cli
      .epilogue("Exit codes: 0 clean, 1 findings at or above the failing level, 2 usage or input error.\nDocs: docs/rules.md (rules), README.md (layouts, config).")
      .version(TOOL_VERSION)
      .alias("h", "help")
      .alias("v", "version")
      .strict()
      .wrap(Math.min(110, process.stdout.columns || 100))
      .fail((message, error) => {
        // yargs' own usage failures come as YError, a failed .check as the string it returned: the user's.
        // Anything else was thrown by a handler: rethrown as it is.
        if (error instanceof Error && error.name !== "YError") throw error;
        throw new UsageError(`${message || String(error)}\nRun 'migration-lint --help' for usage.`);
      })
      .parseAsync();
    return Number(process.exitCode ?? 0);
  } catch (error) {
    return reportError(error);
  } finally {
    discardPrestarted();
  }
}

/** Commands contributed by other modules (down, verify, lock, plan, deps), registered when present. */
async function extraCommands() {
  const { commands } = await import("./commands/index.js");
  return commands;
}

export function reportError(error: unknown): number {
  const signal = interruptedBy();
  if (signal) {
    writeErr(`migration-lint: interrupted (${signal}): the run stopped before it finished; run it again for a result`);
    return interruptExitCode(signal);
  }
  if (error instanceof InputError) {
    writeErr(`migration-lint: ${error.format()}`);
    return 2;
  }
  if (error instanceof UsageError) {
    writeErr(`migration-lint: ${error.message}`);
    return 2;
  }
  const message = error instanceof Error ? error.message : String(error);
  writeErr(`migration-lint: internal error: ${message}`);
  if (process.env["MIGRATION_LINT_DEBUG"] && error instanceof Error && error.stack) writeErr(error.stack);
  else writeErr("Set MIGRATION_LINT_DEBUG=1 to see where it happened, and please report it.");
  return 2;
}

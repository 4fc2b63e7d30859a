/**
 * `migration-lint rollback [paths..] --database-url URL (--steps N | --to <migration>)`: roll back the
 * newest applied migrations of a live database, each part's down and journal update in one transaction,
 * behind the drift check, the class gates, an explicit yes and the runner's lock; audited. `--dry-run`
 * rehearses inside a transaction that is always rolled back. See docs/rollback.md.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { InputError } from "../../errors.js";
import type { LayoutId } from "../../layout/types.js";
import type { LiveConnection } from "../../live/connect.js";
import type { Interruption } from "../../live/execute.js";
import type { DownsChoice } from "../../live/rollback.js";
import type { GlobalOptions } from "../options.js";
import { writeErr, writeOut } from "../output.js";

export interface RollbackArgs extends GlobalOptions {
  paths?: string[];
  databaseUrl?: string;
  steps?: number;
  to?: string;
  dryRun?: boolean;
  yes?: boolean;
  allowDrift?: boolean;
  allowIrreversible?: boolean;
  allowLossy?: boolean;
  downs?: string;
  backup?: boolean;
  audit?: boolean;
  singleTransaction?: boolean;
  lockWait?: number;
  lockTimeout?: string;
  statementTimeout?: string;
}

/** PostgreSQL interval text we accept for the timeouts: `5s`, `500ms`, `2min`, or `0` (off). */
function interval(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+(?:ms|s|min)?$/.test(value)) throw new InputError(`${option}: expected a duration such as 5s, 500ms or 2min (0 turns it off), got ${value}`);
  return value;
}

export const rollbackCommand: CommandModule<GlobalOptions, RollbackArgs> = {
  command: "rollback [paths..]",
  describe: "Roll back the newest applied migrations of a live database (--steps N | --to <migration>), gated, locked and audited",
  builder: (y: Argv<GlobalOptions>) =>
    y
      .positional("paths", { type: "string", array: true, describe: "The migration folder (default: the current directory); one set" })
      .option("database-url", { type: "string", describe: "The live database (default: $DATABASE_URL)" })
      .option("steps", { type: "number", describe: "Roll back the newest N applied migrations (as the journal lists them)" })
      .option("to", { type: "string", describe: "Roll back every applied migration after this one (it stays applied)" })
      .option("dry-run", { type: "boolean", describe: "Print the script and rehearse it in a transaction that is always rolled back" })
      .option("yes", { alias: "y", type: "boolean", describe: "Do not ask (required without a terminal)" })
      .option("allow-drift", { type: "boolean", describe: "Run even when the live schema differs from the applied history" })
      .option("allow-irreversible", { type: "boolean", describe: "Run even when a migration in the range cannot be fully undone" })
      .option("allow-lossy", { type: "boolean", describe: "Run lossy parts without asking (their dropped data does not come back)" })
      .option("downs", {
        type: "string",
        choices: ["prefer-written", "written", "generated"],
        default: "prefer-written",
        describe: "Which down each part runs: the hand-written one where it exists, only hand-written ones, or the generated ones",
      })
      .option("backup", { type: "boolean", describe: "Copy the tables and columns each down drops into the migration_lint_backup schema first" })
      .option("audit", { type: "boolean", default: true, describe: "Record the rollback in migration_lint.rollbacks (--no-audit skips it)" })
      .option("single-transaction", { type: "boolean", describe: "Run every part in one transaction (all or nothing)" })
      .option("lock-wait", { type: "number", default: 10, describe: "Seconds to wait for the runner's advisory lock" })
      .option("lock-timeout", { type: "string", default: "5s", describe: "lock_timeout for each part (0: none)" })
      .option("statement-timeout", { type: "string", describe: "statement_timeout for each part (default: the server's)" })
      .conflicts("steps", "to") as Argv<RollbackArgs>,
  handler: async (argv: ArgumentsCamelCase<RollbackArgs>) => {
    if (argv.steps === undefined && argv.to === undefined) throw new InputError("rollback needs --steps N or --to <migration>");
    if (argv.steps !== undefined && Number.isNaN(argv.steps)) throw new InputError("--steps needs a number");
    if (argv.lockWait !== undefined && (Number.isNaN(argv.lockWait) || argv.lockWait < 0)) throw new InputError("--lock-wait needs a number of seconds");
    // The live modules (pg) load only when this command runs: every other command registers this one,
    // and a lint run must not pay for them (issue 14).
    const [{ ask, canAsk }, { databaseUrl }, { formatRollbackJson, formatRollbackText, rollbackExitCode }, { rollbackLive }] = await Promise.all([
      import("../../live/confirm.js"),
      import("../../live/connect.js"),
      import("../../live/format-rollback.js"),
      import("../../live/rollback.js"),
    ]);
    const url = databaseUrl(argv.databaseUrl);
    const interruption: Interruption = {};
    let live: LiveConnection | undefined;
    const onSignal = (signal: NodeJS.Signals) => {
      interruption.reason = signal;
      writeErr(`migration-lint rollback: ${signal}: stopping; the part in progress is rolled back by its transaction`);
      void live?.cancel();
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    try {
      const report = await rollbackLive({
        paths: argv.paths ?? [],
        cwd: process.cwd(),
        ...(argv.config ? { configPath: argv.config } : {}),
        ...(argv.layout ? { layout: argv.layout as LayoutId } : {}),
        url,
        range: argv.to !== undefined ? { to: argv.to } : { steps: argv.steps! },
        downs: (argv.downs as DownsChoice | undefined) ?? "prefer-written",
        dryRun: !!argv.dryRun,
        yes: !!argv.yes,
        allowDrift: !!argv.allowDrift,
        allowIrreversible: !!argv.allowIrreversible,
        allowLossy: !!argv.allowLossy,
        backup: !!argv.backup,
        audit: argv.audit !== false,
        singleTransaction: !!argv.singleTransaction,
        lockWaitMs: (argv.lockWait ?? 10) * 1000,
        lockTimeout: interval(argv.lockTimeout, "--lock-timeout") ?? "5s",
        ...(argv.statementTimeout !== undefined ? { statementTimeout: interval(argv.statementTimeout, "--statement-timeout")! } : {}),
        ...(canAsk()
          ? {
              ask: async (question, shown) => {
                writeErr(formatRollbackText({ ...shown, message: "" }).trimEnd());
                return ask(question);
              },
            }
          : {}),
        interruption,
        onConnection: (c) => (live = c),
      });
      if (argv.format === "json") await writeOut(formatRollbackJson(report));
      else {
        if (argv.format !== "stylish") writeErr(`migration-lint rollback: --format ${argv.format} is not supported here; printing text`);
        await writeOut(formatRollbackText(report));
      }
      process.exitCode = interruption.reason ? (interruption.reason === "SIGINT" ? 130 : 143) : rollbackExitCode(report);
    } finally {
      process.removeListener("SIGINT", onSignal);
      process.removeListener("SIGTERM", onSignal);
    }
  },
};

/**
 * `migration-lint status [paths..] --database-url URL [--drift]`: each migration's state in the live
 * database (applied / modified / failed / pending / missing), whether an applied one can be rolled back now
 * and with which down, the last rollbacks of this set, and with --drift the live schema against the applied history.
 * Exit 0 in sync, 1 when anything is pending, modified, failed, missing or drifted, 2 input or connection error.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { InputError } from "../../errors.js";
import type { LayoutId } from "../../layout/types.js";
import type { StatusReport } from "../../live/format-status.js";
import type { GlobalOptions } from "../options.js";
import { writeErr, writeOut } from "../output.js";

export interface StatusArgs extends GlobalOptions {
  paths?: string[];
  databaseUrl?: string;
  drift?: boolean;
  lockWait?: number;
}

export const statusCommand: CommandModule<GlobalOptions, StatusArgs> = {
  command: "status [paths..]",
  describe: "Which migrations the live database has applied, pending, modified or failed, and what can be rolled back",
  builder: (y: Argv<GlobalOptions>) =>
    y
      .positional("paths", { type: "string", array: true, describe: "The migration folder (default: the current directory); one set" })
      .option("database-url", { type: "string", describe: "The live database (default: $DATABASE_URL)" })
      .option("drift", { type: "boolean", describe: "Also compare the live schema with the applied history replayed on PGlite" })
      .option("lock-wait", { type: "number", default: 10, describe: "Seconds to wait for a journal table the runner has locked while it migrates" }) as Argv<StatusArgs>,
  handler: async (argv: ArgumentsCamelCase<StatusArgs>) => {
    // The live modules (pg, and PGlite for --drift) load only when this command runs: every other
    // command registers this one, and a lint run must not pay for them (issue 14).
    const [{ lastRollbacks }, { connectLive, databaseUrl }, { loadLiveContext }, { checkDrift, isDrift }, { formatStatusJson, formatStatusText }, { migrationStatuses, statusExitCode }, { LockBusyError, readWithin }] =
      await Promise.all([
        import("../../live/audit.js"),
        import("../../live/connect.js"),
        import("../../live/context.js"),
        import("../../live/drift.js"),
        import("../../live/format-status.js"),
        import("../../live/status.js"),
        import("../../live/lock.js"),
      ]);
    if (argv.lockWait !== undefined && (Number.isNaN(argv.lockWait) || argv.lockWait < 0)) throw new InputError("--lock-wait needs a number of seconds");
    const url = databaseUrl(argv.databaseUrl);
    const context = await loadLiveContext(argv.paths ?? [], {
      cwd: process.cwd(),
      ...(argv.config ? { configPath: argv.config } : {}),
      ...(argv.layout ? { layout: argv.layout as LayoutId } : {}),
    });
    const live = await connectLive(url);
    try {
      const { analyzed, journal, settings } = context;
      const state = await readWithin(live, journal.location(settings), (argv.lockWait ?? 10) * 1000, () => journal.read(live, analyzed.set, settings), journal.runner).catch((error: unknown) => {
        // A journal locked by a running migration is a state to report in one line (exit 2), not a bug.
        throw error instanceof LockBusyError ? new InputError(error.message) : error;
      });
      const at = state.location;
      const report: StatusReport = {
        root: analyzed.set.root,
        layout: analyzed.set.layout,
        runner: journal.runner,
        database: live.description,
        journal: { table: `${at.schema}.${at.table}`, exists: state.exists },
        migrations: migrationStatuses(analyzed, state, journal, context.locked),
        lastRollbacks: await lastRollbacks(live, { runner: journal.runner, migrationIds: analyzed.set.migrations.map((m) => m.id) }),
      };
      if (argv.drift) report.drift = await checkDrift(live, journal, settings, state);
      if (argv.format === "json") await writeOut(formatStatusJson(report));
      else {
        if (argv.format !== "stylish") writeErr(`migration-lint status: --format ${argv.format} is not supported here; printing the table`);
        await writeOut(formatStatusText(report));
      }
      process.exitCode = statusExitCode(report.migrations) || (report.drift && isDrift(report.drift) ? 1 : 0);
    } finally {
      await live.end();
    }
  },
};

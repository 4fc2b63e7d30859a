/**
 * `migration-lint verify [paths..]`: prove each migration's down by round trip on a real PostgreSQL
 * (embedded PGlite by default, a server with --database-url). Exit 1 when a migration's result reaches
 * `--fail-on` (default: any that is not exact).
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import type { GeneratedDownFactory } from "../../api.js";
import type { LayoutId } from "../../layout/types.js";
import { formatJson, formatText } from "../../verify/format.js";
import type { ShimMode } from "../../verify/shim.js";
import { failsAt, type VerifyFailOn } from "../../verify/fail-on.js";
import { interruptExitCode, noteInterrupt } from "../interrupt.js";
import { onlyFormats, type GlobalOptions } from "../options.js";
import { useColor, writeErr, writeOut } from "../output.js";
import { progressBar } from "../progress.js";

export interface VerifyArgs extends GlobalOptions {
  paths?: string[];
  databaseUrl?: string;
  allowNonempty?: boolean;
  inPlace?: boolean;
  from?: string;
  to?: string;
  generated?: boolean;
  upTwice?: boolean;
  shim?: string;
  extension?: string[];
  setup?: string[];
  commitEach?: boolean;
  all?: boolean;
}

export function createVerifyCommand(options: { generated?: GeneratedDownFactory } = {}): CommandModule<GlobalOptions, VerifyArgs> {
  return {
    command: "verify [paths..]",
    describe: "Prove each down by round trip (up, down, up) on embedded PostgreSQL or a server",
    builder: (y: Argv<GlobalOptions>) =>
      y
        .positional("paths", { type: "string", array: true, describe: "Migration folders or files (default: the current directory)" })
        .option("database-url", {
          type: "string",
          describe: "Verify on this PostgreSQL server (default: $DATABASE_URL if set, else embedded PGlite)",
        })
        .option("allow-nonempty", { type: "boolean", describe: "Run in place even when the database has user tables (still rolled back)" })
        .option("in-place", { type: "boolean", describe: "Run in the given database in one rolled-back transaction instead of a throw-away database" })
        .option("from", { type: "string", describe: "First migration to verify (id, version or name); earlier ones are replayed as history" })
        .option("to", { type: "string", describe: "Last migration to verify; later ones are not run" })
        .option("generated", { type: "boolean", describe: "Verify the generated downs instead of the hand-written ones" })
        .option("up-twice", { type: "boolean", describe: "Also run each up a second time and report ups that are not idempotent" })
        .option("shim", {
          type: "string",
          choices: ["auto", "supabase", "none"],
          default: "auto",
          describe: "Create the platform objects the migrations assume (supabase roles, auth.users, …)",
        })
        .option("extension", { type: "string", array: true, describe: "Extensions the deployment creates before the first migration" })
        .option("setup", { type: "string", array: true, describe: "SQL file run before the history (roles, extensions the project assumes)" })
        .option("commit-each", { type: "boolean", describe: "Commit the down and the second up of every migration for real (slower)" })
        .option("all", { type: "boolean", describe: "List exact migrations too" })
        .check(onlyFormats("verify", ["stylish", "json"])) as Argv<VerifyArgs>,
    handler: async (argv: ArgumentsCamelCase<VerifyArgs>) => {
      process.exitCode = await runVerify(argv, options.generated ?? true);
    },
  };
}

export const verifyCommand = createVerifyCommand();

/** The signals that stop a verify run: Ctrl-C, and CI cancellation / `timeout`. */
const STOP_SIGNALS = ["SIGINT", "SIGTERM"] as const;

async function runVerify(argv: ArgumentsCamelCase<VerifyArgs>, generated: true | GeneratedDownFactory): Promise<number> {
  // The analysis loads when this command runs, not when it is registered (every run registers every command).
  const { verify } = await import("../../api.js");
  const progress = progressBar("verifying");
  const failOn = (argv.failOn as VerifyFailOn | undefined) ?? "error";
  let stopping = false;
  const work = verify(argv.paths ?? [], {
    cwd: process.cwd(),
    configPath: argv.config,
    layout: argv.layout as LayoutId | undefined,
    databaseUrl: argv.databaseUrl ?? process.env["DATABASE_URL"],
    inPlace: !!argv.inPlace,
    allowNonempty: !!argv.allowNonempty,
    ...(argv.from === undefined ? {} : { from: argv.from }),
    ...(argv.to === undefined ? {} : { to: argv.to }),
    generated: argv.generated ? generated : false,
    upTwice: !!argv.upTwice,
    shim: (argv.shim as ShimMode | undefined) ?? "auto",
    extensions: argv.extension ?? [],
    setup: argv.setup ?? [],
    commitEach: !!argv.commitEach,
    onProgress: (done, total) => progress.update(done, total),
    onStage: (stage) => progress.stage(stage),
    onEngine: (engine) => {
      // Ctrl-C, or SIGTERM from CI cancellation and `timeout`: drop the throw-away database before leaving
      // (a listener replaces Node's default exit).
      const stops = STOP_SIGNALS.map((signal) => {
        const stop = (): void => {
          if (stopping) return;
          stopping = true;
          noteInterrupt(signal);
          progress.done();
          writeErr(`migration-lint verify: ${signal}: stopping, dropping what the run created`);
          void engine.close().finally(() => process.exit(interruptExitCode(signal)));
        };
        process.once(signal, stop);
        return [signal, stop] as const;
      });
      return () => {
        for (const [signal, stop] of stops) process.removeListener(signal, stop);
        progress.done();
      };
    },
  });
  let sets: Awaited<typeof work>;
  try {
    sets = await work;
  } catch (error) {
    // The statement running when the signal came fails as its connection closes: not an error to report.
    if (stopping) return new Promise<number>(() => undefined);
    throw error;
  }
  const wallMs = performance.now();
  if (argv.format === "json") await writeOut(formatJson(sets, { wallMs }));
  else {
    await writeOut(formatText(sets, { all: !!argv.all, color: useColor(argv.color), wallMs }));
  }
  return sets.some((s) => s.report.results.some((r) => failsAt(r.status, failOn))) ? 1 : 0;
}

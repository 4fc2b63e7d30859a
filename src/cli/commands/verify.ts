/**
 * `migration-lint verify [paths..]`: prove each migration's down by round trip on a real PostgreSQL
 * (embedded PGlite by default, a server with --database-url). Exit 1 when any migration is not exact.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { verify, type GeneratedDownFactory } from "../../api.js";
import type { LayoutId } from "../../layout/types.js";
import { formatJson, formatText } from "../../verify/format.js";
import type { ShimMode } from "../../verify/shim.js";
import { isFailing } from "../../verify/verify.js";
import { noteInterrupt } from "../interrupt.js";
import { onlyFormats, type GlobalOptions } from "../options.js";
import { useColor, writeOut } from "../output.js";
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
        .option("all", { type: "boolean", describe: "List exact migrations too" })
        .check(onlyFormats("verify", ["stylish", "json"])) as Argv<VerifyArgs>,
    handler: async (argv: ArgumentsCamelCase<VerifyArgs>) => {
      process.exitCode = await runVerify(argv, options.generated ?? true);
    },
  };
}

export const verifyCommand = createVerifyCommand();

async function runVerify(argv: ArgumentsCamelCase<VerifyArgs>, generated: true | GeneratedDownFactory): Promise<number> {
  const progress = progressBar("verifying");
  const sets = await verify(argv.paths ?? [], {
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
    onProgress: (done, total) => progress.update(done, total),
    onEngine: (engine) => {
      // Ctrl-C: drop the throw-away database before leaving (a listener replaces Node's default exit).
      const stop = () => {
        noteInterrupt("SIGINT");
        void engine.close().finally(() => process.exit(130));
      };
      process.once("SIGINT", stop);
      return () => {
        process.removeListener("SIGINT", stop);
        progress.done();
      };
    },
  });
  if (argv.format === "json") await writeOut(formatJson(sets));
  else {
    await writeOut(formatText(sets, { all: !!argv.all, color: useColor(argv.color) }));
  }
  return sets.some((s) => s.report.results.some((r) => isFailing(r.status))) ? 1 : 0;
}

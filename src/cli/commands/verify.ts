/**
 * `migration-lint verify [paths..]`: prove each migration's down by round trip on a real PostgreSQL
 * (embedded PGlite by default, a server with --database-url). Exit 1 when any migration is not exact.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { resolveConfig } from "../../api.js";
import { InputError } from "../../errors.js";
import { discover } from "../../layout/discover.js";
import type { LayoutId, MigrationSet } from "../../layout/types.js";
import { loadParser } from "../../parse/index.js";
import type { Engine } from "../../verify/engine.js";
import { VerifyUsageError } from "../../verify/errors.js";
import { formatJson, formatText, type SetReport } from "../../verify/format.js";
import { generatedDowns } from "../../verify/generated.js";
import { PgliteEngine } from "../../verify/pglite.js";
import { ServerEngine } from "../../verify/server.js";
import type { ShimMode } from "../../verify/shim.js";
import { isFailing, verifyMigrations, type DownSupplier } from "../../verify/verify.js";
import type { GlobalOptions } from "../options.js";
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
  all?: boolean;
}

/** Supplies generated downs for a set (`--generated`); replaceable so tests and embedders can plug their own. */
export type GeneratedDownFactory = (set: MigrationSet, config: { pgVersion: number; searchPath: readonly string[]; timeoutsSetByRunner: boolean }) => DownSupplier;

export function createVerifyCommand(options: { generated?: GeneratedDownFactory } = {}): CommandModule<GlobalOptions, VerifyArgs> {
  const generated: GeneratedDownFactory =
    options.generated ??
    ((set, config) =>
      generatedDowns(set, {
        settings: { pgVersion: config.pgVersion, timeoutsSetByRunner: config.timeoutsSetByRunner },
        searchPath: config.searchPath,
      }));
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
        .option("all", { type: "boolean", describe: "List exact migrations too" }) as Argv<VerifyArgs>,
    handler: async (argv: ArgumentsCamelCase<VerifyArgs>) => {
      try {
        process.exitCode = await runVerify(argv, generated);
      } catch (error) {
        if (error instanceof VerifyUsageError) throw new InputError(error.message);
        throw error;
      }
    },
  };
}

export const verifyCommand = createVerifyCommand();

async function runVerify(argv: ArgumentsCamelCase<VerifyArgs>, generated: GeneratedDownFactory): Promise<number> {
  const cwd = process.cwd();
  const { config, baseDir } = await resolveConfig({ cwd, configPath: argv.config });
  await loadParser();
  const discovered = await discover(argv.paths?.length ? argv.paths : ["."], {
    cwd,
    layout: (argv.layout as LayoutId | undefined) ?? config.layout,
    configDir: baseDir,
    transaction: config.transaction,
    history: config.history,
  });
  if (discovered.length === 0) throw new InputError("no migrations found under the given paths");
  const url = argv.databaseUrl ?? process.env["DATABASE_URL"];
  const progress = progressBar("verifying");
  const sets: SetReport[] = [];
  for (const { set } of discovered) {
    // Each set is its own history, so it gets its own database; all its migrations share that one engine.
    const engine: Engine = url
      ? await ServerEngine.create({ url, inPlace: !!argv.inPlace, allowNonempty: !!argv.allowNonempty })
      : await PgliteEngine.create();
    // Ctrl-C: drop the throw-away database before leaving (a listener replaces Node's default exit).
    const stop = () => void engine.close().finally(() => process.exit(130));
    process.once("SIGINT", stop);
    try {
      const report = await verifyMigrations(engine, set, {
        ...(argv.from === undefined ? {} : { from: argv.from }),
        ...(argv.to === undefined ? {} : { to: argv.to }),
        ...(argv.generated ? { downFor: generated(set, config) } : {}),
        checkUpTwice: !!argv.upTwice,
        shim: (argv.shim as ShimMode | undefined) ?? "auto",
        extensions: argv.extension ?? [],
        onProgress: (e) => progress.update(e.done, e.total),
      });
      sets.push({ root: set.root, layout: set.layout, report });
    } finally {
      process.removeListener("SIGINT", stop);
      await engine.close();
      progress.done();
    }
  }
  if (argv.format === "json") await writeOut(formatJson(sets));
  else {
    if (argv.format !== "stylish") writeErr(`migration-lint verify: --format ${argv.format} is not supported here; printing the table`);
    await writeOut(formatText(sets, { all: !!argv.all, color: useColor(argv.color) }));
  }
  return sets.some((s) => s.report.results.some((r) => isFailing(r.status))) ? 1 : 0;
}

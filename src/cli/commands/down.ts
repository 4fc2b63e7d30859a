/**
 * `migration-lint down <file..>`: print the generated down of each migration named (the whole history
 * of its folder is replayed first, once for all the files named) and its class; `--format json` gives
 * the statements and classes. Exit 1 when a migration's class reaches `--fail-on` (default: irreversible),
 * so a script can gate on it as on the lint command.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { InputError } from "../../errors.js";
import type { DownPlan } from "../../invert/types.js";
import type { LayoutId } from "../../layout/types.js";
import type { AnalyzedMigration } from "../../pipeline/analyze.js";
import type { GlobalOptions } from "../options.js";
import { writeOut } from "../output.js";

export interface DownArgs extends GlobalOptions {
  files?: string[];
}

/** The machine-readable form of one migration's down (stable: documented in docs/downs.md). */
export interface DownJson {
  migration: string;
  up: string;
  /** Where the layout keeps (or would write) the down. */
  target: string;
  class: DownPlan["class"];
  statements: {
    line: number;
    source: string;
    class: DownPlan["class"];
    reason?: string;
    inverse: string[];
    recipe?: string;
  }[];
  sql: string;
}

export function downJson(m: AnalyzedMigration): DownJson {
  return {
    migration: m.migration.id,
    up: m.migration.up.path,
    target: m.migration.downTarget.path,
    class: m.plan.class,
    statements: m.plan.statements.map((s) => ({
      line: s.source.range.start.line,
      source: s.source.text,
      class: s.class,
      ...(s.reason ? { reason: s.reason } : {}),
      inverse: s.inverse.map((i) => i.sql),
      ...(s.recipe ? { recipe: s.recipe } : {}),
    })),
    sql: m.plan.sql,
  };
}

/** Does a down of this class fail the run? `lossy` also fails on lossy; the other levels on irreversible only. */
export function downFails(cls: DownPlan["class"], failOn: string | undefined): boolean {
  return failOn === "lossy" ? cls !== "reversible" : cls === "irreversible";
}

export const downCommand: CommandModule<GlobalOptions, DownArgs> = {
  command: "down <files..>",
  describe: "Print the generated down of a migration and how reversible it is",
  builder: (y: Argv<GlobalOptions>) =>
    y.positional("files", { type: "string", array: true, describe: "Up files of the migrations (their folder's history is replayed)" }).example(
      "$0 down migrations/2024-05-01-120000_add_users/up.sql",
      "Print the down of one diesel migration",
    ) as Argv<DownArgs>,
  handler: async (argv: ArgumentsCamelCase<DownArgs>) => {
    // The analysis loads when this command runs, not when it is registered (every run registers every command).
    const [{ lintFiles }, { renderModuleDown }] = await Promise.all([import("../../api.js"), import("../../extract/render-down.js")]);
    const files = argv.files ?? [];
    if (!files.length) throw new InputError("name at least one migration file");
    const result = await lintFiles(files, {
      cwd: process.cwd(),
      configPath: argv.config,
      layout: argv.layout as LayoutId | undefined,
      runRules: false,
      ...(argv.pgVersion !== undefined ? { config: { pgVersion: argv.pgVersion } } : {}),
    });
    const chosen = result.sets.flatMap((s) => s.migrations.filter((m) => m.linted && !m.migration.prelude));
    if (!chosen.length) throw new InputError(`no migration found for ${files.join(", ")}`);
    process.exitCode = chosen.some((m) => downFails(m.plan.class, argv.failOn)) ? 1 : 0;
    if (argv.format === "json") {
      await writeOut(`${JSON.stringify(chosen.length === 1 ? downJson(chosen[0]!) : chosen.map(downJson), null, 2)}\n`);
      return;
    }
    const parts = chosen.map((m) => {
      const target = m.migration.downTarget;
      // A TypeScript/JavaScript migration: the down() body in the module's own call style.
      const text = target.kind === "module" && m.migration.up.origin ? renderModuleDown(m.migration.up.origin.text, target.path, m.plan, target.style) : m.plan.sql;
      const comment = target.kind === "module" ? "//" : "--";
      return chosen.length > 1 ? `${comment} ${target.path}\n${text}` : text;
    });
    await writeOut(parts.join("\n"));
  },
};

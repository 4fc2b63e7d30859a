/**
 * `migration-lint plan --rollback --steps N | --to <migration> [paths..]`: the combined rollback script
 * of the last N migrations of one set (or of every migration after the target), newest first, each
 * part headed by its class. Refuses (exit 1, listing them) when a migration in the range is
 * irreversible, unless --allow-irreversible. The static half of `rollback --steps N --dry-run`.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import { InputError } from "../../errors.js";
import { irreversibleParts, renderRollback, type DownSource, type RollbackPlan } from "../../history/rollback.js";
import type { LayoutId } from "../../layout/types.js";
import { TOOL_VERSION } from "../../meta.js";
import { onlyFormats, type GlobalOptions } from "../options.js";
import { writeErr, writeOut } from "../output.js";
import { progressBar } from "../progress.js";

export interface PlanArgs extends GlobalOptions {
  paths?: string[];
  rollback?: boolean;
  steps?: number;
  to?: string;
  allowIrreversible?: boolean;
  downs?: string;
  databaseUrl?: string;
}

export const planCommand: CommandModule<GlobalOptions, PlanArgs> = {
  command: "plan [paths..]",
  describe: "Print the combined rollback script of the last N migrations (--rollback --steps N | --to <migration>)",
  builder: (y: Argv<GlobalOptions>) =>
    y
      .positional("paths", { type: "string", array: true, describe: "The migration folder (default: the current directory); one set" })
      .option("rollback", { type: "boolean", describe: "Plan a rollback (the only plan there is for now)" })
      .option("steps", { type: "number", describe: "Roll back the last N migrations" })
      .option("to", { type: "string", describe: "Roll back every migration after this one (it stays applied)" })
      .option("allow-irreversible", { type: "boolean", describe: "Print the plan even when a migration in the range is irreversible" })
      .option("downs", {
        type: "string",
        choices: ["generated", "written"],
        default: "generated",
        describe: "generated: the downs planned from the history; written: the hand-written downs where they exist",
      })
      .option("database-url", { type: "string", describe: "Count the range in the migrations this live database has applied (its runner's journal), not in files" })
      .conflicts("steps", "to")
      .check(onlyFormats("plan", ["stylish", "json"])) as Argv<PlanArgs>,
  handler: async (argv: ArgumentsCamelCase<PlanArgs>) => {
    // The analysis loads when this command runs, not when it is registered (every run registers every command).
    const { rollbackPlan } = await import("../../history/api.js");
    if (!argv.rollback) throw new InputError("plan needs --rollback (with --steps N or --to <migration>)");
    if (argv.steps === undefined && argv.to === undefined) throw new InputError("plan --rollback needs --steps N or --to <migration>");
    if (argv.steps !== undefined && Number.isNaN(argv.steps)) throw new InputError("--steps needs a number");
    const progress = progressBar("replaying");
    const range = argv.to !== undefined ? { to: argv.to } : { steps: argv.steps! };
    const common = {
      cwd: process.cwd(),
      ...(argv.config ? { configPath: argv.config } : {}),
      ...(argv.layout ? { layout: argv.layout as LayoutId } : {}),
      downs: (argv.downs as DownSource | undefined) ?? "generated",
      onProgress: (d: number, t: number) => progress.update(d, t),
    };
    const plan = argv.databaseUrl
      ? await (await import("../../live/plan.js")).appliedRollbackPlan(argv.paths ?? [], range, { ...common, url: argv.databaseUrl })
      : await rollbackPlan(argv.paths ?? [], range, common);
    progress.done();
    const irreversible = irreversibleParts(plan);
    const refused = irreversible.length > 0 && !argv.allowIrreversible;
    if (argv.format === "json") {
      await writeOut(planJson(plan, refused));
    } else {
      if (refused) writeErr(refusal(irreversible));
      else await writeOut(renderRollback(plan, TOOL_VERSION));
    }
    process.exitCode = refused ? 1 : 0;
  },
};

function refusal(parts: RollbackPlan["parts"]): string {
  const lines = [`migration-lint plan: refusing: ${parts.length} irreversible migration${parts.length === 1 ? "" : "s"} in the range (--allow-irreversible prints the plan anyway):`];
  for (const p of parts) {
    lines.push(`  ${p.migration.id} (${p.migration.up.path})`);
    for (const r of p.reasons) lines.push(`    ${r}`);
  }
  return lines.join("\n");
}

function planJson(plan: RollbackPlan, refused: boolean): string {
  const doc = {
    root: plan.root,
    layout: plan.layout,
    target: plan.target?.id ?? null,
    refused,
    parts: plan.parts.map((p) => ({ id: p.migration.id, class: p.class, source: p.source, transactional: p.transactional, reasons: p.reasons, sql: p.sql })),
    ...(refused ? {} : { script: renderRollback(plan, TOOL_VERSION) }),
  };
  return JSON.stringify(doc, null, 2) + "\n";
}

/**
 * The config file's schema (`migration-lint.config.json`, or a `migration-lint` key in package.json).
 * The JSON Schema shipped for editors is generated from this (`npm run schema`), never written by hand.
 */
import { z } from "zod";
import { LAYOUT_IDS } from "../layout/registry.js";
import type { LayoutId } from "../layout/types.js";


const severity = z.enum(["off", "info", "warning", "error"]);

const ruleSetting = z.union([
  severity,
  z.tuple([severity]),
  z.tuple([severity, z.record(z.string(), z.unknown())]),
]);

export const configSchema = z
  .object({
    $schema: z.string().optional(),
    layout: z.enum(LAYOUT_IDS as [LayoutId, ...LayoutId[]]).optional().describe("Force one migration layout instead of detecting it."),
    include: z.array(z.string()).optional().describe("Globs of migration files to lint (relative to the config file)."),
    exclude: z.array(z.string()).optional().describe("Globs of migration files to skip (history is still replayed)."),
    pgVersion: z
      .number()
      .int()
      .min(10)
      .max(19)
      .default(14)
      .describe("Major version of the target PostgreSQL server; some rules depend on it."),
    searchPath: z.array(z.string().min(1)).min(1).default(["public"]).describe("Schemas unqualified names resolve to."),
    timeoutsSetByRunner: z
      .boolean()
      .default(false)
      .describe("The runner or role sets lock_timeout/statement_timeout, so the timeout rules stay quiet."),
    rules: z
      .record(z.string(), ruleSetting)
      .default({})
      .describe('Rule id → "off" | "info" | "warning" | "error", or [severity, options].'),
    transaction: z
      .record(z.string(), z.boolean())
      .default({})
      .describe("Glob → whether the runner wraps each matching migration in a transaction (overrides the layout)."),
    history: z
      .array(z.string())
      .default([])
      .describe("Folders of older migrations replayed before the set as history (never linted)."),
    failOn: z
      .enum(["irreversible", "lossy", "warning", "error"])
      .default("error")
      .describe("What fails the run: error findings (default, includes irreversible migrations), or stricter."),
  })
  .strict();

export type ConfigInput = z.input<typeof configSchema>;
export type Config = z.output<typeof configSchema>;
export type RuleSetting = z.output<typeof ruleSetting>;

export function defaultConfig(): Config {
  return configSchema.parse({});
}

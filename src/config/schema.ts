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
    journal: z
      .object({
        schema: z.string().min(1).optional().describe("Schema of the runner's table of applied migrations (default: the runner's)."),
        table: z.string().min(1).optional().describe("That table's name (default: the runner's; required with idColumn)."),
        lockTable: z.string().min(1).optional().describe("The runner's lock table where it is named apart from the journal (Kysely's migrationLockTableName; default: the runner's)."),
        idColumn: z.string().min(1).optional().describe("A hand-made runner's journal: the column naming the migration (its id, file name or version)."),
        appliedAtColumn: z.string().min(1).optional().describe("Column that orders the rows (when each was applied)."),
        statusColumn: z.string().min(1).optional().describe("Column holding a status such as applied / failed / rolled_back."),
        appliedValues: z.array(z.string()).optional().describe("Status values that mean applied (default: any but rolled back / reverted / pending)."),
        failedValues: z.array(z.string()).optional().describe('Status values that mean failed (default: "failed", "error").'),
        rolledBackAtColumn: z.string().min(1).optional().describe("Column set to now() on rollback instead of deleting the row; rows with it set are not applied."),
      })
      .strict()
      .optional()
      .describe("Where the runner records applied migrations, for `status` and `rollback` (see docs/rollback.md)."),
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

/**
 * Findings about a migration set rather than about one migration's SQL: made once per set, outside
 * the per-migration `check` (a removed migration or a stray file has no migration to run a check on),
 * yet under a rule's id, message templates and configured severity like every other finding.
 */
import type { MigrationSet } from "../layout/types.js";
import type { Range } from "../parse/source.js";
import { FILE_START, format, type ResolvedRule } from "./engine.js";
import type { Finding } from "./types.js";

export type Report = (ruleId: string, messageId: string, path: string, range: Range, migrationId: string | undefined, data: Record<string, string | number>) => void;

/** A `Report` that fills `findings`; a rule that is off (not among `rules`) reports nothing. */
export function reporter(rules: readonly ResolvedRule[], findings: Finding[]): Report {
  return (ruleId, messageId, path, range, migrationId, data) => {
    const resolved = rules.find((r) => r.rule.meta.id === ruleId);
    if (!resolved) return;
    const { meta } = resolved.rule;
    const template = (meta.messages as Record<string, string>)[messageId];
    if (template === undefined) throw new Error(`rule ${ruleId} has no message ${messageId}`);
    const help = typeof meta.help === "string" ? meta.help : (meta.help as Record<string, string | undefined>)[messageId];
    findings.push({
      ruleId,
      severity: resolved.severity,
      path,
      range,
      messageId,
      message: format(template, data),
      ...(help ? { help: format(help, data) } : {}),
      data,
      ...(migrationId !== undefined ? { migrationId } : {}),
    });
  };
}

export const STRAY_MIGRATION_FILE = "stray-migration-file";

/** Why a layout's runner never applies a file it finds among its migrations. */
const WHY: Partial<Record<MigrationSet["layout"], string>> = {
  drizzle: "it is not an entry of meta/_journal.json (drizzle-orm's migrate() applies only journal entries)",
};

/**
 * `stray-migration-file`: SQL files in a set's folder that belong to no migration, as discovery picked
 * them for this run (all of a folder that was linted, or the files a hook named).
 */
export function strayFindings(set: MigrationSet, strays: readonly string[], rules: readonly ResolvedRule[]): Finding[] {
  const findings: Finding[] = [];
  const report = reporter(rules, findings);
  for (const file of strays) {
    report(STRAY_MIGRATION_FILE, "stray", file, FILE_START, undefined, {
      file,
      layout: set.layout,
      root: set.root,
      why: WHY[set.layout] ?? `its name or place is not one of a ${set.layout} migration`,
    });
  }
  return findings;
}

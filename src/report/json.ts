/**
 * The stable machine format (documented in docs/json-format.md). Version 1:
 * { version, tool, files: [{ path, migrationId?, root, layout, role: "up" | "down" | "stray", reversibility?, transactional? }],
 *   findings: [{ ruleId, severity, path, line, column, endLine, endColumn, messageId, message, help?, data?, fix?, migrationId? }],
 *   summary: { files, errors, warnings, infos } }
 */
import type { Formatter } from "./types.js";

export const JSON_FORMAT_VERSION = 1;

export const json: Formatter = (input) => {
  const count = (s: string): number => input.findings.filter((f) => f.severity === s).length;
  const doc = {
    version: JSON_FORMAT_VERSION,
    tool: { name: "migration-lint", version: input.toolVersion },
    files: input.files,
    findings: input.findings.map((f) => ({
      ruleId: f.ruleId,
      severity: f.severity,
      path: f.path,
      line: f.range.start.line,
      column: f.range.start.column,
      endLine: f.range.end.line,
      endColumn: f.range.end.column,
      messageId: f.messageId,
      message: f.message,
      ...(f.help ? { help: f.help } : {}),
      ...(f.data ? { data: f.data } : {}),
      ...(f.fix ? { fix: f.fix } : {}),
      ...(f.migrationId ? { migrationId: f.migrationId } : {}),
    })),
    summary: { files: input.files.length, errors: count("error"), warnings: count("warning"), infos: count("info") },
  };
  return JSON.stringify(doc, null, 2) + "\n";
};

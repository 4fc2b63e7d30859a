/**
 * The stable machine format (documented in docs/json-format.md). Version 1:
 * { version, tool, files: [{ path, migrationId?, root, layout, role: "up" | "down" | "stray", reversibility?, transactional? }],
 *   findings: [{ ruleId, severity, path, line, column, endLine, endColumn, messageId, message, help?, data?, fix?, migrationId? }],
 *   summary: { files, errors, warnings, infos } }
 */
import type { Formatter } from "./types.js";

export const JSON_FORMAT_VERSION = 1;

export const json: Formatter = (input) => {
  const count = (s: string): number => {
    let n = 0;
    for (const f of input.findings) if (f.severity === s) n++;
    return n;
  };
  const doc = {
    version: JSON_FORMAT_VERSION,
    tool: { name: "migration-lint", version: input.toolVersion },
    files: input.files,
    findings: input.findings.map((f) => {
      // Optional keys assigned in order, not spread in: a temporary object per key and finding.
      const out: Record<string, unknown> = {
        ruleId: f.ruleId,
        severity: f.severity,
        path: f.path,
        line: f.range.start.line,
        column: f.range.start.column,
        endLine: f.range.end.line,
        endColumn: f.range.end.column,
        messageId: f.messageId,
        message: f.message,
      };
      if (f.help) out.help = f.help;
      if (f.data) out.data = f.data;
      if (f.fix) out.fix = f.fix;
      if (f.migrationId) out.migrationId = f.migrationId;
      return out;
    }),
    summary: { files: input.files.length, errors: count("error"), warnings: count("warning"), infos: count("info") },
  };
  return JSON.stringify(doc, null, 2) + "\n";
};

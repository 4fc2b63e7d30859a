/**
 * The stable machine format (documented in docs/json-format.md). Version 1:
 * { version, tool, files: [{ path, migrationId?, root, layout, role: "up" | "down" | "stray", reversibility?, transactional? }],
 *   findings: [{ ruleId, severity, path, line, column, endLine, endColumn, messageId, message, help?, data?, fix?, migrationId? }],
 *   summary: { files, errors, warnings, infos } }
 */
import type { Finding } from "../lint/types.js";
import type { Formatter } from "./types.js";

export const JSON_FORMAT_VERSION = 1;

export const json: Formatter = (input) => {
  const count = (s: string): number => input.findings.filter((f) => f.severity === s).length;
  const doc = {
    version: JSON_FORMAT_VERSION,
    tool: { name: "migration-lint", version: input.toolVersion },
    files: input.files,
    findings: input.findings.map(findingJson),
    summary: { files: input.files.length, errors: count("error"), warnings: count("warning"), infos: count("info") },
  };
  return JSON.stringify(doc, null, 2) + "\n";
};

/**
 * One finding, its keys in the documented order. The optional keys are assigned, not spread in
 * (`...(f.help ? { help } : {})`): V8 builds a spread followed by more properties on its slow path, and
 * a corpus report has tens of thousands of findings.
 */
function findingJson(f: Finding): Record<string, unknown> {
  const o: Record<string, unknown> = {
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
  if (f.help) o["help"] = f.help;
  if (f.data) o["data"] = f.data;
  if (f.fix) o["fix"] = f.fix;
  if (f.migrationId) o["migrationId"] = f.migrationId;
  return o;
}

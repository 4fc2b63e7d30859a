/**
 * SARIF 2.1.0, in the subset GitHub code scanning accepts: one run, the tool's rules with help URIs,
 * results with a ruleId/ruleIndex, a level and a region (1-based lines and columns).
 */
import type { Log, ReportingDescriptor, Result } from "sarif";
import { compareText } from "../layout/version.js";
import { HOMEPAGE, ruleDocsUrl } from "../meta.js";
import type { Formatter } from "./types.js";

const level = (s: string): "error" | "warning" | "note" => (s === "error" ? "error" : s === "warning" ? "warning" : "note");

export const sarif: Formatter = (input) => {
  // Code-unit order: the same log on every machine, whatever its locale.
  const rules = [...input.rules].sort((a, b) => compareText(a.id, b.id));
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const doc: Log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "migration-lint",
            version: input.toolVersion,
            semanticVersion: input.toolVersion,
            informationUri: HOMEPAGE,
            rules: rules.map((r): ReportingDescriptor => ({
              id: r.id,
              name: r.id
                .split("-")
                .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
                .join(""),
              shortDescription: { text: r.description },
              fullDescription: { text: r.docs.rationale },
              helpUri: ruleDocsUrl(r.id),
              help: { text: typeof r.help === "string" ? r.help : Object.values(r.help).join("\n"), markdown: r.docs.rationale },
              defaultConfiguration: { level: r.defaultSeverity === "off" ? "none" : level(r.defaultSeverity) },
              properties: { category: r.category, tags: [r.category] },
            })),
          },
        },
        columnKind: "utf16CodeUnits",
        results: input.findings.map((f): Result => ({
          ruleId: f.ruleId,
          ...(index.has(f.ruleId) ? { ruleIndex: index.get(f.ruleId) } : {}),
          level: level(f.severity),
          message: { text: f.help ? `${f.message}\n${f.help}` : f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: toUri(f.path) },
                region: {
                  startLine: f.range.start.line,
                  startColumn: f.range.start.column,
                  endLine: Math.max(f.range.end.line, f.range.start.line),
                  endColumn: f.range.end.line > f.range.start.line ? f.range.end.column : Math.max(f.range.end.column, f.range.start.column + 1),
                },
              },
            },
          ],
          partialFingerprints: { primaryLocationLineHash: fingerprint(`${f.ruleId}:${f.path}:${f.message}`) },
        })),
      },
    ],
  };
  return JSON.stringify(doc, null, 2) + "\n";
};

/** Relative paths with forward slashes, percent-encoded as URIs require. */
function toUri(p: string): string {
  return p
    .replace(/\\/g, "/")
    .split("/")
    .map((seg) => encodeURIComponent(seg))
    .join("/");
}

/** A stable short hash (FNV-1a) so code scanning can track a finding across commits. */
function fingerprint(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, "0");
}

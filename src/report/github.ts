/**
 * GitHub Actions workflow commands: one `::error file=…,line=…,col=…::message` line per finding, so
 * findings appear as annotations on the pull request's diff.
 */
import type { Formatter } from "./types.js";

// Workflow-command escaping: data escapes %, CR, LF; properties also escape : and ,.
const escapeData = (s: string): string => s.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
const escapeProperty = (s: string): string => escapeData(s).replace(/:/g, "%3A").replace(/,/g, "%2C");

export const github: Formatter = (input) =>
  input.findings
    .map((f) => {
      const level = f.severity === "error" ? "error" : f.severity === "warning" ? "warning" : "notice";
      const props = [
        `file=${escapeProperty(f.path)}`,
        `line=${f.range.start.line}`,
        `col=${f.range.start.column}`,
        `endLine=${f.range.end.line}`,
        `endColumn=${f.range.end.column}`,
        `title=${escapeProperty(`migration-lint(${f.ruleId})`)}`,
      ].join(",");
      const text = f.help ? `${f.message}\n${f.help}` : f.message;
      return `::${level} ${props}::${escapeData(text)}\n`;
    })
    .join("");

/**
 * ESLint-style output: each file with findings, then `line:col  severity  message  rule-id`, the help
 * line under each finding, and a summary. Colours only when asked (the CLI asks on a TTY).
 */
import type { Finding } from "../lint/types.js";
import type { Formatter } from "./types.js";

const paint = (on: boolean, code: string) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

export const stylish: Formatter = (input) => {
  const red = paint(input.color, "31");
  const yellow = paint(input.color, "33");
  const blue = paint(input.color, "34");
  const dim = paint(input.color, "2");
  const bold = paint(input.color, "1");
  const underline = paint(input.color, "4");

  const byFile = new Map<string, Finding[]>();
  for (const f of input.findings) {
    let list = byFile.get(f.path);
    if (!list) byFile.set(f.path, (list = []));
    list.push(f);
  }
  const lines: string[] = [];
  let errors = 0;
  let warnings = 0;
  let infos = 0;
  for (const [path, findings] of byFile) {
    lines.push(underline(path));
    const posWidth = Math.max(...findings.map((f) => `${f.range.start.line}:${f.range.start.column}`.length));
    for (const f of findings) {
      const pos = `${f.range.start.line}:${f.range.start.column}`.padEnd(posWidth);
      const sev = f.severity === "error" ? red("error  ") : f.severity === "warning" ? yellow("warning") : blue("info   ");
      if (f.severity === "error") errors++;
      else if (f.severity === "warning") warnings++;
      else infos++;
      lines.push(`  ${dim(pos)}  ${sev}  ${f.message}  ${dim(f.ruleId)}`);
      if (f.help) lines.push(`  ${" ".repeat(posWidth)}  ${dim(`help: ${f.help}`)}`);
    }
    lines.push("");
  }
  const total = errors + warnings + infos;
  const files = new Set(input.files.map((f) => f.path)).size;
  const hidden = input.hidden ? ` (${input.hidden} warning${input.hidden === 1 ? "" : "s"} or info hidden by --quiet)` : "";
  if (total === 0) {
    lines.push(hidden ? `${files} file${files === 1 ? "" : "s"} checked, no errors${hidden}.` : `${files} file${files === 1 ? "" : "s"} checked, no problems.`);
  } else {
    const parts = [`${errors} error${errors === 1 ? "" : "s"}`, `${warnings} warning${warnings === 1 ? "" : "s"}`];
    if (infos) parts.push(`${infos} info`);
    const mark = errors ? red("✖") : yellow("⚠");
    lines.push(bold(`${mark} ${total} problem${total === 1 ? "" : "s"} (${parts.join(", ")}) in ${byFile.size} of ${files} file${files === 1 ? "" : "s"}${hidden}`));
  }
  return lines.join("\n") + "\n";
};

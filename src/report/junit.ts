/** JUnit XML for CI systems that show test reports: one testsuite per file, one failing testcase per finding. */
import type { Finding } from "../lint/types.js";
import type { Formatter } from "./types.js";

// XML 1.0 cannot hold most control characters, even escaped; they are dropped.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;
const xml = (s: string): string =>
  s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(CONTROL, "");

export const junit: Formatter = (input) => {
  const byFile = new Map<string, Finding[]>();
  for (const f of input.files) byFile.set(f.path, []);
  for (const f of input.findings) {
    let list = byFile.get(f.path);
    if (!list) byFile.set(f.path, (list = []));
    list.push(f);
  }
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const failures = input.findings.filter((f) => f.severity === "error").length;
  out.push(`<testsuites name="migration-lint" tests="${Math.max(input.findings.length, byFile.size)}" failures="${failures}">`);
  for (const [path, findings] of byFile) {
    const errs = findings.filter((f) => f.severity === "error").length;
    out.push(`  <testsuite name="${xml(path)}" tests="${Math.max(1, findings.length)}" failures="${errs}">`);
    if (!findings.length) out.push(`    <testcase name="${xml(path)}" classname="migration-lint"/>`);
    for (const f of findings) {
      const name = `${f.range.start.line}:${f.range.start.column} ${f.ruleId}`;
      out.push(`    <testcase name="${xml(name)}" classname="${xml(path)}">`);
      const tag = f.severity === "error" ? "failure" : "system-out";
      out.push(
        tag === "failure"
          ? `      <failure message="${xml(f.message)}" type="${xml(f.ruleId)}">${xml(`${path}:${f.range.start.line}:${f.range.start.column} ${f.message}${f.help ? `\n${f.help}` : ""}`)}</failure>`
          : `      <system-out>${xml(`${f.severity}: ${path}:${f.range.start.line}:${f.range.start.column} ${f.message}`)}</system-out>`,
      );
      out.push("    </testcase>");
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n") + "\n";
};

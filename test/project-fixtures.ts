/**
 * The project fixtures (fixtures/projects/<case>/: a project folder with its migrations and, for the
 * history rules, a `migration-lint.lock`), shared by the golden runner and the docs test.
 */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { lintWithHistory } from "../src/history/lint.js";

const ROOT = path.resolve(import.meta.dirname, "../fixtures/projects");

/** The project folders under fixtures/projects/ (each holds a findings.expected.json). */
export function projectCases(): { name: string; dir: string }[] {
  if (!existsSync(ROOT)) return [];
  return readdirSync(ROOT)
    .sort()
    .map((name) => ({ name, dir: path.join(ROOT, name) }))
    .filter((c) => existsSync(path.join(c.dir, "findings.expected.json")));
}

/** Lints a project case as `migration-lint --format json` run in its folder would. */
export async function runProjectCase(dir: string): Promise<[string, string, string][]> {
  const result = await lintWithHistory(["."], { cwd: dir });
  return result.findings.map((f) => [f.ruleId, `${f.path}:${f.range.start.line}:${f.range.start.column}`, f.messageId]);
}

/** The history fixtures (fixtures/history/<case>/: a project folder with migrations and a lock), shared by the golden runner and the docs test. */
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { lintWithHistory } from "../src/history/lint.js";

const ROOT = path.resolve(import.meta.dirname, "../fixtures/history");

/** The project folders under fixtures/history/. */
export function historyCases(): { name: string; dir: string }[] {
  if (!existsSync(ROOT)) return [];
  return readdirSync(ROOT)
    .sort()
    .map((name) => ({ name, dir: path.join(ROOT, name) }))
    .filter((c) => existsSync(path.join(c.dir, "migration-lint.lock")));
}

/** Lints a history case as `migration-lint --format json` run in its folder would. */
export async function runHistoryCase(dir: string): Promise<[string, string, string][]> {
  const result = await lintWithHistory(["."], { cwd: dir });
  return result.findings.map((f) => [f.ruleId, `${f.path}:${f.range.start.line}:${f.range.start.column}`, f.messageId]);
}

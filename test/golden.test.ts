/**
 * The golden runner: every case under fixtures/<family>/<case>/ is a small migration history.
 *   history/*.sql          earlier migrations, replayed in name order (optional)
 *   up.sql                 the migration under test
 *   down.sql               an existing hand-written down (optional)
 *   case.json              { "transactional": bool, "pgVersion": n, "rules": {…} } (optional)
 *   down.expected.sql      the generated down, compared exactly (optional)
 *   findings.expected.json the findings as [ruleId, line:col, messageId] triples, compared exactly (optional)
 * A case under fixtures/projects/<case>/ is a project folder instead: migrations, and for the lock
 * rules the `migration-lint.lock` they are checked against (rules about files, not about one up);
 * it is linted the way the CLI lints it, and findings.expected.json holds every finding as
 * [ruleId, path:line:col, messageId], paths relative to the case folder.
 * Run with UPDATE_GOLDEN=1 to (re)write the expected files after checking the change is right.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { allRules } from "../rules/index.js";
import { configSchema } from "../src/config/schema.js";
import { resolveRules } from "../src/lint/engine.js";
import { loadParser } from "../src/parse/parse.js";
import { analyzeSet } from "../src/pipeline/analyze.js";
import { migrationSetFromSql, type SqlMigrationInput } from "../src/pipeline/in-memory.js";
import { projectCases, runProjectCase } from "./project-fixtures.js";

const FIXTURES = path.resolve(import.meta.dirname, "../fixtures");
const update = process.env["UPDATE_GOLDEN"] === "1";

interface CaseFile {
  transactional?: boolean;
  pgVersion?: number;
  rules?: Record<string, unknown>;
}

function cases(): { family: string; name: string; dir: string }[] {
  if (!existsSync(FIXTURES)) return [];
  const out: { family: string; name: string; dir: string }[] = [];
  for (const family of readdirSync(FIXTURES).sort()) {
    const familyDir = path.join(FIXTURES, family);
    for (const name of readdirSync(familyDir).sort()) {
      const dir = path.join(familyDir, name);
      if (family !== "projects" && existsSync(path.join(dir, "up.sql"))) out.push({ family, name, dir });
    }
  }
  return out;
}

export function runCase(dir: string) {
  const read = (f: string): string | undefined => (existsSync(path.join(dir, f)) ? readFileSync(path.join(dir, f), "utf8") : undefined);
  const spec = JSON.parse(read("case.json") ?? "{}") as CaseFile;
  const config = configSchema.parse({ pgVersion: spec.pgVersion, rules: spec.rules ?? {} });
  const historyDir = path.join(dir, "history");
  const inputs: SqlMigrationInput[] = existsSync(historyDir)
    ? readdirSync(historyDir)
        .filter((f) => f.endsWith(".sql"))
        .sort()
        .map((f) => ({ name: `history/${f.replace(/\.sql$/, "")}`, up: readFileSync(path.join(historyDir, f), "utf8"), prelude: true }))
    : [];
  inputs.push({ name: "up", up: read("up.sql")!, down: read("down.sql"), transactional: spec.transactional ?? true });
  const set = migrationSetFromSql(inputs, path.relative(process.cwd(), dir));
  const analyzed = analyzeSet(set, {
    settings: { pgVersion: config.pgVersion, timeoutsSetByRunner: config.timeoutsSetByRunner },
    searchPath: config.searchPath,
    rules: resolveRules(allRules, config),
  });
  return analyzed.migrations.at(-1)!;
}

describe("golden fixtures", () => {
  beforeAll(async () => {
    await loadParser();
  });
  for (const c of cases()) {
    it(`${c.family}/${c.name}`, () => {
      const result = runCase(c.dir);
      const downFile = path.join(c.dir, "down.expected.sql");
      if (existsSync(downFile) || (update && c.family === "invert")) {
        if (update) writeFileSync(downFile, result.plan.sql);
        expect(result.plan.sql).toBe(readFileSync(downFile, "utf8"));
      }
      const findingsFile = path.join(c.dir, "findings.expected.json");
      if (existsSync(findingsFile) || (update && c.family !== "invert")) {
        const got = result.findings.map((f) => [f.ruleId, `${path.basename(f.path)}:${f.range.start.line}:${f.range.start.column}`, f.messageId]);
        if (update) writeFileSync(findingsFile, `[\n${got.map((g) => `  ${JSON.stringify(g)}`).join(",\n")}\n]\n`);
        expect(got).toEqual(JSON.parse(readFileSync(findingsFile, "utf8")));
      }
    });
  }
});

describe("golden project fixtures (project folders)", () => {
  beforeAll(async () => {
    await loadParser();
  });
  for (const c of projectCases()) {
    it(`projects/${c.name}`, async () => {
      const got = await runProjectCase(c.dir);
      const findingsFile = path.join(c.dir, "findings.expected.json");
      if (update) writeFileSync(findingsFile, `[\n${got.map((g) => `  ${JSON.stringify(g)}`).join(",\n")}\n]\n`);
      expect(got).toEqual(JSON.parse(readFileSync(findingsFile, "utf8")));
    });
  }
});

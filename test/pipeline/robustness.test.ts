/**
 * Property: whatever text a migration holds (arbitrary strings, real corpus files cut at random
 * offsets or with random bytes inserted), parse → replay → down plan → rules → every formatter
 * finishes and yields findings; nothing throws.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { globbySync } from "globby";
import { beforeAll, describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { defaultConfig } from "../../src/config/schema.js";
import { resolveRules } from "../../src/lint/engine.js";
import { loadParser } from "../../src/parse/parse.js";
import { analyzeSet } from "../../src/pipeline/analyze.js";
import { migrationSetFromSql } from "../../src/pipeline/in-memory.js";
import { formatters, FORMATS } from "../../src/report/index.js";

const CORPUS = path.resolve(import.meta.dirname, "../../../shared/corpus");
const corpusFiles = globbySync("**/*.sql", { cwd: CORPUS })
  .sort()
  .map((f) => readFileSync(path.join(CORPUS, f), "utf8"));

beforeAll(loadParser);

function pipeline(up: string, down?: string): number {
  const config = defaultConfig();
  const result = analyzeSet(migrationSetFromSql([{ name: "history", up: "CREATE TABLE t (id int primary key, a text);", prelude: true }, { name: "m", up, down }]), {
    settings: { pgVersion: config.pgVersion, timeoutsSetByRunner: false },
    searchPath: config.searchPath,
    rules: resolveRules(allRules, config),
  });
  const m = result.migrations.at(-1)!;
  for (const format of FORMATS) {
    formatters[format]({
      files: [{ path: m.migration.up.path, migrationId: "m", root: "<memory>", layout: "plain", role: "up", reversibility: m.plan.class }],
      findings: m.findings,
      rules: allRules.map((r) => r.meta),
      toolVersion: "0",
      color: false,
    });
  }
  return m.findings.length + m.up.statements.length;
}

const sqlish = fc.stringMatching(/^[\sa-zA-Z0-9_(),;'"$*\-/.=<>:]*$/, { maxLength: 200 });
const sqlWords = fc
  .array(fc.constantFrom("CREATE", "TABLE", "t", "(", ")", ";", "ALTER", "ADD", "COLUMN", "DROP", "INDEX", "DO", "$$", "BEGIN", "END", "'", "--", "/*", "*/", "int", ",", "\n", "CONCURRENTLY", "IF", "NOT", "EXISTS"), { maxLength: 40 })
  .map((w) => w.join(" "));

describe("pipeline robustness", () => {
  it("never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), sqlish, sqlWords), fc.option(sqlWords, { nil: undefined }), (up, down) => {
        expect(pipeline(up, down)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 400 },
    );
  });

  it("never throws on corpus files truncated or with random bytes inserted", () => {
    expect(corpusFiles.length).toBeGreaterThan(2000);
    const mutated = fc
      .tuple(fc.integer({ min: 0, max: corpusFiles.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.string({ unit: "binary", maxLength: 8 }), fc.boolean())
      .map(([i, at, bytes, truncate]) => {
        const text = corpusFiles[i]!;
        const cut = Math.floor(at * text.length);
        return truncate ? text.slice(0, cut) : text.slice(0, cut) + bytes + text.slice(cut);
      });
    fc.assert(
      fc.property(mutated, (text) => {
        expect(pipeline(text)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });
});

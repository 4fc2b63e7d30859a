/**
 * An outcome keeps plans and findings of the linted migrations; the rest of a restored set is analysed
 * again, once, when first read.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { defaultConfig } from "../../src/config/schema.js";
import { resolveRules } from "../../src/lint/engine.js";
import { loadParser } from "../../src/parse/parse.js";
import { analyzeSet, type AnalyzeOptions } from "../../src/pipeline/analyze.js";
import { migrationSetFromSql } from "../../src/pipeline/in-memory.js";
import { outcomeOf, restoreSet } from "../../src/pipeline/outcome.js";

beforeAll(loadParser);

const config = defaultConfig();
const options: AnalyzeOptions = { settings: { pgVersion: config.pgVersion, timeoutsSetByRunner: false }, searchPath: config.searchPath, rules: resolveRules(allRules, config) };
const set = migrationSetFromSql([
  { name: "history", up: "CREATE TABLE t (id int PRIMARY KEY, a text NOT NULL);", prelude: true },
  { name: "m1", up: "ALTER TABLE t DROP COLUMN a;" },
  { name: "m2", up: "CREATE INDEX t_id ON t (id);" },
]);

describe("set outcomes", () => {
  it("keeps the linted migrations' plans and findings, nothing for replayed history", () => {
    const analyzed = analyzeSet(set, options);
    const outcome = outcomeOf(analyzed);
    expect(outcome.migrations[0]).toBeNull();
    expect(outcome.migrations[1]!.plan.class).toBe("lossy");
    expect(outcome.migrations[1]!.findings.map((f) => f.ruleId)).toEqual(analyzed.migrations[1]!.findings.map((f) => f.ruleId));
    expect(outcome.migrations[1]!.findings.length).toBeGreaterThan(0);
    // Plain data: it crosses threads as it is.
    expect(structuredClone(outcome)).toEqual(outcome);
  });

  it("analyses the set again only when a part the outcome left out is read", () => {
    const first = analyzeSet(set, options);
    let again = 0;
    const restored = restoreSet(set, outcomeOf(first), () => {
      again++;
      return analyzeSet(set, options);
    });
    expect(restored.set).toBe(set);
    expect(restored.migrations.map((m) => [m.migration, m.linted])).toEqual(set.migrations.map((m, i) => [m, i > 0]));
    expect(restored.migrations[2]!.plan.sql).toBe(first.migrations[2]!.plan.sql);
    expect(restored.migrations[2]!.findings).toEqual(first.migrations[2]!.findings);
    expect(again).toBe(0);
    expect([...restored.migrations[1]!.catalogAfter.tables.get("public.t")!.columns.map((c) => c.name)]).toEqual(["id"]);
    expect(restored.migrations[0]!.plan.sql).toBe(first.migrations[0]!.plan.sql);
    expect(restored.migrations[2]!.up.statements.map((s) => s.tag)).toEqual(["IndexStmt"]);
    expect(again).toBe(1);
  });

  it("keeps what a caller replaces", () => {
    const restored = restoreSet(set, outcomeOf(analyzeSet(set, options)), () => analyzeSet(set, options));
    const m = restored.migrations[1]!;
    m.findings = [];
    m.down = undefined;
    expect(m.findings).toEqual([]);
    expect(m.down).toBeUndefined();
  });

  it("refuses an outcome of another set", () => {
    const other = migrationSetFromSql([{ name: "x", up: "SELECT 1;" }]);
    expect(() => restoreSet(set, outcomeOf(analyzeSet(other, options)), () => analyzeSet(set, options))).toThrow(/1 migrations, the set 3/);
  });
});

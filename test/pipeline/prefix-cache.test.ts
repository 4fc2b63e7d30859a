/**
 * The history-prefix layer of `--cache` (src/pipeline/prefix-cache.ts) on real histories: a run that
 * restores the stored catalog gives the same outcome (plans and findings) and the same catalogs as a
 * full analysis, and a change to any part of the key replays the history instead.
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { discoverSets } from "../../src/api.js";
import { defaultConfig } from "../../src/config/schema.js";
import type { MigrationSet } from "../../src/layout/types.js";
import { resolveRules } from "../../src/lint/engine.js";
import { loadParser } from "../../src/parse/parse.js";
import { analyzeSet, type AnalyzeOptions } from "../../src/pipeline/analyze.js";
import type { SideEntries } from "../../src/pipeline/cache.js";
import { outcomeOf } from "../../src/pipeline/outcome.js";
import { analyzeWithPrefix, historyPrefixLength, prefixKeys, type PrefixStats } from "../../src/pipeline/prefix-cache.js";

const CORPUS = path.resolve(import.meta.dirname, "../../../shared/corpus");

beforeAll(loadParser);

async function corpusSet(project: string): Promise<MigrationSet> {
  const cwd = path.join(CORPUS, project);
  const sets = await discoverSets(["."], { cwd, config: defaultConfig(), baseDir: cwd });
  return sets.map((s) => s.set).sort((a, b) => b.migrations.length - a.migrations.length)[0]!;
}

/** Lints the set's last migration (what the pre-commit hook does), the rest is history. */
function lastOnly(set: MigrationSet, over: Partial<AnalyzeOptions> = {}): AnalyzeOptions {
  const config = defaultConfig();
  return {
    settings: { pgVersion: config.pgVersion, timeoutsSetByRunner: config.timeoutsSetByRunner },
    searchPath: config.searchPath,
    rules: resolveRules(allRules, config),
    selected: new Set([set.migrations.at(-1)!.id]),
    ...over,
  };
}

function run(set: MigrationSet, options: AnalyzeOptions, side: SideEntries, warnings: string[] = []) {
  const stats: PrefixStats = { restored: -1, stored: -1 };
  const analyzed = analyzeWithPrefix(set, options, side, (m) => warnings.push(m), stats);
  return { analyzed, stats };
}

const withText = (set: MigrationSet, index: number, extra: string): MigrationSet => ({
  ...set,
  migrations: set.migrations.map((m, i) => (i === index ? { ...m, up: { ...m.up, text: `${m.up.text}\n${extra}\n` } } : m)),
});

describe.each(["rust-lang__crates.io", "ory__kratos"])("the history prefix of %s", (project) => {
  let set: MigrationSet;
  beforeAll(async () => {
    set = await corpusSet(project);
  });

  it("is stored by the first run and restored by the next, with the outcome and catalogs of a full analysis", () => {
    const options = lastOnly(set);
    const n = set.migrations.length;
    expect(historyPrefixLength(set, options)).toBe(n - 1);
    const full = analyzeSet(set, options);
    const side: SideEntries = new Map();
    const first = run(set, options, side);
    expect(first.stats).toEqual({ restored: 0, stored: n - 1 });
    const second = run(set, options, side);
    expect(second.stats).toEqual({ restored: n - 1, stored: 0 });
    for (const { analyzed } of [first, second]) {
      expect(outcomeOf(analyzed)).toStrictEqual(outcomeOf(full));
      expect(analyzed.migrations.map((m) => m.migration)).toEqual(set.migrations);
    }
    const [got, want] = [second.analyzed.migrations.at(-1)!, full.migrations.at(-1)!];
    expect(got.catalogBefore).toStrictEqual(want.catalogBefore);
    expect(got.catalogAfter).toStrictEqual(want.catalogAfter);
    expect(got.plan).toStrictEqual(want.plan);
    expect(got.plan.statements.length).toBeGreaterThan(0);
    // A history migration read anyway (its catalog, its down plan) is analysed again, the same.
    expect(second.analyzed.migrations[n - 2]!.catalogAfter).toStrictEqual(full.migrations[n - 2]!.catalogAfter);
    expect(second.analyzed.migrations[3]!.plan).toStrictEqual(full.migrations[3]!.plan);
  }, 120_000);

  it("after a commit (one more migration in the history) restores the shorter prefix and replays one", () => {
    const before = { ...set, migrations: set.migrations.slice(0, -1) };
    const side: SideEntries = new Map();
    expect(run(before, lastOnly(before), side).stats.stored).toBe(set.migrations.length - 2);
    const options = lastOnly(set);
    const after = run(set, options, side);
    expect(after.stats).toEqual({ restored: set.migrations.length - 2, stored: set.migrations.length - 1 });
    expect(outcomeOf(after.analyzed)).toStrictEqual(outcomeOf(analyzeSet(set, options)));
    expect(run(set, options, side).stats.restored).toBe(set.migrations.length - 1);
  }, 120_000);

  it("replays the history again when a migration earlier in it changes, or the search path does", () => {
    const options = lastOnly(set);
    const side: SideEntries = new Map();
    run(set, options, side);
    const changed = withText(set, 2, "CREATE TABLE prefix_cache_probe (id bigint PRIMARY KEY);");
    const edited = run(changed, options, side);
    expect(edited.stats.restored).toBe(0);
    expect(outcomeOf(edited.analyzed)).toStrictEqual(outcomeOf(analyzeSet(changed, options)));
    expect(edited.analyzed.migrations.at(-1)!.catalogBefore.tables.has("public.prefix_cache_probe")).toBe(true);
    const otherPath = lastOnly(set, { searchPath: ["app", "public"] });
    expect(run(set, otherPath, side).stats.restored).toBe(0);
    // The rules are not part of the replay: another rule set still restores it.
    const fewerRules = lastOnly(set, { rules: resolveRules(allRules.slice(0, 10), defaultConfig()) });
    const restored = run(set, fewerRules, side);
    expect(restored.stats.restored).toBe(set.migrations.length - 1);
    expect(outcomeOf(restored.analyzed)).toStrictEqual(outcomeOf(analyzeSet(set, fewerRules)));
  }, 120_000);

  it("keys every prefix on the tool version", () => {
    const options = lastOnly(set);
    const ours = prefixKeys(set, options, 5);
    const other = prefixKeys(set, options, 5, "0.0.0-other");
    expect(ours.keys).toHaveLength(5);
    expect(new Set([...ours.keys, ...other.keys]).size).toBe(10);
    expect(prefixKeys(set, options, 5).keys).toEqual(ours.keys);
  });

  it("drops a damaged entry with a warning and replays the history", () => {
    const options = lastOnly(set);
    const side: SideEntries = new Map();
    run(set, options, side);
    const [key, entry] = [...side].find(([k]) => k.startsWith("prefix:"))!;
    side.set(key, { ...(entry as object), catalog: '["o","tables",' });
    const warnings: string[] = [];
    const damaged = run(set, options, side, warnings);
    expect(warnings).toEqual([expect.stringMatching(/^ignoring a damaged history-prefix entry \(.+\); replaying the history$/)]);
    expect(damaged.stats).toEqual({ restored: 0, stored: set.migrations.length - 1 });
    expect(outcomeOf(damaged.analyzed)).toStrictEqual(outcomeOf(analyzeSet(set, options)));
    side.set(key, "not an entry");
    const notEntry: string[] = [];
    expect(run(set, options, side, notEntry).stats.restored).toBe(0);
    expect(notEntry).toHaveLength(1);
  }, 120_000);
});

describe("the history prefix", () => {
  it("ends before the first linted or unapplied migration, and is empty when everything is linted", async () => {
    const set = await corpusSet("authelia__authelia");
    const ids = set.migrations.map((m) => m.id);
    const base = lastOnly(set);
    expect(historyPrefixLength(set, { ...base, selected: undefined })).toBe(0);
    expect(historyPrefixLength(set, { ...base, selected: new Set([ids[5]!, ids[7]!]) })).toBe(5);
    expect(historyPrefixLength(set, { ...base, unapplied: new Set([ids[3]!]) })).toBe(3);
    const side: SideEntries = new Map();
    const options = { ...base, unapplied: new Set([ids[3]!]) };
    run(set, options, side);
    const again = run(set, options, side);
    expect(again.stats.restored).toBe(3);
    expect(outcomeOf(again.analyzed)).toStrictEqual(outcomeOf(analyzeSet(set, options)));
  }, 60_000);
});

/**
 * Sets analysed on worker threads give the same results, in the same order, as one thread; what a
 * worker does not send back (syntax trees, catalogs, history plans) is analysed again when read.
 */
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { lintFiles, type LintResult } from "../../src/api.js";
import type { MigrationSet } from "../../src/layout/types.js";
import { loadParser } from "../../src/parse/parse.js";
import { allRules } from "../../rules/index.js";
import { discoverSets } from "../../src/api.js";
import { defaultConfig } from "../../src/config/schema.js";
import { resolveRules } from "../../src/lint/engine.js";
import { AnalysisPool, MIN_SHARED_WORK, queueOrder, setCost, wireRules, workerCount, worthSharing } from "../../src/pipeline/parallel.js";
import { migrationSetFromSql } from "../../src/pipeline/in-memory.js";

const CORPUS = path.resolve(import.meta.dirname, "../../../shared/corpus");
// Four sets of four layouts (diesel, concourse with Go migrations, authelia, drizzle): enough SQL
// besides the largest set for the pool to share them.
const SETS = ["rust-lang__crates.io", "concourse__concourse", "authelia__authelia", "dittofeed__dittofeed"].map((d) => path.join(CORPUS, d));

beforeAll(loadParser);

const saved = process.env["MIGRATION_LINT_WORKERS"];
afterEach(() => {
  if (saved === undefined) delete process.env["MIGRATION_LINT_WORKERS"];
  else process.env["MIGRATION_LINT_WORKERS"] = saved;
});

function set(name: string, bytes: number): MigrationSet {
  return migrationSetFromSql([{ name: "a", up: `SELECT ${"1".repeat(bytes)};` }], name);
}

describe("sharing sets between threads", () => {
  it("queues the largest sets first, ties in discovery order", () => {
    const sets = [set("s0", 10), set("s1", 500), set("s2", 10), set("s3", 90)];
    expect(sets.map(setCost)).toEqual([18, 508, 18, 98]);
    expect(queueOrder(sets)).toEqual([1, 3, 0, 2]);
  });

  it("shares only when the sets besides the largest hold enough work", () => {
    expect(worthSharing([set("big", 10 * MIN_SHARED_WORK)])).toBe(false);
    expect(worthSharing([set("big", 10 * MIN_SHARED_WORK), set("small", 1000)])).toBe(false);
    expect(worthSharing([set("a", MIN_SHARED_WORK), set("b", MIN_SHARED_WORK)])).toBe(true);
  });

  it("takes the worker count from the option, then MIGRATION_LINT_WORKERS", () => {
    process.env["MIGRATION_LINT_WORKERS"] = "0";
    expect(workerCount(undefined)).toBe(0);
    expect(workerCount(2)).toBe(2);
    process.env["MIGRATION_LINT_WORKERS"] = "1";
    expect(workerCount(undefined)).toBe(1);
    process.env["MIGRATION_LINT_WORKERS"] = "lots";
    expect(workerCount(undefined)).toBe(0);
  });

  it("leaves one core to V8's compiler and garbage collector by default", async () => {
    const { defaultWorkers } = await import("../../src/pipeline/threads.js");
    expect([1, 2, 3, 4, 8, 64].map(defaultWorkers)).toEqual([0, 0, 1, 2, 3, 3]);
  });

  it("lets a ready worker take sets from the queue, and puts every set back in its place", { timeout: 120_000 }, async () => {
    const config = defaultConfig();
    const discovered = await discoverSets(SETS, { cwd: CORPUS, config, baseDir: CORPUS });
    const rules = resolveRules(allRules, config);
    const jobs = discovered.map(({ set }) => ({ set, options: { settings: { pgVersion: config.pgVersion, timeoutsSetByRunner: false }, searchPath: config.searchPath, rules } }));
    const pool = AnalysisPool.start(1)!;
    try {
      expect(await pool.ready()).toBe(true);
      const sets = await pool.run(jobs, wireRules(rules)!);
      expect(sets.map((s) => s.set)).toEqual(jobs.map((j) => j.set));
      expect(sets.every((s, i) => s.set === jobs[i]!.set)).toBe(true);
      // The worker, already waiting, takes sets while the main thread analyses the largest.
      expect(pool.stats.byWorkers.length).toBeGreaterThan(0);
      expect(pool.stats.byMain.length).toBeGreaterThan(0);
      expect([...pool.stats.byMain, ...pool.stats.byWorkers].sort()).toEqual(jobs.map((_, i) => i));
    } finally {
      pool.close();
    }
  });

  it("gives the same findings, files, classes and downs with a worker as without", { timeout: 120_000 }, async () => {
    const one = await lintFiles(SETS, { cwd: CORPUS, workers: 0 });
    const shared = await lintFiles(SETS, { cwd: CORPUS, workers: 1 });
    expect(shared.sets.map((s) => s.set.root)).toEqual(one.sets.map((s) => s.set.root));
    expect(one.sets.length).toBeGreaterThanOrEqual(4);
    expect(shared.findings).toEqual(one.findings);
    expect(shared.files).toEqual(one.files);
    const downs = (r: LintResult) => r.sets.flatMap((s) => s.migrations.map((m) => [m.migration.id, m.linted, m.plan.class, m.plan.sql]));
    expect(downs(shared)).toEqual(downs(one));
    // The restored sets read what the outcome left out by analysing again.
    const last = (r: LintResult) => r.sets[1]!.migrations.at(-1)!;
    expect([...last(shared).catalogAfter.tables.keys()].sort()).toEqual([...last(one).catalogAfter.tables.keys()].sort());
    expect(last(shared).up.statements.map((s) => s.text)).toEqual(last(one).up.statements.map((s) => s.text));
    expect(last(shared).transactions.mode).toEqual(last(one).transactions.mode);
  });
});

describe("workers started ahead", () => {
  it("are taken by the next pool, and stopped when no pool takes them", async () => {
    const { prestartWorkers, takePrestarted, discardPrestarted } = await import("../../src/pipeline/threads.js");
    prestartWorkers(2);
    const taken = takePrestarted(1);
    expect(taken).toHaveLength(1);
    // The second one was stopped: nothing is left to take.
    expect(takePrestarted(1)).toEqual([]);
    expect(await taken[0]!.ready).toBe(true);
    await taken[0]!.worker.terminate();
    prestartWorkers(1);
    const pool = AnalysisPool.start(1)!;
    try {
      expect(await pool.ready()).toBe(true);
    } finally {
      pool.close();
    }
    prestartWorkers(1);
    discardPrestarted();
    expect(takePrestarted(1)).toEqual([]);
  });
});

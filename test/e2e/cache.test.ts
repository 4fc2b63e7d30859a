/**
 * `--cache` through the real command line. To see whether a run used the cache, a test marks every
 * cached finding's message in the cache file (in the stored reports and in the sets' outcomes): a run
 * that prints the mark read the cache, one that prints the real message analysed again. Each key part
 * gets its change-and-recompute check.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_CACHE_FILE, readCacheFile, writeCacheFile, type CacheContents } from "../../src/pipeline/cache.js";
import { MANIFEST_KEY_PREFIX } from "../../src/cli/report-manifest.js";
import { runCli } from "./in-process.js";
import { USERS_HISTORY, writeTree } from "../write-tree.js";

/** The stored reports, without the invocations' manifests kept beside them (test/cli/cached-rerun.test.ts). */
const reportsOnly = (c: CacheContents) => c.reports.filter((r) => !r.key.startsWith(MANIFEST_KEY_PREFIX));

const tmp = mkdtempSync(path.join(tmpdir(), "mll-cache-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const MARK = "from the cache";

let n = 0;
function project(): string {
  const dir = path.join(tmp, `p${n++}`);
  return writeTree(dir, USERS_HISTORY);
}

/** Replaces every cached finding's message with MARK, in the outcomes and in the reports' text. */
function markCache(file: string, edit: (c: CacheContents) => void = () => {}): void {
  const cache = readCacheFile(file);
  const messages = new Set<string>();
  for (const entry of Object.values(cache.entries)) {
    for (const m of entry.migrations) {
      for (const f of m?.findings ?? []) {
        messages.add(f.message);
        f.message = MARK;
      }
    }
  }
  cache.reports = cache.reports.map((r) => {
    let text = r.output.toString("utf8");
    // As JSON and SARIF print a message (escaped), and as the text formats do.
    for (const m of messages) text = text.split(JSON.stringify(m).slice(1, -1)).join(MARK).split(m).join(MARK);
    return { ...r, output: Buffer.from(text) };
  });
  edit(cache);
  writeCacheFile(file, cache);
}

const lint = (dir: string, ...extra: string[]) => runCli(["--format", "json", "--cache", ...extra], dir);

describe("--cache", () => {
  it("gives byte-identical results to an uncached run, and the second run reads the cache", async () => {
    const dir = project();
    const uncached = await runCli(["--format", "json"], dir);
    expect(existsSync(path.join(dir, DEFAULT_CACHE_FILE))).toBe(false);
    const first = await lint(dir);
    expect(first).toEqual(uncached);
    const second = await lint(dir);
    expect(second).toEqual(uncached);
    expect(JSON.parse(uncached.stdout).findings.length).toBeGreaterThan(2);
    markCache(path.join(dir, DEFAULT_CACHE_FILE));
    expect((await lint(dir)).stdout).toContain(MARK);
  });

  it("is recomputed when a migration earlier in the history changes", async () => {
    const dir = project();
    await lint(dir);
    markCache(path.join(dir, DEFAULT_CACHE_FILE));
    writeFileSync(path.join(dir, "migrations/1_users.up.sql"), "CREATE TABLE users (id bigint PRIMARY KEY, name text, email text);\n");
    const run = await lint(dir);
    expect(run.stdout).not.toContain(MARK);
    expect(run.stdout).toBe((await runCli(["--format", "json"], dir)).stdout);
  });

  it("is recomputed when the config or the target PostgreSQL version changes", async () => {
    const dir = project();
    await lint(dir);
    markCache(path.join(dir, DEFAULT_CACHE_FILE));
    expect((await lint(dir, "--pg-version", "16")).stdout).not.toContain(MARK);
    await lint(dir);
    markCache(path.join(dir, DEFAULT_CACHE_FILE));
    writeFileSync(path.join(dir, "migration-lint.config.json"), JSON.stringify({ rules: { "require-idempotent": "off" } }));
    const run = await lint(dir);
    expect(run.stdout).not.toContain(MARK);
    expect(run.stdout).not.toContain("require-idempotent");
  });

  it("is recomputed after a version change of the tool", async () => {
    const dir = project();
    await lint(dir);
    markCache(path.join(dir, DEFAULT_CACHE_FILE), (c) => (c.tool = "0.0.0-older"));
    expect((await lint(dir)).stdout).not.toContain(MARK);
  });

  it("ignores a corrupt cache file with a warning, and rewrites it", async () => {
    const dir = project();
    const expected = (await runCli(["--format", "json"], dir)).stdout;
    const file = path.join(dir, DEFAULT_CACHE_FILE);
    writeFileSync(file, '{"format": 1, "entries": {"abc": ');
    const run = await lint(dir);
    expect(run.stderr).toMatch(/^migration-lint: warning: ignoring the cache file .*\.migration-lint-cache: .+\n$/);
    expect(run.stdout).toBe(expected);
    expect((await lint(dir)).stderr).toBe("");
  });

  it("--cache-location takes a file or a folder (ESLint's convention)", async () => {
    const dir = project();
    await lint(dir, "--cache-location", "cache-here/");
    expect(existsSync(path.join(dir, "cache-here", DEFAULT_CACHE_FILE))).toBe(true);
    await lint(dir, "--cache-location", "my.cache");
    expect(existsSync(path.join(dir, "my.cache"))).toBe(true);
    expect(existsSync(path.join(dir, DEFAULT_CACHE_FILE))).toBe(false);
  });

  it("stores the report per format and options: each prints as an uncached run of it does, with its exit code", async () => {
    const dir = project();
    const runs: string[][] = [["--format", "json"], ["--format", "stylish"], ["--format", "sarif"], ["--format", "json", "--quiet"], ["--format", "json", "--fail-on", "warning"], ["--format", "json", "--max-warnings", "0"]];
    const uncached = [];
    for (const args of runs) uncached.push(await runCli(args, dir));
    // Each in turn twice with --cache, interleaved: a report of one never stands in for another.
    for (let round = 0; round < 2; round++) {
      for (const [i, args] of runs.entries()) expect(await runCli([...args, "--cache"], dir)).toEqual(uncached[i]);
    }
    expect(uncached[0]!.code).toBe(0);
    expect(uncached[4]!.code).toBe(1);
    expect(uncached[5]!.code).toBe(1);
    expect(uncached[1]!.stdout).not.toBe(uncached[0]!.stdout);
  });

  it("prints the stored report on a hit, and falls back to the sets' outcomes when the report misses", async () => {
    const dir = project();
    await lint(dir);
    const file = path.join(dir, DEFAULT_CACHE_FILE);
    const stored = readCacheFile(file);
    expect(reportsOnly(stored)).toHaveLength(1);
    expect(reportsOnly(stored)[0]!.output.toString("utf8")).toBe((await runCli(["--format", "json"], dir)).stdout);
    // Only the report marked: the hit prints it.
    writeCacheFile(file, { ...stored, reports: stored.reports.map((r) => ({ ...r, output: Buffer.from(r.output.toString("utf8").replace(/"message": "[^"]*"/, `"message": "${MARK}"`)) })) });
    expect((await lint(dir)).stdout).toContain(MARK);
    // Only the outcomes marked, and another format: its report misses, the unchanged set's outcome is reused.
    writeCacheFile(file, stored);
    markCache(file, (c) => (c.reports = []));
    const stylish = await runCli(["--format", "stylish", "--cache"], dir);
    expect(stylish.stdout).toContain(MARK);
    expect(reportsOnly(readCacheFile(file))).toHaveLength(1);
  });

  it("is recomputed when the lock file changes", async () => {
    const dir = project();
    await lint(dir);
    markCache(path.join(dir, DEFAULT_CACHE_FILE));
    expect((await lint(dir)).stdout).toContain(MARK);
    expect((await runCli(["lock"], dir)).code).toBe(0);
    expect(existsSync(path.join(dir, "migration-lint.lock"))).toBe(true);
    markCache(path.join(dir, DEFAULT_CACHE_FILE));
    writeFileSync(path.join(dir, "migrations/1_users.down.sql"), "DROP TABLE users CASCADE;\n");
    const edited = await lint(dir);
    expect(edited.stdout).not.toContain(MARK);
    expect(edited).toEqual(await runCli(["--format", "json"], dir));
    // The same files, the lock file changed by hand: not the stored report.
    await lint(dir);
    markCache(path.join(dir, DEFAULT_CACHE_FILE), (c) => (c.entries = {}));
    writeFileSync(path.join(dir, "migration-lint.lock"), readFileSync(path.join(dir, "migration-lint.lock"), "utf8").replace(/"[0-9a-f]{64}"/, `"${"0".repeat(64)}"`));
    const relocked = await lint(dir);
    expect(relocked.stdout).not.toContain(MARK);
    expect(relocked).toEqual(await runCli(["--format", "json"], dir));
  });

  it("keeps the last few reports, newest first", async () => {
    const dir = project();
    for (const format of ["json", "sarif", "junit", "github", "stylish"]) await runCli(["--format", format, "--cache"], dir);
    // Each run keeps its report and its invocation's manifest: eight entries are the last four runs.
    const all = readCacheFile(path.join(dir, DEFAULT_CACHE_FILE));
    expect(all.reports).toHaveLength(8);
    const reports = reportsOnly(all);
    expect(reports).toHaveLength(4);
    expect(reports[0]!.output.toString("utf8")).toBe((await runCli(["--format", "stylish"], dir)).stdout);
  });

  it("does not use the report layer with --fix (it writes files) nor with --since (it asks git)", async () => {
    const dir = project();
    await runCli(["--fix", "--cache"], dir);
    expect(readCacheFile(path.join(dir, DEFAULT_CACHE_FILE)).reports).toHaveLength(0);
  });
});


/**
 * `--cache` through the real command line. To see whether a run used the cache, a test marks every
 * cached finding's message in the cache file: a run that prints the mark read the cache, one that
 * prints the real message analysed again. Each key part gets its change-and-recompute check.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_CACHE_FILE } from "../../src/pipeline/cache.js";
import { runCli } from "./in-process.js";

const tmp = mkdtempSync(path.join(tmpdir(), "mll-cache-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const MARK = "from the cache";

let n = 0;
function project(): string {
  const dir = path.join(tmp, `p${n++}`);
  const files: Record<string, string> = {
    "migrations/1_users.up.sql": "CREATE TABLE users (id bigint PRIMARY KEY, name text);\n",
    "migrations/1_users.down.sql": "DROP TABLE users;\n",
    "migrations/2_index.up.sql": "CREATE INDEX users_name ON users (name);\n",
    "migrations/3_drop.up.sql": "ALTER TABLE users DROP COLUMN name;\n",
  };
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

interface CacheFile {
  tool: string;
  entries: Record<string, { migrations: ({ findings: { message: string }[] } | null)[] }>;
}

/** Replaces every cached finding's message with MARK. */
function markCache(file: string, edit: (c: CacheFile) => void = () => {}): void {
  const cache = JSON.parse(readFileSync(file, "utf8")) as CacheFile;
  for (const entry of Object.values(cache.entries)) for (const m of entry.migrations) for (const f of m?.findings ?? []) f.message = MARK;
  edit(cache);
  writeFileSync(file, JSON.stringify(cache));
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
});

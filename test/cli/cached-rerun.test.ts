/**
 * `--cache`'s fast path (src/cli/cached-rerun.ts, src/cli/report-manifest.ts) through the built command
 * (`bin/migration-lint.js`, real files in temporary folders, a new process per run). To see which run
 * printed a stored report, a test appends a mark to the stored reports in the cache file: a run that
 * prints the mark read the cache. Whether the fast check itself missed is asked of the stored manifest
 * (`firstChange`, the function the fast path runs), which names the question whose answer changed.
 * Needs a build (`npm run build`); without one the tests say so and are skipped.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { decodeManifest, firstChange, MANIFEST_KEY_PREFIX } from "../../src/cli/report-manifest.js";
import { DEFAULT_CACHE_FILE, readCacheFile, writeCacheFile } from "../../src/pipeline/cache.js";
import { USERS_HISTORY, writeTree } from "../write-tree.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "bin", "migration-lint.js");
const built = existsSync(path.join(ROOT, "dist", "bundle", "rerun.js")) && existsSync(path.join(ROOT, "dist", "src", "cli", "cached-rerun.js"));

const tmp = mkdtempSync(path.join(tmpdir(), "mll-rerun-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const MARK = "\n(printed from the cache)\n";

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(cwd: string, args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", CI: "1", MIGRATION_LINT_WORKERS: "0", ...env },
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const cached = (cwd: string, ...extra: string[]) => run(cwd, [".", "--format", "json", "--cache", ...extra]);
const uncached = (cwd: string, ...extra: string[]) => run(cwd, [".", "--format", "json", ...extra]);

let n = 0;
function project(files: Record<string, string> = {}): string {
  const dir = path.join(tmp, `p${n++}`);
  return writeTree(dir, { ...USERS_HISTORY, ...files });
}

function write(dir: string, rel: string, text: string): void {
  writeTree(dir, { [rel]: text });
}

/** Appends MARK to every stored report (not to the manifests). */
function mark(file: string): void {
  const c = readCacheFile(file);
  c.reports = c.reports.map((r) => (r.key.startsWith(MANIFEST_KEY_PREFIX) ? r : { ...r, output: Buffer.concat([r.output, Buffer.from(MARK)]) }));
  writeCacheFile(file, c);
}

/** What the fast check says of the cache's (only) manifest now: the question whose answer changed. */
async function fastCheck(file: string, cwd: string): Promise<string | undefined> {
  const manifests = readCacheFile(file).reports.filter((r) => r.key.startsWith(MANIFEST_KEY_PREFIX));
  expect(manifests).toHaveLength(1);
  return firstChange(decodeManifest(manifests[0]!.output), cwd);
}

/** A project run once with --cache (the manifest stored) and its reports marked. */
async function primed(files: Record<string, string> = {}): Promise<{ dir: string; file: string }> {
  const dir = project(files);
  cached(dir);
  const file = path.join(dir, DEFAULT_CACHE_FILE);
  expect(await fastCheck(file, dir)).toBeUndefined();
  mark(file);
  expect(cached(dir).stdout).toContain(MARK);
  return { dir, file };
}

/** The run after a change: the fast check names `question`, and the output is an uncached run's. */
async function expectRecomputed(dir: string, file: string, question: RegExp): Promise<Run> {
  expect(await fastCheck(file, dir)).toMatch(question);
  const after = cached(dir);
  expect(after.stdout).not.toContain(MARK);
  expect(after).toEqual(uncached(dir));
  return after;
}

describe.skipIf(!built)("--cache's fast path (the built command)", () => {
  it("prints exactly what an uncached run prints, with its exit code, and a re-run reads it before anything else loads", async () => {
    const dir = project({ "migrations/4_enum.up.sql": "CREATE TYPE mood AS ENUM ('sad');\nALTER TYPE mood ADD VALUE 'happy';\n" });
    const plain = uncached(dir);
    expect(JSON.parse(plain.stdout).findings.length).toBeGreaterThan(2);
    expect(cached(dir)).toEqual(plain);
    expect(cached(dir)).toEqual(plain);
    const file = path.join(dir, DEFAULT_CACHE_FILE);
    expect(await fastCheck(file, dir)).toBeUndefined();
    mark(file);
    const hit = cached(dir);
    expect(hit.stdout).toBe(plain.stdout + MARK);
    expect(hit.code).toBe(plain.code);
    expect(hit.stderr).toBe("");
  });

  it("misses when a migration changes with the same size and its mtime put back", async () => {
    const { dir, file } = await primed();
    const target = path.join(dir, "migrations/2_index.up.sql");
    // A whole second, so the same mtime can be put back exactly (utimes takes seconds as a float).
    utimesSync(target, 1_700_000_000, 1_700_000_000);
    expect(cached(dir).stdout).toContain(MARK);
    const before = statSync(target);
    const text = readFileSync(target, "utf8");
    const edited = text.replace("users_name", "users_nama");
    expect(edited.length).toBe(text.length);
    writeFileSync(target, edited);
    utimesSync(target, 1_700_000_000, 1_700_000_000);
    expect(statSync(target).mtimeMs).toBe(before.mtimeMs);
    expect(statSync(target).size).toBe(before.size);
    const after = await expectRecomputed(dir, file, /^read .*2_index\.up\.sql$/);
    expect(after.stdout).toContain("users_nama");
  });

  it("misses when a migration is added to a walked folder, or a file is deleted", async () => {
    const { dir, file } = await primed();
    write(dir, "migrations/4_more.up.sql", "ALTER TABLE users ADD COLUMN email text;\n");
    expect((await expectRecomputed(dir, file, /^walk /)).stdout).toContain("4_more.up.sql");
    mark(file);
    unlinkSync(path.join(dir, "migrations/3_drop.up.sql"));
    expect((await expectRecomputed(dir, file, /^walk /)).stdout).not.toContain("3_drop.up.sql");
  });

  it("misses when a folder is renamed", async () => {
    const { dir, file } = await primed();
    renameSync(path.join(dir, "migrations"), path.join(dir, "db-migrations"));
    expect((await expectRecomputed(dir, file, /^walk /)).stdout).toContain("db-migrations/");
  });

  it("misses on a file that changes no set (the report layer then answers, and the manifest is renewed)", async () => {
    const { dir, file } = await primed();
    write(dir, "migrations/README.md", "The app's migrations.\n");
    expect(await fastCheck(file, dir)).toMatch(/^walk /);
    // The sets are the same: the report layer's key matches and prints the stored (marked) report...
    expect(cached(dir).stdout).toContain(MARK);
    // ...and the manifest now answers for the new listing.
    expect(await fastCheck(file, dir)).toBeUndefined();
  });

  it("misses when the config changes, is added, or a package.json gains the config key", async () => {
    const { dir, file } = await primed();
    expect(cached(dir).stdout).toContain("ban-drop-column");
    write(dir, "migration-lint.config.json", JSON.stringify({ rules: { "ban-drop-column": "off" } }));
    const off = await expectRecomputed(dir, file, /^read .*migration-lint\.config\.json$/);
    expect(off.stdout).not.toContain("ban-drop-column");
    mark(file);
    write(dir, "migration-lint.config.json", JSON.stringify({ rules: { "require-lock-timeout": "off" } }));
    const other = await expectRecomputed(dir, file, /^read .*migration-lint\.config\.json$/);
    expect(other.stdout).toContain("ban-drop-column");
    expect(other.stdout).not.toContain("require-lock-timeout");

    const pkg = await primed({ "package.json": JSON.stringify({ name: "app" }) });
    write(pkg.dir, "package.json", JSON.stringify({ name: "app", "migration-lint": { rules: { "ban-drop-column": "off" } } }));
    expect((await expectRecomputed(pkg.dir, pkg.file, /^read .*package\.json$/)).stdout).not.toContain("ban-drop-column");
  });

  it("misses when the lock file appears or changes", async () => {
    const { dir, file } = await primed();
    expect(run(dir, ["lock"]).code).toBe(0);
    await expectRecomputed(dir, file, /^read .*migration-lint\.lock$/);
    mark(file);
    const lock = path.join(dir, "migration-lint.lock");
    writeFileSync(lock, readFileSync(lock, "utf8").replace(/"[0-9a-f]{64}"/, `"${"0".repeat(64)}"`));
    const after = await expectRecomputed(dir, file, /^read .*migration-lint\.lock$/);
    expect(after.code).toBe(1);
  });

  it("an option or format, a spelling of them, or another working folder is another invocation", async () => {
    const { dir } = await primed();
    for (const args of [["--format", "stylish"], ["--format", "json", "--quiet"], ["--format", "json", "--fail-on", "warning"]]) {
      const r = run(dir, [".", ...args, "--cache"]);
      expect(r.stdout).not.toContain(MARK);
      expect(r).toEqual(run(dir, [".", ...args]));
    }
    // Another spelling of the same options has no manifest of its own yet: the report layer, whose key
    // is the parsed options, answers it with the same report.
    for (const args of [["--format=json"], ["-f", "json"]]) expect(run(dir, [".", ...args, "--cache"]).stdout).toBe(uncached(dir).stdout + MARK);
    // The same arguments from the folder above, sharing one cache file: not the other folder's report.
    const shared = path.join(tmp, `shared-${n}.cache`);
    const a = project();
    const b = project({ "migrations/2_index.up.sql": "CREATE INDEX CONCURRENTLY users_name ON users (name);\n" });
    expect(run(a, [".", "--format", "json", "--cache", "--cache-location", shared]).stdout).toBe(uncached(a).stdout);
    mark(shared);
    expect(run(b, [".", "--format", "json", "--cache", "--cache-location", shared])).toEqual(uncached(b));
    expect(run(a, [".", "--format", "json", "--cache", "--cache-location", shared]).stdout).toBe(uncached(a).stdout + MARK);
    expect(cached(dir).stdout).toBe(uncached(dir).stdout + MARK);
  });

  it("the colour decision's environment is part of the invocation", async () => {
    const { dir } = await primed();
    const coloured = run(dir, [".", "--format", "stylish", "--cache"], { NO_COLOR: "", FORCE_COLOR: "1" });
    expect(coloured.stdout).toContain("\u001b[");
    const plain = run(dir, [".", "--format", "stylish", "--cache"]);
    expect(plain.stdout).not.toContain("\u001b[");
    expect(plain).toEqual(run(dir, [".", "--format", "stylish"]));
  });

  it("a corrupt cache file is ignored with a warning and recomputed; a corrupt manifest falls back", async () => {
    const { dir, file } = await primed();
    const expected = uncached(dir);
    writeFileSync(file, '{"format": 2, "tool": "x", "reports": [{"key": ');
    const r = cached(dir);
    expect(r.stderr).toMatch(/^migration-lint: warning: ignoring the cache file .*\.migration-lint-cache: .+\n$/);
    expect(r).toEqual({ ...expected, stderr: r.stderr });
    expect(cached(dir)).toEqual(expected);
    // A manifest that is not JSON: the full run answers, and stores a good one again.
    const c = readCacheFile(file);
    c.reports = c.reports.map((x) => (x.key.startsWith(MANIFEST_KEY_PREFIX) ? { ...x, output: Buffer.from("{not json") } : x));
    writeCacheFile(file, c);
    expect(cached(dir)).toEqual(expected);
    expect(await fastCheck(file, dir)).toBeUndefined();
  });
});

/**
 * `--cache`'s history-prefix layer through the real command line: a run that restores the stored
 * catalog of the history prints byte for byte what a run without the cache prints, on the pre-commit
 * fixture of the bench and on corpus projects. To see that a run restored the prefix, a test removes a
 * table from the stored catalog: a run that read it reports the staged DROP TABLE differently (a drop
 * of a table the history never created is irreversible). Each key part gets its change-and-replay check.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { precommitProject } from "../../bench/corpus.js";
import { decodeCatalog, encodeCatalog } from "../../src/catalog/codec.js";
import type { PMap } from "../../src/catalog/pmap.js";
import { DEFAULT_CACHE_FILE, readCacheFile, writeCacheFile } from "../../src/pipeline/cache.js";
import { runCli } from "./in-process.js";
import { USERS_HISTORY, writeTree } from "../write-tree.js";

const CORPUS = path.resolve(import.meta.dirname, "../../../shared/corpus");
const tmp = mkdtempSync(path.join(tmpdir(), "mll-prefix-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Entry {
  set: string;
  length: number;
  catalog: string;
  used: number;
}

function prefixEntries(file: string): [string, Entry][] {
  return Object.entries(readCacheFile(file).entries).filter(([k]) => k.startsWith("prefix:")) as unknown as [string, Entry][];
}

/** Keeps only the history prefixes (no report, no set outcome), each edited by `edit`. */
function onlyPrefixes(file: string, edit: (e: Entry) => void = () => {}): void {
  const cache = readCacheFile(file);
  const kept = prefixEntries(file);
  for (const [, e] of kept) edit(e);
  writeCacheFile(file, { ...cache, reports: [], entries: Object.fromEntries(kept) as never });
}

/** The catalog of every stored prefix without this table. */
const withoutTable = (key: string) => (e: Entry) => {
  const c = decodeCatalog(e.catalog);
  expect(c.tables.has(key)).toBe(true);
  e.catalog = encodeCatalog({ ...c, tables: (c.tables as PMap<never>).delete(key) });
};

let n = 0;
function project(): string {
  const dir = path.join(tmp, `p${n++}`);
  // The staged migration drops the table: a run that restored a catalog without it says so.
  return writeTree(dir, { ...USERS_HISTORY, "migrations/2_index.down.sql": "DROP INDEX users_name;\n", "migrations/3_drop.up.sql": "DROP TABLE users;\n" });
}

const STAGED = "migrations/3_drop.up.sql";
const uncached = (dir: string, file = STAGED) => runCli([file, "--format", "json"], dir);
const cached = (dir: string, file = STAGED) => runCli([file, "--format", "json", "--cache"], dir);
const reversibility = (stdout: string) => (JSON.parse(stdout) as { files: { reversibility?: string }[] }).files[0]!.reversibility;

/** A project whose cache holds its history prefix without the users table: a run that reads it says so. */
async function tampered(): Promise<{ dir: string; file: string; truth: string }> {
  const dir = project();
  const truth = (await uncached(dir)).stdout;
  expect(reversibility(truth)).toBe("lossy");
  await cached(dir);
  const file = path.join(dir, DEFAULT_CACHE_FILE);
  expect(prefixEntries(file).map(([, e]) => e.length)).toEqual([2]);
  onlyPrefixes(file, withoutTable("public.users"));
  return { dir, file, truth };
}

describe("--cache, the history prefix", () => {
  it("is what a run restores when its report and its set's outcome miss", async () => {
    const { dir } = await tampered();
    expect(reversibility((await cached(dir)).stdout)).toBe("irreversible");
  });

  it("is replayed again when a migration earlier in the history changes", async () => {
    const { dir } = await tampered();
    writeFileSync(path.join(dir, "migrations/1_users.up.sql"), "CREATE TABLE users (id bigint PRIMARY KEY, name text, email text);\n");
    const run = await cached(dir);
    expect(run.stdout).toBe((await uncached(dir)).stdout);
    expect(reversibility(run.stdout)).toBe("lossy");
  });

  it("is replayed again when the config's search path changes, not when a rule's severity does", async () => {
    const { dir, file, truth } = await tampered();
    writeFileSync(path.join(dir, "migration-lint.config.json"), JSON.stringify({ rules: { "require-lock-timeout": "off" } }));
    // The rules do not change the replay: the (tampered) prefix is still restored.
    expect(reversibility((await cached(dir)).stdout)).toBe("irreversible");
    onlyPrefixes(file);
    writeFileSync(path.join(dir, "migration-lint.config.json"), JSON.stringify({ searchPath: ["app", "public"] }));
    const run = await cached(dir);
    expect(run.stdout).toBe((await uncached(dir)).stdout);
    expect(reversibility(run.stdout)).toBe(reversibility(truth));
  });

  it("is ignored after a version change of the tool", async () => {
    const { dir, file, truth } = await tampered();
    writeCacheFile(file, { ...readCacheFile(file), tool: "0.0.0-older" });
    expect((await cached(dir)).stdout).toBe(truth);
  });

  it("ignores a damaged entry with a warning, and replays the history", async () => {
    const { dir, file, truth } = await tampered();
    onlyPrefixes(file, (e) => (e.catalog = '["o","schemas"'));
    const run = await cached(dir);
    expect(run.stderr).toMatch(/^migration-lint: warning: .*\.migration-lint-cache: ignoring a damaged history-prefix entry \(.+\); replaying the history\n$/);
    expect(run.stdout).toBe(truth);
    // The entry was replaced by a good one.
    onlyPrefixes(file);
    const again = await cached(dir);
    expect(again).toEqual({ ...again, stdout: truth, stderr: "" });
  });
});

describe("--cache with a history prefix hit prints what an uncached run prints", () => {
  it("on the bench's pre-commit fixture (300 migrations, one staged)", async () => {
    const fixture = precommitProject(CORPUS, path.join(tmp, "hook"));
    const staged = path.relative(fixture.root, fixture.staged);
    const truth = await uncached(fixture.root, staged);
    expect(JSON.parse(truth.stdout).findings.length).toBeGreaterThan(0);
    expect(await cached(fixture.root, staged)).toEqual(truth);
    const file = path.join(fixture.root, DEFAULT_CACHE_FILE);
    expect(prefixEntries(file).map(([, e]) => e.length)).toEqual([fixture.history]);
    onlyPrefixes(file);
    expect(await cached(fixture.root, staged)).toEqual(truth);
    // And the stored catalog is what that run read: without the altered table the report changes.
    const table = /ALTER TABLE "([^"]+)"/.exec(readFileSync(fixture.staged, "utf8"))![1]!;
    onlyPrefixes(file, withoutTable(`public.${table}`));
    expect((await cached(fixture.root, staged)).stdout).not.toBe(truth.stdout);
  }, 180_000);

  it.each([
    ["rust-lang__crates.io", "migrations/2026-07-30-140000-0000_add_users_username_index/up.sql"],
    ["authelia__authelia", ""],
    ["supabase__storage", ""],
  ])("on %s, its last migration staged", async (name, staged) => {
    const dir = path.join(tmp, name);
    cpSync(path.join(CORPUS, name), dir, { recursive: true });
    const file = staged || (await lastMigrationFile(dir));
    const truth = await uncached(dir, file);
    expect(truth.code).toBeLessThan(2);
    expect(await cached(dir, file)).toEqual(truth);
    const cache = path.join(dir, DEFAULT_CACHE_FILE);
    expect(prefixEntries(cache).length).toBe(1);
    onlyPrefixes(cache);
    expect(await cached(dir, file)).toEqual(truth);
  }, 180_000);
});

/** The up file of the newest migration, as `migration-lint` finds it (the JSON report of a whole run lists them in order). */
async function lastMigrationFile(dir: string): Promise<string> {
  const all = JSON.parse((await runCli([".", "--format", "json"], dir)).stdout) as { files: { path: string; role: string }[] };
  return all.files.filter((f) => f.role === "up").at(-1)!.path;
}

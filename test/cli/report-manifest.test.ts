/**
 * The manifest's record and replay (src/cli/report-manifest.ts) on real files in a temporary folder:
 * the answers discovery's file system gives are noted as they are given, a replay on an unchanged tree
 * finds no change, and a tree that changed while the run read it stores no manifest.
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { rememberInvocation } from "../../src/cli/invocation.js";
import { askOutsideInputs, firstChange, InputLog, invocationKey, manifestEntry } from "../../src/cli/report-manifest.js";
import { nodeFs } from "../../src/layout/fs.js";

const tmp = mkdtempSync(path.join(tmpdir(), "mll-manifest-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let n = 0;
function tree(): string {
  const dir = path.join(tmp, `t${n++}`);
  mkdirSync(path.join(dir, "migrations", "nested"), { recursive: true });
  writeFileSync(path.join(dir, "migrations", "1_a.up.sql"), "CREATE TABLE a ();\n");
  writeFileSync(path.join(dir, "migrations", "nested", "2_b.up.sql"), "CREATE TABLE b ();\n");
  writeFileSync(path.join(dir, "bad.sql"), Buffer.from([0x53, 0xe9, 0x0a]));
  symlinkSync(path.join(dir, "migrations", "1_a.up.sql"), path.join(dir, "link.sql"));
  return dir;
}

/** Asks what discovery could ask, through the recording file system. */
async function record(dir: string, cacheFile = path.join(dir, ".migration-lint-cache")): Promise<InputLog> {
  const log = new InputLog(cacheFile);
  const fs = log.recording(nodeFs(dir));
  expect(await fs.walk(".")).toEqual(["bad.sql", "link.sql", "migrations/1_a.up.sql", "migrations/nested/2_b.up.sql"]);
  await fs.readText("migrations/1_a.up.sql");
  await fs.readText("link.sql");
  await expect(fs.readText("bad.sql")).rejects.toThrow(/invalid byte sequence/);
  await expect(fs.readText("missing.sql")).rejects.toThrow(/no such file/);
  expect(await fs.kind("migrations")).toBe("dir");
  expect(await fs.kind("nothing")).toBeUndefined();
  expect(await fs.exists("migrations/nested/2_b.up.sql")).toBe(true);
  await askOutsideInputs(log, dir, undefined);
  return log;
}

describe("the report manifest", () => {
  it("replays every answer the same on an unchanged tree, errors and symlinks included", async () => {
    const dir = tree();
    const manifest = (await record(dir)).manifest("report-key")!;
    expect(manifest.report).toBe("report-key");
    expect(manifest.answers.some(([q, p, a]) => q === "read" && p.endsWith("bad.sql") && a.startsWith("!malformed"))).toBe(true);
    expect(manifest.answers.some(([q, p]) => q === "read" && p === path.join(dir, "migration-lint.config.json"))).toBe(true);
    expect(manifest.answers.some(([q, p]) => q === "exists" && p === path.join(path.dirname(dir), ".git"))).toBe(true);
    expect(await firstChange(manifest, dir)).toBeUndefined();
  });

  it("names the changed answer: a symlink's target, a fixed encoding, a file that appears, a nested listing", async () => {
    const changes: [string, (dir: string) => void, RegExp][] = [
      ["link target", (d) => writeFileSync(path.join(d, "migrations", "1_a.up.sql"), "CREATE TABLE x ();\n"), /^read .*1_a\.up\.sql$/],
      ["encoding", (d) => writeFileSync(path.join(d, "bad.sql"), "S\n"), /^read .*bad\.sql$/],
      // The walk of "." is asked first, and lists it too.
      ["appears", (d) => writeFileSync(path.join(d, "missing.sql"), ""), /^walk /],
      ["nested", (d) => writeFileSync(path.join(d, "migrations", "nested", "3_c.up.sql"), ""), /^walk /],
      ["a config above", (d) => writeFileSync(path.join(path.dirname(d), "migration-lint.config.json"), "{}"), /^read .*migration-lint\.config\.json$/],
    ];
    for (const [, change, question] of changes) {
      const dir = tree();
      const manifest = (await record(dir)).manifest("k")!;
      change(dir);
      expect(await firstChange(manifest, dir)).toMatch(question);
    }
    rmSync(path.join(tmp, "migration-lint.config.json"));
  });

  it("asks about the named files first, and still finds a change anywhere else", async () => {
    const dir = tree();
    const manifest = (await record(dir)).manifest("k")!;
    const a = path.join(dir, "migrations", "1_a.up.sql");
    writeFileSync(a, "CREATE TABLE changed ();\n");
    writeFileSync(path.join(dir, "bad.sql"), "S\n");
    // In the run's order, 1_a's read comes before bad.sql's; named, bad.sql's is asked first.
    expect(await firstChange(manifest, dir)).toMatch(/^read .*1_a\.up\.sql$/);
    expect(await firstChange(manifest, dir, new Set([path.join(dir, "bad.sql")]))).toMatch(/^read .*bad\.sql$/);
    // A named file that is unchanged only moves its question: the change elsewhere is still a miss.
    writeFileSync(path.join(dir, "bad.sql"), Buffer.from([0x53, 0xe9, 0x0a]));
    expect(await firstChange(manifest, dir, new Set([path.join(dir, "bad.sql")]))).toMatch(/^read .*1_a\.up\.sql$/);
    writeFileSync(a, "CREATE TABLE a ();\n");
    expect(await firstChange(manifest, dir, new Set([path.join(dir, "bad.sql"), a]))).toBeUndefined();
  });

  it("leaves the cache file and its temporary files out of the listings", async () => {
    const dir = tree();
    const manifest = (await record(dir)).manifest("k")!;
    writeFileSync(path.join(dir, ".migration-lint-cache"), "x");
    writeFileSync(path.join(dir, ".migration-lint-cache.123.tmp"), "x");
    expect(await firstChange(manifest, dir)).toBeUndefined();
    writeFileSync(path.join(dir, ".migration-lint-cache.bak"), "x");
    expect(await firstChange(manifest, dir)).toMatch(/^walk /);
  });

  it("stores no manifest when a file changed while the run read it, or an input asked ahead changed before the run ended", async () => {
    const dir = tree();
    const log = new InputLog(path.join(dir, ".migration-lint-cache"));
    const fs = log.recording(nodeFs(dir));
    await fs.readText("migrations/1_a.up.sql");
    writeFileSync(path.join(dir, "migrations", "1_a.up.sql"), "CREATE TABLE changed ();\n");
    await fs.readText("migrations/1_a.up.sql");
    expect(log.spoiled).toBe(true);
    expect(log.manifest("k")).toBeUndefined();

    rememberInvocation(["."]);
    const later = await record(tree());
    const dir2 = path.join(tmp, `t${n - 1}`);
    expect(await manifestEntry(later, "k", 1, dir2)).toMatchObject({ key: invocationKey(["."], dir2), exitCode: 1 });
    // The config is asked before the loader reads it: an edit in between, and the report may come from
    // other bytes than the noted ones.
    writeFileSync(path.join(dir2, "migration-lint.config.json"), "{}");
    expect(await manifestEntry(later, "k", 1, dir2)).toBeUndefined();
    rmSync(path.join(dir2, "migration-lint.config.json"));
    expect(await manifestEntry(later, "k", 1, dir2)).toBeDefined();
  });

  it("stores the manifest of what discovery used when a migration changes after it was read, and the next check misses", async () => {
    rememberInvocation(["."]);
    const dir = tree();
    const log = await record(dir);
    writeFileSync(path.join(dir, "migrations", "1_a.up.sql"), "CREATE TABLE changed ();\n");
    // The run used the text it read: that is what the manifest holds, not asked again after the run …
    const entry = await manifestEntry(log, "k", 0, dir);
    expect(entry).toBeDefined();
    const stored = JSON.parse(entry!.output.toString("utf8")) as { answers: [string, string, string][] };
    expect(stored.answers.find(([q, p]) => q === "read" && p.endsWith("1_a.up.sql"))?.[2]).toBe(log.manifest("k")!.answers.find(([q, p]) => q === "read" && p.endsWith("1_a.up.sql"))?.[2]);
    // … so the edit is a miss on the next run.
    expect(await firstChange(log.manifest("k")!, dir)).toMatch(/^read .*1_a\.up\.sql$/);
  });

  it("keys an invocation on the arguments as typed, the folder and the colour's environment", () => {
    const base = invocationKey(["."], "/p", {}, false);
    expect(invocationKey(["."], "/p", {}, false)).toBe(base);
    for (const other of [invocationKey(["./"], "/p", {}, false), invocationKey(["."], "/q", {}, false), invocationKey(["."], "/p", { NO_COLOR: "1" }, false), invocationKey(["."], "/p", { FORCE_COLOR: "1" }, false), invocationKey(["."], "/p", {}, true)]) {
      expect(other).not.toBe(base);
    }
  });
});

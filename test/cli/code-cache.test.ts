/**
 * The V8 code cache of the bundled CLI (src/cli/code-cache.ts): where it lives, that a damaged or
 * foreign file is never used, and that the real CLI stores one after a lint run, takes it on the next
 * and prints the same either way.
 */
import { spawnSync } from "node:child_process";
import { chownSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { CODE_CACHE_ENV, codeCacheDir, codeCacheFile, readCodeCache, writeCodeCache } from "../../src/cli/code-cache.js";
import { runCliTraced } from "./traced-cli.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const tmp = mkdtempSync(path.join(tmpdir(), "mll-code-cache-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let n = 0;
const fresh = () => {
  const dir = path.join(tmp, `d${n++}`);
  mkdirSync(dir);
  return dir;
};

describe("the code cache's folder", () => {
  it("is the user's cache folder of each platform, moved or turned off by MIGRATION_LINT_CODE_CACHE", () => {
    expect(codeCacheDir({}, "linux", "/home/u")).toBe("/home/u/.cache/migration-lint");
    expect(codeCacheDir({ XDG_CACHE_HOME: "/xdg" }, "linux", "/home/u")).toBe("/xdg/migration-lint");
    expect(codeCacheDir({}, "darwin", "/Users/u")).toBe("/Users/u/Library/Caches/migration-lint");
    expect(codeCacheDir({ LOCALAPPDATA: "C:\\AppData" }, "win32", "C:\\Users\\u")).toBe(path.join("C:\\AppData", "migration-lint"));
    expect(codeCacheDir({}, "win32", "C:\\Users\\u")).toBeUndefined();
    expect(codeCacheDir({}, "linux", "")).toBeUndefined();
    expect(codeCacheDir({ [CODE_CACHE_ENV]: "0" }, "linux", "/home/u")).toBeUndefined();
    expect(codeCacheDir({ [CODE_CACHE_ENV]: "rel/dir" }, "linux", "/home/u")).toBe(path.resolve("rel/dir"));
  });
});

describe("a cache file", () => {
  it("reads back what was written, and nothing from a damaged, truncated or missing file", () => {
    const dir = fresh();
    const file = path.join(dir, "sub", "cli-x.v8");
    expect(writeCodeCache(file, Buffer.from("payload bytes"))).toBe(true);
    expect(readCodeCache(file)?.toString()).toBe("payload bytes");
    expect(readdirSync(path.dirname(file))).toEqual(["cli-x.v8"]);
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(bytes.length - 1) ^ 1, bytes.length - 1);
    writeFileSync(file, bytes);
    expect(readCodeCache(file)).toBeUndefined();
    writeFileSync(file, bytes.subarray(0, 20));
    expect(readCodeCache(file)).toBeUndefined();
    expect(readCodeCache(path.join(dir, "missing.v8"))).toBeUndefined();
  });

  // Only root can give a file to another user.
  it.skipIf(process.getuid?.() !== 0)("is not read when another user owns it", () => {
    const file = path.join(fresh(), "cli-x.v8");
    writeCodeCache(file, Buffer.from("payload"));
    expect(readCodeCache(file)?.toString()).toBe("payload");
    chownSync(file, 65534, 65534);
    expect(readCodeCache(file)).toBeUndefined();
  });

  it("is named by the script's bytes and the kind of run, so an edit of the same length is another file", () => {
    const a = codeCacheFile("/c", Buffer.from("let a = 1;"), "files");
    expect(a).toMatch(new RegExp(`^/c/cli-[0-9a-f]{24}-files-node${process.versions.node}-${process.arch}\\.v8$`));
    expect(codeCacheFile("/c", Buffer.from("let a = 1;"), "files")).toBe(a);
    expect(codeCacheFile("/c", Buffer.from("let b = 1;"), "files")).not.toBe(a);
    expect(codeCacheFile("/c", Buffer.from("let a = 1;"), "folders")).not.toBe(a);
  });

  it("keeps the newest eight in a folder", () => {
    const dir = fresh();
    for (let i = 0; i < 10; i++) {
      const f = path.join(dir, `cli-${i}.v8`);
      writeCodeCache(f, Buffer.from(`p${i}`));
      utimesSync(f, 1000 + i, 1000 + i);
    }
    writeFileSync(path.join(dir, "other.txt"), "not ours");
    writeCodeCache(path.join(dir, "cli-new.v8"), Buffer.from("new"));
    expect(readdirSync(dir).sort()).toEqual(["cli-3.v8", "cli-4.v8", "cli-5.v8", "cli-6.v8", "cli-7.v8", "cli-8.v8", "cli-9.v8", "cli-new.v8", "other.txt"]);
  });

  it("is not written into a folder that cannot be made, and leaves no temporary file", () => {
    const dir = fresh();
    writeFileSync(path.join(dir, "file"), "");
    expect(writeCodeCache(path.join(dir, "file", "cli-x.v8"), Buffer.from("p"))).toBe(false);
    expect(readdirSync(dir)).toEqual(["file"]);
  });
});

const built = existsSync(path.join(ROOT, "dist", "bundle", "cli.cjs")) && existsSync(path.join(ROOT, "dist", "bundle", "launch.js"));

// V8 keeps what a process compiled and hands it back for the same source without looking at any
// cached data, so each run of a script is a process of its own (the compiled code-cache module).
describe.skipIf(!built)("a script run with the cache", () => {
  const script = (dir: string, body: string) => {
    const file = path.join(dir, "s.cjs");
    writeFileSync(file, body);
    return file;
  };
  const runner = pathToFileURL(path.join(ROOT, "dist", "src", "cli", "code-cache.js")).href;
  /** Runs `file` in a new process with the cache of `dir`: its state, what `store()` did and `exports.twice(21)`. */
  const run = (file: string, dir: string | undefined) => {
    const code = `import { runCachedScript } from ${JSON.stringify(runner)};
const r = runCachedScript(${JSON.stringify(file)}, ${JSON.stringify(dir ?? null)} ?? undefined);
const value = r.exports.twice(21);
console.log(JSON.stringify({ cache: r.cache, value, url: r.exports.url, file: r.exports.file, stored: r.store() }));`;
    const p = spawnSync(process.execPath, ["--input-type=module", "-e", code], { encoding: "utf8" });
    expect(p.stderr).toBe("");
    return JSON.parse(p.stdout) as { cache: string; value: number; url: string; file: string; stored: boolean };
  };

  it("compiles without one, stores it, then takes it; a damaged or foreign file is a miss that is written again", () => {
    const dir = fresh();
    const cache = path.join(dir, "cache");
    const file = script(dir, "function twice(x) { return 2 * x; }\nmodule.exports = { twice, url: __ml_import_meta_url, file: __filename };\n");
    expect(run(file, cache)).toEqual({ cache: "none", value: 42, url: pathToFileURL(file).href, file, stored: true });
    const stored = codeCacheFile(cache, readFileSync(file), "run");
    expect(existsSync(stored)).toBe(true);
    expect(run(file, cache)).toMatchObject({ cache: "hit", value: 42, stored: false });

    // Bytes V8 does not recognise, under a valid hash: V8 rejects them, the run compiles and stores anew.
    writeCodeCache(stored, Buffer.from("not V8's cached data, not V8's cached data"));
    expect(run(file, cache)).toMatchObject({ cache: "rejected", value: 42, stored: true });
    expect(run(file, cache)).toMatchObject({ cache: "hit", value: 42 });

    // A damaged file is never handed to V8.
    const bytes = readFileSync(stored);
    bytes.writeUInt8(bytes.readUInt8(40) ^ 0xff, 40);
    writeFileSync(stored, bytes);
    expect(run(file, cache)).toMatchObject({ cache: "none", value: 42, stored: true });
    expect(run(file, cache)).toMatchObject({ cache: "hit" });

    // An edit of the same length is another file: never the old build's code.
    writeFileSync(file, readFileSync(file, "utf8").replace("2 * x", "3 * x"));
    expect(run(file, cache)).toMatchObject({ cache: "none", value: 63 });
  }, 60_000);

  it("runs without any cache when the folder is off", () => {
    const dir = fresh();
    const file = script(dir, "module.exports = { twice: (x) => x + x };\n");
    expect(run(file, undefined)).toMatchObject({ cache: "none", value: 42, stored: false });
    expect(readdirSync(dir)).toEqual(["s.cjs"]);
  });
});

describe.skipIf(!built)("the bundled CLI", () => {
  const cli = (args: string[], cache: string) => runCliTraced(args, { trace: false, env: { [CODE_CACHE_ENV]: cache } });
  const files = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);
  const examples = path.join("examples", "diesel-app");

  it("stores its code after a lint run, takes it on the next, and prints the same with it, without it and after damage", () => {
    const cache = path.join(fresh(), "code");
    expect(cli(["--version"], cache).stdout).toMatch(/^\d+\.\d+\.\d+/);
    expect(cli(["--help"], cache).stdout).toContain("migration-lint [paths..]");
    // --version and --help compile too little to keep.
    expect(files(cache)).toEqual([]);

    const first = cli([examples, "--format", "json"], cache);
    expect(first.stdout).toContain('"findings"');
    expect(files(cache)).toEqual([expect.stringMatching(/-folders-/)]);
    const stored = path.join(cache, files(cache)[0]!);
    const bytes = readFileSync(stored);
    expect(bytes.length).toBeGreaterThan(100_000);
    const mtime = statSync(stored).mtimeMs;

    // Taken: not written again.
    const second = cli([examples, "--format", "json"], cache);
    expect(second.stdout).toBe(first.stdout);
    expect(second.status).toBe(first.status);
    expect(statSync(stored).mtimeMs).toBe(mtime);
    expect(readFileSync(stored).equals(bytes)).toBe(true);

    const off = cli([examples, "--format", "json"], "0");
    expect(off.stdout).toBe(first.stdout);
    expect(cli([examples, "--format", "sarif"], cache).stdout).toBe(cli([examples, "--format", "sarif"], "0").stdout);

    // Damaged: a miss, the same output, and a sound file again afterwards.
    const damaged = Buffer.from(bytes);
    damaged.writeUInt8(damaged.readUInt8(damaged.length >> 1) ^ 0xff, damaged.length >> 1);
    writeFileSync(stored, damaged);
    const after = cli([examples, "--format", "json"], cache);
    expect(after.stdout).toBe(first.stdout);
    expect(after.stderr).toBe(first.stderr);
    expect(readCodeCache(stored)).toBeDefined();

    // A command line naming files (a hook's) keeps a file of its own, beside the folder run's.
    const folderRun = readFileSync(stored);
    const up = path.join(examples, "migrations", "2024-01-10-090000_create_authors", "up.sql");
    const hook = cli([up, "--format", "json"], cache);
    expect(hook.stdout).toBe(cli([up, "--format", "json"], "0").stdout);
    expect(files(cache).sort()).toEqual([expect.stringMatching(/-files-/), expect.stringMatching(/-folders-/)]);
    expect(readFileSync(stored).equals(folderRun)).toBe(true);
  }, 120_000);

  it("a script that is not the CLI's is one line on stderr and exit 2, not a stack", () => {
    const pkg = fresh();
    cpSync(path.join(ROOT, "bin"), path.join(pkg, "bin"), { recursive: true });
    cpSync(path.join(ROOT, "dist", "bundle"), path.join(pkg, "dist", "bundle"), { recursive: true });
    cpSync(path.join(ROOT, "package.json"), path.join(pkg, "package.json"));
    symlinkSync(path.join(ROOT, "node_modules"), path.join(pkg, "node_modules"));
    writeFileSync(path.join(pkg, "dist", "bundle", "cli.cjs"), "module.exports = {};\n");
    const copied = () => spawnSync(process.execPath, [path.join(pkg, "bin", "migration-lint.js"), examples], { cwd: ROOT, encoding: "utf8", env: { ...process.env, [CODE_CACHE_ENV]: "0" } });
    const run = copied();
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(`migration-lint: cannot load the bundled CLI: ${path.join(pkg, "dist", "bundle", "cli.cjs")} is not the CLI's script (rebuild with \`npm run build\`)\n`);
    // A script that does not even compile: the same one line.
    writeFileSync(path.join(pkg, "dist", "bundle", "cli.cjs"), "module.exports = {;\n");
    const broken = copied();
    expect(broken.status).toBe(2);
    expect(broken.stderr).toMatch(/^migration-lint: cannot load the bundled CLI: Unexpected token .*\n$/);
  });

  it("a folder it cannot write is no error: the same output, nothing on stderr", () => {
    const dir = fresh();
    writeFileSync(path.join(dir, "file"), "");
    const blocked = path.join(dir, "file", "code");
    const run = cli([examples, "--format", "json"], blocked);
    expect(run.stdout).toBe(cli([examples, "--format", "json"], "0").stdout);
    expect(run.stderr).toBe("");
    expect(readdirSync(dir)).toEqual(["file"]);
  }, 60_000);
});

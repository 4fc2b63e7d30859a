/**
 * Runs the CLI's one-script build (`dist/bundle/cli.cjs`, scripts/bundle.mjs) with a V8 code cache.
 *
 * A pre-commit run is short: a fifth of it went to compiling the CLI's JavaScript, first the whole
 * source (ES modules are parsed when they load) and then each function as it is first called. Node 20
 * has no compile cache for ES modules (`module.enableCompileCache` came in Node 22), but a classic
 * script compiled with `vm.Script` takes V8's cached data: the bytecode of every function compiled so
 * far, produced after a lint run with `createCachedData()`, so the next run compiles almost nothing.
 *
 * What V8 checks before it uses cached data is its own version, its flags and the source's *length*,
 * not its content: a cache of another build with a source of the same length would run that build's
 * code. So the file is named by a hash of the script's bytes (and the Node version and architecture),
 * and it carries a hash of its own payload, checked before V8 sees it: V8 verifies no checksum of
 * cached data in release builds, and a damaged file must be a miss, never a crash. A file V8 rejects
 * (other flags: `--liftoff-only` is set before compiling for that reason) is written again.
 *
 * Where: one folder per user (`$XDG_CACHE_HOME/migration-lint`, `~/.cache/migration-lint`, on macOS
 * `~/Library/Caches/migration-lint`, on Windows `%LOCALAPPDATA%\migration-lint`), so no other user's
 * file is ever run; `MIGRATION_LINT_CODE_CACHE=<dir>` moves it, `MIGRATION_LINT_CODE_CACHE=0` turns
 * it off. Written atomically (a temporary file renamed), only after a lint run that ended with 0 or 1
 * (a `--help` or a usage error compiles too little to be worth keeping), and any failure to read or
 * write it is ignored: the cache only ever saves time. The newest few files are kept. A command line
 * naming files (a pre-commit hook's) and one naming folders (a whole run) keep a file each: each kind's
 * first lint run produces it, and a hook's run reads only what a hook's run compiled.
 */
import { hash } from "node:crypto";
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import vm from "node:vm";

export const CODE_CACHE_ENV = "MIGRATION_LINT_CODE_CACHE";
/** How many cache files a folder keeps (one per build, kind of run and Node version in use). */
const KEEP = 8;
const HASH_BYTES = 32;

/** The folder of this user's code caches, or undefined when turned off or no home is known. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform, home: string = os.homedir()): string | undefined {
  const chosen = env[CODE_CACHE_ENV];
  if (chosen === "0") return undefined;
  if (chosen) return path.resolve(chosen);
  if (platform === "win32") return env["LOCALAPPDATA"] ? path.join(env["LOCALAPPDATA"], "migration-lint") : undefined;
  if (!home) return undefined;
  if (platform === "darwin") return path.join(home, "Library", "Caches", "migration-lint");
  return path.join(env["XDG_CACHE_HOME"] || path.join(home, ".cache"), "migration-lint");
}

/**
 * The cache file of a script's bytes on this Node, for one kind of run: cached data holds what the
 * run that produced it compiled, and V8 reads all of it back, so a whole-folder run's cache (every
 * layout, every rule's rarer paths: a third larger) would slow every hook run that reads it.
 */
export function codeCacheFile(dir: string, source: Buffer, kind: string): string {
  const id = hash("sha256", source).slice(0, 24);
  return path.join(dir, `cli-${id}-${kind}-node${process.versions.node}-${process.arch}.v8`);
}

/**
 * The cached data stored in `file`, or undefined when there is none, it is damaged, or (where files
 * have owners) it belongs to another user: a folder named by `MIGRATION_LINT_CODE_CACHE` or
 * `XDG_CACHE_HOME` may be shared, and this is code the process will run.
 */
export function readCodeCache(file: string): Buffer | undefined {
  let bytes: Buffer;
  let fd: number | undefined;
  try {
    fd = openSync(file, "r");
    const { uid } = fstatSync(fd);
    if (process.getuid && uid !== process.getuid()) return undefined;
    bytes = readFileSync(fd);
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  if (bytes.length <= HASH_BYTES) return undefined;
  const payload = bytes.subarray(HASH_BYTES);
  return hash("sha256", payload, "buffer").equals(bytes.subarray(0, HASH_BYTES)) ? payload : undefined;
}

/** Stores `payload` in `file` (hash first), atomically; prunes the folder to the newest files. Never throws. */
export function writeCodeCache(file: string, payload: Buffer): boolean {
  const dir = path.dirname(file);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(tmp, Buffer.concat([hash("sha256", payload, "buffer"), payload]), { mode: 0o600 });
    renameSync(tmp, file);
  } catch {
    try {
      rmSync(tmp, { force: true });
    } catch {
      // The folder itself could not be made: there is no temporary file.
    }
    return false;
  }
  prune(dir, file);
  return true;
}

function prune(dir: string, kept: string): void {
  try {
    const files = readdirSync(dir)
      .filter((f) => f.startsWith("cli-") && f.endsWith(".v8"))
      .map((f) => path.join(dir, f))
      .filter((f) => f !== kept)
      .map((f) => ({ f, t: statSync(f).mtimeMs }))
      .sort((a, b) => b.t - a.t);
    for (const { f } of files.slice(KEEP - 1)) rmSync(f, { force: true });
  } catch {
    // Another run pruning at the same time, or a file that cannot be removed: the next write tries again.
  }
}

/** What a script run with the cache reports, for the launcher and the tests. */
export interface CachedScript<T> {
  exports: T;
  /** "hit": V8 took the cached data; "rejected": there was a file V8 refused; "none": no usable file. */
  cache: "hit" | "rejected" | "none";
  /** Produces and stores the cache of everything compiled so far, unless V8 took the stored one. */
  store(): boolean;
}

/**
 * Compiles and runs a CommonJS script with the code cache of `dir` (none when `dir` is undefined).
 * The script is wrapped like a CommonJS module, plus `__ml_import_meta_url` (the bundle's stand-in
 * for `import.meta.url`). Its source must be ASCII (the build checks it), so it is read as latin1.
 */
export function runCachedScript<T>(file: string, dir: string | undefined, kind = "run"): CachedScript<T> {
  const bytes = readFileSync(file);
  const cacheFile = dir ? codeCacheFile(dir, bytes, kind) : undefined;
  const cachedData = cacheFile ? readCodeCache(cacheFile) : undefined;
  const wrapped = `(function (exports, require, module, __filename, __dirname, __ml_import_meta_url) {${bytes.toString("latin1")}\n})`;
  const script = new vm.Script(wrapped, { filename: file, ...(cachedData ? { cachedData } : {}) });
  const cache = !cachedData ? "none" : script.cachedDataRejected ? "rejected" : "hit";
  const module = { exports: {} as T };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run(module.exports, createRequire(file), module, file, path.dirname(file), pathToFileURL(file).href);
  return {
    exports: module.exports,
    cache,
    store: () => (cacheFile && cache !== "hit" ? writeCodeCache(cacheFile, script.createCachedData()) : false),
  };
}

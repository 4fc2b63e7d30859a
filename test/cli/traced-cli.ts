/**
 * The built CLI (`bin/migration-lint.js`) run in a child process, with what it loaded and ran:
 *
 * - `loaded`: the URLs of the modules it resolved, ES modules through a real module resolve hook
 *   (`module.register`) and CommonJS ones (`require`, which the bundled script uses for its packages
 *   and Node's built-ins) through a preload wrapping `Module._resolveFilename`. The hooks run on their
 *   own thread, which may not get to flush stderr when the CLI exits, so both append to a file.
 * - `evaluated`: the bundled script (`dist/bundle/cli.cjs`) is one file, so which of its modules ran
 *   shows in V8's coverage (`NODE_V8_COVERAGE`): esbuild wraps every module reached by an `import()`
 *   in an initialiser named by the module's path, called when the module is first imported. `lazy`
 *   lists all such modules of the script, run or not, so a test can check a module it expects not to
 *   run is one that could have.
 *
 * The bundle and start-up tests read what a command line loads from it.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll } from "vitest";

export const ROOT = path.resolve(import.meta.dirname, "../..");
const BIN = path.join(ROOT, "bin", "migration-lint.js");

const tmp = mkdtempSync(path.join(tmpdir(), "mll-traced-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const hookFile = path.join(tmp, "record-hooks.mjs");
writeFileSync(hookFile, 'import { appendFileSync } from "node:fs";\nexport async function resolve(specifier, context, next) { const r = await next(specifier, context); appendFileSync(process.env.MLL_TEST_LOADED, r.url + "\\n"); return r; }\n');
const registerFile = path.join(tmp, "record.mjs");
writeFileSync(registerFile, `import { register } from "node:module";\nregister(${JSON.stringify(pathToFileURL(hookFile).href)});\n`);
const requireFile = path.join(tmp, "record-require.cjs");
writeFileSync(
  requireFile,
  [
    'const Module = require("node:module");',
    'const { appendFileSync } = require("node:fs");',
    'const { pathToFileURL } = require("node:url");',
    "const resolve = Module._resolveFilename;",
    "Module._resolveFilename = function (...args) {",
    "  const r = resolve.apply(this, args);",
    '  appendFileSync(process.env.MLL_TEST_LOADED, (Module.isBuiltin(r) ? (r.startsWith("node:") ? r : `node:${r}`) : pathToFileURL(r).href) + "\\n");',
    "  return r;",
    "};",
    "",
  ].join("\n"),
);

export interface TracedRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The URLs resolved, in order (empty when not traced). */
  loaded: string[];
  /** The bundled script's lazily evaluated modules that ran (paths as bundled: `dist/src/…`, `node_modules/…`). */
  evaluated: string[];
  /** All of the bundled script's lazily evaluated modules. */
  lazy: string[];
}

let runs = 0;

interface Coverage {
  result: { url: string; functions: { functionName: string; ranges: { count: number }[] }[] }[];
}

/** The bundled script's module initialisers in V8's coverage files: [all, those that ran]. */
function initialisers(dir: string): [string[], string[]] {
  const all = new Set<string>();
  const ran = new Set<string>();
  for (const file of readdirSync(dir)) {
    const coverage = JSON.parse(readFileSync(path.join(dir, file), "utf8")) as Coverage;
    for (const script of coverage.result) {
      if (!script.url.endsWith("/dist/bundle/cli.cjs")) continue;
      for (const fn of script.functions) {
        if (!/^(dist|node_modules|rules)\/.*\.(c|m)?js$/.test(fn.functionName)) continue;
        all.add(fn.functionName);
        if ((fn.ranges[0]?.count ?? 0) > 0) ran.add(fn.functionName);
      }
    }
  }
  return [[...all], [...ran]];
}

export function runCliTraced(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; trace?: boolean } = {}): TracedRun {
  const loadedFile = path.join(tmp, `loaded-${++runs}.txt`);
  const coverageDir = path.join(tmp, `coverage-${runs}`);
  writeFileSync(loadedFile, "");
  mkdirSync(coverageDir);
  const traced = options.trace !== false;
  const r = spawnSync(process.execPath, [...(traced ? ["--import", registerFile, "--require", requireFile] : []), BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1", CI: "1", MIGRATION_LINT_WORKERS: "0", MLL_TEST_LOADED: loadedFile, ...(traced ? { NODE_V8_COVERAGE: coverageDir } : {}), ...options.env },
  });
  const loaded = readFileSync(loadedFile, "utf8").split("\n").filter(Boolean);
  const [lazy, evaluated] = traced ? initialisers(coverageDir) : [[], []];
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, loaded, evaluated, lazy };
}

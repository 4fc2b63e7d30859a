/**
 * The built CLI (`bin/migration-lint.js`) run in a child process, with the module URLs it resolved: a
 * real module resolve hook (`module.register`) appends each one to a file of the run's own. The hooks
 * run on their own thread, which may not get to flush stderr when the CLI exits, so the file is
 * written synchronously. The bundle and start-up tests read what a command line loads from it.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
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

export interface TracedRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** The URLs resolved, in order (empty when not traced). */
  loaded: string[];
}

let runs = 0;

export function runCliTraced(args: readonly string[], options: { cwd?: string; env?: Record<string, string>; trace?: boolean } = {}): TracedRun {
  const loadedFile = path.join(tmp, `loaded-${++runs}.txt`);
  writeFileSync(loadedFile, "");
  const r = spawnSync(process.execPath, [...(options.trace === false ? [] : ["--import", registerFile]), BIN, ...args], {
    cwd: options.cwd ?? ROOT,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1", CI: "1", MIGRATION_LINT_WORKERS: "0", MLL_TEST_LOADED: loadedFile, ...options.env },
  });
  const loaded = readFileSync(loadedFile, "utf8").split("\n").filter(Boolean);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, loaded };
}

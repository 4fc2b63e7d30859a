/**
 * `--cache`'s fast path, run by `bin/migration-lint.js` before the CLI itself loads: when the cache holds
 * a manifest for this exact invocation (src/cli/report-manifest.ts) and every file-system question it
 * lists still gets the same answer, the stored report is printed with its exit code. Nothing else loads:
 * no argument parser, no config loader, no discovery, no layouts (this module's own imports are the
 * cache file reader and discovery's file system).
 *
 * Any doubt is a miss (undefined), and the full CLI runs as if this had not been tried: no manifest for
 * the invocation (another spelling of the same options included), a changed answer, a cache file that
 * cannot be read (the full run warns about it and rewrites it).
 */
import path from "node:path";
import { cacheFilePath, findReport } from "../pipeline/cache.js";
import { writeOut } from "./output.js";
import { decodeManifest, firstChange, invocationKey } from "./report-manifest.js";

/**
 * `--cache-location`'s value as yargs reads it, for the forms it accepts; undefined when there is none.
 * A form this does not know only means looking in another file, where this invocation's key is not.
 */
function cacheLocation(args: readonly string[]): string | undefined {
  let found: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") break;
    const eq = /^--cache(?:-location|Location)=(.*)$/s.exec(a);
    if (eq) found = eq[1];
    else if ((a === "--cache-location" || a === "--cacheLocation") && i + 1 < args.length) found = args[++i];
  }
  return found;
}

/**
 * The arguments that may name files or folders, resolved as discovery resolves them: every argument
 * not starting with `-` (an option's value among them only adds a path that is asked first, if at all).
 */
function namedPaths(args: readonly string[], cwd: string): Set<string> {
  return new Set(args.filter((a) => !a.startsWith("-")).map((a) => path.resolve(cwd, a).split(path.sep).join("/")));
}

/** The exit code of the stored run when this invocation's report was printed from the cache; else undefined. */
export async function replayCachedRun(args: readonly string[], cwd: string = process.cwd()): Promise<number | undefined> {
  if (!args.some((a) => a === "--cache" || a.startsWith("--cache="))) return undefined;
  let file: string;
  try {
    file = cacheFilePath(cwd, cacheLocation(args));
  } catch {
    return undefined;
  }
  const entry = findReport(file, invocationKey(args, cwd));
  if (!entry) return undefined;
  let report;
  try {
    const manifest = decodeManifest(entry.output);
    if ((await firstChange(manifest, cwd, namedPaths(args, cwd))) !== undefined) return undefined;
    report = findReport(file, manifest.report);
  } catch {
    return undefined;
  }
  if (!report) return undefined;
  await writeOut(report.output);
  return report.exitCode;
}

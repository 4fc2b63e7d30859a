/**
 * Whether this command line lints a folder, decided from the raw arguments before anything heavy
 * loads: then the analysis workers start first (see src/pipeline/threads.ts). A wrong guess only
 * costs time: an unneeded worker is stopped unused, a missing one is started later.
 */
import { statSync, type Stats } from "node:fs";
import path from "node:path";

/** The other commands' words: they never lint a whole folder with the rules. */
const OTHER_COMMANDS = new Set(["verify", "schema", "lock", "deps", "plan", "down"]);
const NO_RUN = new Set(["--help", "-h", "--version", "-v"]);

export function lintsAFolder(args: readonly string[], cwd: string = process.cwd()): boolean {
  if (args.some((a) => NO_RUN.has(a))) return false;
  let pathGiven = false;
  for (const arg of args) {
    // Options, and the values of options (`--format json`), are not paths that exist.
    if (arg.startsWith("-")) continue;
    if (OTHER_COMMANDS.has(arg)) return false;
    const entry = statOrUndefined(path.resolve(cwd, arg));
    if (entry?.isDirectory()) return true;
    if (entry) pathGiven = true;
  }
  // No path: the current folder is linted.
  return !pathGiven;
}

/** A path that cannot be looked at (a symlink loop, no permission) is left to discovery, which says so in one line. */
function statOrUndefined(file: string): Stats | undefined {
  try {
    return statSync(file, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

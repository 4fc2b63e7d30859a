/**
 * What this command line will need, decided from the raw arguments before anything heavy loads, so
 * it can start first: the analysis workers when it lints a folder (see src/pipeline/threads.ts), the
 * SQL parser when it lints at all. A wrong guess only costs time: an unneeded worker is stopped
 * unused, a missing one is started later, and the parser loads when first awaited.
 */
import { statSync, type Stats } from "node:fs";
import path from "node:path";

/**
 * The other commands' words: they never lint a whole folder with the rules. Kept here rather than read
 * from the command modules, which load the whole analysis; test/cli/fast-args.test.ts checks it names every one of them.
 */
export const OTHER_COMMANDS: ReadonlySet<string> = new Set(["verify", "schema", "lock", "deps", "plan", "down", "status", "rollback"]);
const NO_RUN = new Set(["--help", "-h", "--version", "-v"]);

/** `--version` alone: answered without loading the commands (or, bundled, the CLI's script). */
export function asksVersionOnly(args: readonly string[]): boolean {
  return args.length === 1 && (args[0] === "--version" || args[0] === "-v");
}

/**
 * Whether this command line runs the lint command (files or folders): then the SQL parser starts
 * loading at once, its WASM compiling off the main thread while the commands load.
 */
export function runsLint(args: readonly string[]): boolean {
  return !args.some((a) => NO_RUN.has(a) || (!a.startsWith("-") && OTHER_COMMANDS.has(a)));
}

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

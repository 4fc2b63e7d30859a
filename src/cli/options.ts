/** Options every command accepts. */
import type { Argv, Options } from "yargs";
import { LAYOUT_IDS } from "../layout/registry.js";
import { FORMATS } from "../report/index.js";

export interface GlobalOptions {
  config?: string;
  layout?: string;
  format: string;
  maxWarnings?: number;
  quiet?: boolean;
  color?: boolean;
  failOn?: string;
  pgVersion?: number;
}

/**
 * The declarations, as data: `globalOptions` gives them to yargs, and the lint command's parser without
 * yargs (src/cli/fast-args.ts) reads the same table, so neither can miss an option the other knows.
 */
export const GLOBAL_OPTIONS = {
  config: { alias: "c", type: "string", describe: "Config file (default: nearest migration-lint.config.json or package.json key)" },
  layout: { type: "string", choices: LAYOUT_IDS, describe: "Force the migration layout instead of detecting it" },
  format: { alias: "f", type: "string", choices: FORMATS, default: "stylish", describe: "Output format" },
  "max-warnings": { type: "number", describe: "Exit 1 when there are more warnings than this" },
  quiet: { alias: "q", type: "boolean", describe: "Report errors only" },
  color: { type: "boolean", describe: "Colours in stylish output (default: on a TTY); --no-color turns them off" },
  "fail-on": { type: "string", choices: ["irreversible", "lossy", "warning", "error"], describe: "What fails the run (default: error findings)" },
  "pg-version": { type: "number", describe: "Target PostgreSQL major version (overrides the config)" },
} as const satisfies Record<string, Options>;

export function globalOptions<T>(y: Argv<T>): Argv<T & GlobalOptions> {
  return (
    y
      .options(GLOBAL_OPTIONS)
      // Checked when the command line is parsed, after the command has declared its own options: the ones it
      // declares `array: true` (paths, --extension, --setup, …) are lists, every other one takes one value.
      .check((argv) => checkGlobalOptions(argv, new Set([...POSITIONAL_LISTS, ...declaredLists(y)]))) as unknown as Argv<T & GlobalOptions>
  );
}

/** The positionals that take a list (yargs leaves positionals out of its option lists). */
export const POSITIONAL_LISTS = ["_", "paths", "files"];

/** The options declared `array: true`; yargs keeps them in its parser options (not in its type declarations). */
function declaredLists(y: unknown): string[] {
  const options = (y as { getOptions?: () => { array?: string[] } }).getOptions?.();
  return options?.array ?? [];
}

/**
 * A string is yargs' usage failure (exit 2 with the message). `--since a --since b` reached the git code
 * as an array (`ref.startsWith is not a function`), `--max-warnings -1` silently meant "no limit".
 */
export function checkGlobalOptions(argv: Record<string, unknown>, lists: ReadonlySet<string>): true | string {
  for (const [key, value] of Object.entries(argv)) {
    if (key.length > 1 && !/[A-Z]/.test(key) && Array.isArray(value) && !lists.has(key)) {
      return `--${key} takes one value, and was given ${value.length}: ${value.map(String).join(", ")}`;
    }
  }
  const max = argv["maxWarnings"];
  if (max !== undefined && !(typeof max === "number" && Number.isInteger(max) && max >= 0)) {
    return `--max-warnings takes a whole number of warnings, 0 or more (got ${String(max)})`;
  }
  const pg = argv["pgVersion"];
  if (pg !== undefined && !(typeof pg === "number" && Number.isInteger(pg))) return `--pg-version takes a PostgreSQL major version such as 16 (got ${String(pg)})`;
  return true;
}

/** For commands whose output has no SARIF or JUnit form: `--format sarif` is a usage error, not a warning. */
export function onlyFormats(command: string, formats: readonly string[]): (argv: Record<string, unknown>) => true | string {
  return (argv) => {
    const format = argv["format"];
    if (typeof format !== "string" || formats.includes(format)) return true;
    return `migration-lint ${command} writes --format ${formats.join(" or ")}; --format ${format} is for linting (migration-lint [paths..] --format ${format})`;
  };
}

/**
 * The lint command's command line parsed without yargs (issue 14). Loading yargs and building its
 * instance with every command cost ~60–70 ms of a ~0.45 s pre-commit run, for a command line that is
 * nearly always a few paths and options. So a plain lint invocation is parsed here with `node:util`'s
 * `parseArgs` (built into Node) into the argv the lint handler would get from yargs: the same keys
 * (each option's aliases and camelCase form), the same defaults, types and checks.
 *
 * Only the forms below are parsed here; anything else returns undefined and yargs parses the command
 * line as before, so every error message, the help and the other commands stay exactly what they were:
 * - options the global table (src/cli/options.ts) and the lint command (LINT_OPTIONS) declare, each
 *   at most once, as `--name value`, `--name=value`, `-x value` (a one-letter alias, alone), `--flag`
 *   and `--no-flag` for booleans;
 * - a value accepted by its choices, a number written as plain digits, the checks of both tables passed;
 * - positionals that are not a command's name, `help`, `true` or `false` (yargs reads the last two as a
 *   boolean's value), and no `-` or `--` anywhere.
 * A declaration using anything else yargs offers (coerce, nargs, arrays…) makes every command line go
 * to yargs until this parser learns it (test/cli/fast-args.test.ts fails first).
 *
 * MIGRATION_LINT_FAST_ARGS=0 sends every command line to yargs (to compare, or should this ever differ).
 */
import { parseArgs, type ParseArgsConfig } from "node:util";
import type { ArgumentsCamelCase } from "yargs";
import { checkLintOptions, LINT_OPTIONS, LINT_POSITIONAL, type LintArgs } from "./commands/lint.js";
import { checkGlobalOptions, GLOBAL_OPTIONS, POSITIONAL_LISTS } from "./options.js";
import { OTHER_COMMANDS } from "./prestart.js";

export const FAST_ARGS_ENV = "MIGRATION_LINT_FAST_ARGS";

/**
 * The other commands' names (src/cli/commands/index.ts, whose imports this module must not load), and
 * `help`, which yargs reads as `--help` when it is the last positional.
 */
export const COMMAND_WORDS: ReadonlySet<string> = new Set([...OTHER_COMMANDS, "help"]);

/** What yargs hands the lint command's handler. */
export type LintArgv = ArgumentsCamelCase<LintArgs>;

/** main.ts's `.scriptName`, which yargs puts in every argv as `$0`. */
const SCRIPT_NAME = "migration-lint";

/** What a declaration may say for this parser to treat it exactly as yargs does. */
export interface Declaration {
  alias?: string;
  type: "string" | "number" | "boolean";
  choices?: readonly string[];
  default?: unknown;
  describe?: string;
}

const UNDERSTOOD_KEYS: ReadonlySet<string> = new Set(["alias", "type", "choices", "default", "describe"]);
const UNDERSTOOD_TYPES: ReadonlySet<unknown> = new Set(["string", "number", "boolean"]);

/** Why a declaration is beyond this parser, or undefined when it is understood. */
export function notUnderstood(name: string, declaration: object): string | undefined {
  const d = declaration as Record<string, unknown>;
  const extra = Object.keys(d).filter((k) => !UNDERSTOOD_KEYS.has(k));
  if (extra.length) return `--${name} declares ${extra.join(", ")}`;
  if (!UNDERSTOOD_TYPES.has(d["type"])) return `--${name} has type ${String(d["type"])}`;
  if (d["alias"] !== undefined && !(typeof d["alias"] === "string" && d["alias"].length === 1)) return `--${name}'s alias is not one letter`;
  return undefined;
}

/** Every option the lint command accepts, by name: the global ones first, as yargs declares them. */
export function lintDeclarations(): Map<string, Declaration> {
  return new Map<string, Declaration>(Object.entries({ ...GLOBAL_OPTIONS, ...LINT_OPTIONS }));
}

/** The positional must be what this parser assumes: a list of strings. */
function positionalUnderstood(): boolean {
  const d: Record<string, unknown> = LINT_POSITIONAL.declaration;
  return d["type"] === "string" && d["array"] === true && Object.keys(d).every((k) => k === "type" || k === "array" || k === "describe");
}

const camelCase = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/** The keys yargs sets for an option: its name, its alias, and the camelCase form of a kebab-case name. */
function keysOf(name: string, d: Declaration): string[] {
  return [name, ...(name.includes("-") ? [camelCase(name)] : []), ...(d.alias !== undefined ? [d.alias] : [])];
}

/** A number yargs and `Number` read alike and that stays exact: plain digits, no leading zero. */
const PLAIN_NUMBER = /^(?:0|[1-9][0-9]{0,14})$/;

/**
 * The argv yargs would hand the lint command's handler for this command line, or undefined when this
 * parser does not handle the command line exactly (yargs then parses it, errors and help included).
 */
export function fastLintArgv(args: readonly string[], env: NodeJS.ProcessEnv = process.env): LintArgv | undefined {
  if (env[FAST_ARGS_ENV] === "0") return undefined;
  // yargs reads a lone `-` as a positional even after an option that takes a value, and `--` ends the options.
  if (args.includes("-") || args.includes("--")) return undefined;
  const declarations = lintDeclarations();
  if (!positionalUnderstood() || [...declarations].some(([name, d]) => notUnderstood(name, d))) return undefined;
  // `--no-x` for each boolean: parseArgs' own `allowNegative` is not in every Node 20.
  const negations = new Map<string, string>();
  const config: NonNullable<ParseArgsConfig["options"]> = {};
  for (const [name, d] of declarations) {
    config[name] = { type: d.type === "boolean" ? "boolean" : "string", ...(d.alias !== undefined ? { short: d.alias } : {}) };
    if (d.type === "boolean") {
      config[`no-${name}`] = { type: "boolean" };
      negations.set(`no-${name}`, name);
    }
  }
  let tokens;
  try {
    // Strict: an unknown option, a missing value, a value that starts with `-`, `--flag=value` all throw.
    ({ tokens } = parseArgs({ args: [...args], options: config, strict: true, allowPositionals: true, tokens: true }));
  } catch {
    return undefined;
  }
  const argv: Record<string, unknown> = { _: [], $0: SCRIPT_NAME };
  const given = new Set<string>();
  const paths: string[] = [];
  for (const token of tokens) {
    if (token.kind === "option-terminator") return undefined;
    if (token.kind === "positional") {
      if (COMMAND_WORDS.has(token.value) || token.value === "true" || token.value === "false") return undefined;
      paths.push(token.value);
      continue;
    }
    // The argument exactly as typed: `-qf json` and `-fjson` (several letters in one) are left to yargs.
    const raw = args[token.index];
    const inline = token.inlineValue === true;
    if (inline ? !(token.rawName.startsWith("--") && raw === `${token.rawName}=${token.value}`) : raw !== token.rawName) return undefined;
    const name = negations.get(token.name) ?? token.name;
    // yargs makes a repeated option a list (and the check refuses it) or lets the last one win: yargs says which.
    if (given.has(name)) return undefined;
    given.add(name);
    const d = declarations.get(name)!;
    const value = valueOf(d, token.value, negations.has(token.name));
    if (value === undefined) return undefined;
    for (const key of keysOf(name, d)) argv[key] = value;
  }
  for (const [name, d] of declarations) {
    if (!given.has(name) && d.default !== undefined) for (const key of keysOf(name, d)) argv[key] = d.default;
  }
  if (paths.length) argv[LINT_POSITIONAL.name] = paths;
  if (checkGlobalOptions(argv, new Set(POSITIONAL_LISTS)) !== true || checkLintOptions(argv) !== true) return undefined;
  return argv as unknown as LintArgv;
}

/** The option's value as yargs types it, or undefined when yargs should judge it. */
function valueOf(d: Declaration, text: string | undefined, negated: boolean): string | number | boolean | undefined {
  if (d.type === "boolean") return !negated;
  if (text === undefined) return undefined;
  if (d.type === "number") return PLAIN_NUMBER.test(text) ? Number(text) : undefined;
  if (d.choices && !d.choices.includes(text)) return undefined;
  return text;
}

/**
 * Finds and validates the config: `--config <file>`, else the nearest `migration-lint.config.json` or
 * package.json with a `migration-lint` key, walking up from the cwd. A wrong key or value is an
 * InputError naming the key path and what was expected (exit code 2). The validator (zod, ~95
 * modules) is loaded only when there is a file to validate: most runs have none.
 */
import { readFile } from "node:fs/promises";
import { existsSync, statSync } from "node:fs";
import { describeFsError } from "../layout/fs.js";
import path from "node:path";
import { InputError } from "../errors.js";
import type { Position } from "../parse/source.js";
import { defaultConfig } from "./defaults.js";
import type { Config } from "./schema.js";

export const CONFIG_FILE = "migration-lint.config.json";

export interface LoadedConfig {
  config: Config;
  /** The file it came from; undefined when the defaults are used. */
  path?: string;
  /** Directory globs in the config are relative to. */
  baseDir: string;
}

export async function loadConfig(options: { cwd: string; configPath?: string; knownRules?: ReadonlySet<string> }): Promise<LoadedConfig> {
  if (options.configPath) {
    const file = path.resolve(options.cwd, options.configPath);
    const problem = statError(file);
    if (problem && describeFsError(problem).code === "missing") throw new InputError("config file not found", { path: options.configPath });
    const raw = await readJson(file, options.configPath);
    const body = path.basename(file) === "package.json" ? (raw as Record<string, unknown>)["migration-lint"] ?? {} : raw;
    return { config: await validateLazily(body, options.configPath, options.knownRules), path: file, baseDir: path.dirname(file) };
  }
  for (let dir = path.resolve(options.cwd); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, CONFIG_FILE);
    if (existsSync(candidate)) {
      const shown = path.relative(options.cwd, candidate) || CONFIG_FILE;
      return { config: await validateLazily(await readJson(candidate, shown), shown, options.knownRules), path: candidate, baseDir: dir };
    }
    const pkg = path.join(dir, "package.json");
    if (existsSync(pkg)) {
      const shown = path.relative(options.cwd, pkg) || "package.json";
      const raw = (await readJson(pkg, shown)) as Record<string, unknown>;
      if (raw && typeof raw === "object" && "migration-lint" in raw) {
        return { config: await validateLazily(raw["migration-lint"], `${shown}#migration-lint`, options.knownRules), path: pkg, baseDir: dir };
      }
    }
    if (path.dirname(dir) === dir) break;
  }
  return { config: defaultConfig(), baseDir: path.resolve(options.cwd) };
}

/** Why stat fails on a path (existsSync says only that it does). */
function statError(file: string): unknown {
  try {
    statSync(file);
    return undefined;
  } catch (error) {
    return error;
  }
}

async function validateLazily(raw: unknown, shown: string, knownRules?: ReadonlySet<string>): Promise<Config> {
  const { validate } = await import("./validate.js");
  return validate(raw, shown, knownRules);
}

async function readJson(file: string, shown: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read config: ${describeFsError(error).text}`, { path: shown });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = (error as Error).message;
    throw new InputError(`config is not valid JSON: ${message}`, { path: shown, ...jsonErrorPosition(text, message) });
  }
}

/** V8 names the offset of a JSON syntax error (`… at position 12`); turned into line:col for the message. */
function jsonErrorPosition(text: string, message: string): { position?: Position } {
  const at = /at position (\d+)/.exec(message);
  if (!at) return {};
  const before = text.slice(0, Number(at[1]));
  const lines = before.split("\n");
  return { position: { offset: Buffer.byteLength(before), line: lines.length, column: lines.at(-1)!.length + 1 } };
}

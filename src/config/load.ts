/**
 * Finds and validates the config: `--config <file>`, else the nearest `migration-lint.config.json` or
 * package.json with a `migration-lint` key, walking up from the cwd. A wrong key or value is an
 * InputError naming the key path and what was expected (exit code 2).
 */
import { readFile } from "node:fs/promises";
import { existsSync, statSync } from "node:fs";
import { describeFsError } from "../layout/fs.js";
import path from "node:path";
import type { z } from "zod";
import { InputError } from "../errors.js";
import type { Position } from "../parse/source.js";
import { configSchema, defaultConfig, type Config } from "./schema.js";

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
    return { config: validate(body, options.configPath, options.knownRules), path: file, baseDir: path.dirname(file) };
  }
  for (let dir = path.resolve(options.cwd); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, CONFIG_FILE);
    if (existsSync(candidate)) {
      const shown = path.relative(options.cwd, candidate) || CONFIG_FILE;
      return { config: validate(await readJson(candidate, shown), shown, options.knownRules), path: candidate, baseDir: dir };
    }
    const pkg = path.join(dir, "package.json");
    if (existsSync(pkg)) {
      const shown = path.relative(options.cwd, pkg) || "package.json";
      const raw = (await readJson(pkg, shown)) as Record<string, unknown>;
      if (raw && typeof raw === "object" && "migration-lint" in raw) {
        return { config: validate(raw["migration-lint"], `${shown}#migration-lint`, options.knownRules), path: pkg, baseDir: dir };
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

export function validate(raw: unknown, shown: string, knownRules?: ReadonlySet<string>): Config {
  const parsed = configSchema.safeParse(raw);
  if (!parsed.success) throw new InputError(describeIssue(parsed.error.issues[0]!, raw), { path: shown });
  if (knownRules) {
    for (const id of Object.keys(parsed.data.rules)) {
      if (!knownRules.has(id)) {
        const near = closest(id, knownRules);
        throw new InputError(`rules.${id}: unknown rule${near ? ` (did you mean "${near}"?)` : ""}`, { path: shown });
      }
    }
  }
  return parsed.data;
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string {
  const where = issue.path.length ? issue.path.map(String).join(".") : "(root)";
  if (issue.code === "unrecognized_keys") return `${where}: unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `"${k}"`).join(", ")}`;
  // A rule's setting is a union (severity, [severity], [severity, options]): zod says only "Invalid input".
  if (issue.code === "invalid_union" && issue.path[0] === "rules" && issue.path.length === 2) {
    const got = JSON.stringify(valueAt(raw, issue.path)) ?? "nothing";
    return `${where}: expected "off", "info", "warning" or "error", or [severity, { options }] (got ${got})`;
  }
  return `${where}: ${issue.message}`;
}

function valueAt(raw: unknown, at: readonly PropertyKey[]): unknown {
  let v = raw;
  for (const key of at) v = v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[key] : undefined;
  return v;
}

function closest(id: string, known: ReadonlySet<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = 4;
  for (const k of known) {
    const d = editDistance(id, k);
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length]!;
}

/** V8 names the offset of a JSON syntax error (`… at position 12`); turned into line:col for the message. */
function jsonErrorPosition(text: string, message: string): { position?: Position } {
  const at = /at position (\d+)/.exec(message);
  if (!at) return {};
  const before = text.slice(0, Number(at[1]));
  const lines = before.split("\n");
  return { position: { offset: Buffer.byteLength(before), line: lines.length, column: lines.at(-1)!.length + 1 } };
}

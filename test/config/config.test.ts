import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { configJsonSchema } from "../../src/config/json-schema.js";
import { loadConfig } from "../../src/config/load.js";
import { InputError } from "../../src/errors.js";

const known = new Set(["require-concurrent-index-creation", "prefer-text-field"]);

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), "mlcfg-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

async function error(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as InputError).format();
  }
  throw new Error("expected an InputError");
}

describe("loadConfig", () => {
  it("walks up from the cwd to the nearest config file and applies defaults", async () => {
    const dir = tree({ "migration-lint.config.json": '{ "pgVersion": 16, "rules": { "prefer-text-field": "off" } }', "db/migrations/x.sql": "" });
    const loaded = await loadConfig({ cwd: path.join(dir, "db/migrations"), knownRules: known });
    expect(loaded.path).toBe(path.join(dir, "migration-lint.config.json"));
    expect(loaded.baseDir).toBe(dir);
    expect(loaded.config).toMatchObject({ pgVersion: 16, rules: { "prefer-text-field": "off" }, searchPath: ["public"], failOn: "error", timeoutsSetByRunner: false });
  });

  it("reads the migration-lint key of package.json", async () => {
    const dir = tree({ "package.json": JSON.stringify({ name: "app", "migration-lint": { layout: "drizzle", rules: { "prefer-text-field": ["warning", {}] } } }) });
    const loaded = await loadConfig({ cwd: dir, knownRules: known });
    expect(loaded.config.layout).toBe("drizzle");
    expect(loaded.config.rules).toEqual({ "prefer-text-field": ["warning", {}] });
  });

  it("uses the defaults when there is no config", async () => {
    const dir = tree({ "package.json": '{"name":"x"}' });
    const loaded = await loadConfig({ cwd: dir, knownRules: known });
    expect(loaded.path).toBeUndefined();
    expect(loaded.config.pgVersion).toBe(14);
  });

  it("names the key path and what was expected", async () => {
    const cases: [string, RegExp][] = [
      ['{ "pgVersion": "sixteen" }', /^migration-lint\.config\.json: pgVersion: Invalid input: expected number, received string$/],
      ['{ "rules": { "prefer-text-field": "loud" } }', /^migration-lint\.config\.json: rules\.prefer-text-field: expected "off", "info", "warning" or "error", or \[severity, \{ options \}\] \(got "loud"\)$/],
      ['{ "layuot": "drizzle" }', /^migration-lint\.config\.json: \(root\): unknown key "layuot"$/],
      ['{ "rules": { "prefer-text-fields": "off" } }', /^migration-lint\.config\.json: rules\.prefer-text-fields: unknown rule \(did you mean "prefer-text-field"\?\)$/],
      ["{ pgVersion: 16 }", /^migration-lint\.config\.json:1:3: config is not valid JSON: /],
      ['{ "transaction": { "migrations/**": "yes" } }', /transaction\.migrations\/\*\*: Invalid input: expected boolean/],
    ];
    for (const [text, expected] of cases) {
      const dir = tree({ "migration-lint.config.json": text });
      expect(await error(loadConfig({ cwd: dir, knownRules: known }))).toMatch(expected);
    }
  });

  it("fails clearly on a missing --config file", async () => {
    const dir = tree({});
    expect(await error(loadConfig({ cwd: dir, configPath: "nope.json" }))).toBe("nope.json: config file not found");
  });
});

describe("JSON Schema", () => {
  it("is generated from the zod schema and the shipped copy is current", () => {
    const schema = configJsonSchema();
    expect(schema["additionalProperties"]).toBe(false);
    expect(Object.keys(schema["properties"] as object)).toContain("pgVersion");
    const shipped = readFileSync(path.resolve(import.meta.dirname, "../../docs/migration-lint.schema.json"), "utf8");
    expect(JSON.parse(shipped)).toEqual(schema);
  });
});

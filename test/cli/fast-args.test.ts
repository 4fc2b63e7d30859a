/**
 * The lint command line parsed without yargs (src/cli/fast-args.ts) against yargs itself: for each
 * command line, the argv the lint handler gets from the real CLI (src/cli/main.ts with the fast path
 * off: every command, strict, the checks) is the argv the fast parser builds, or the fast parser
 * declines and yargs decides. The built CLI is then run both ways: same stdout, same errors, and a
 * plain lint run that never loads yargs (seen through real resolve hooks and V8's coverage).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import yargs from "yargs";
import { describe, expect, it } from "vitest";
import { commands } from "../../src/cli/commands/index.js";
import { lintCommand } from "../../src/cli/commands/lint.js";
import { COMMAND_WORDS, FAST_ARGS_ENV, fastLintArgv, lintDeclarations, notUnderstood } from "../../src/cli/fast-args.js";
import { main } from "../../src/cli/main.js";
import { globalOptions } from "../../src/cli/options.js";
import { runCliTraced, type TracedRun } from "./traced-cli.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** The argv main() hands the lint handler for `args` (the handler swapped for a recorder), and main's exit code. */
async function handlerArgv(args: string[], fast: boolean): Promise<{ argv: unknown; code: number }> {
  const handler = lintCommand.handler;
  const saved = { fast: process.env[FAST_ARGS_ENV], workers: process.env["MIGRATION_LINT_WORKERS"], tiering: process.env["MIGRATION_LINT_WASM_TIERING"] };
  let argv: unknown;
  lintCommand.handler = (a) => {
    argv = a;
  };
  process.env[FAST_ARGS_ENV] = fast ? "1" : "0";
  process.env["MIGRATION_LINT_WORKERS"] = "0";
  process.env["MIGRATION_LINT_WASM_TIERING"] = "1";
  try {
    const code = await main(args);
    return { argv, code };
  } finally {
    lintCommand.handler = handler;
    for (const [key, value] of [
      [FAST_ARGS_ENV, saved.fast],
      ["MIGRATION_LINT_WORKERS", saved.workers],
      ["MIGRATION_LINT_WASM_TIERING", saved.tiering],
    ] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
}

/** Command lines the fast path must parse itself (and exactly as yargs does). */
const HANDLED: string[][] = [
  [],
  ["a.sql"],
  ["migrations/", "other/migrations"],
  ["001", "1e3", "0x10"],
  ["version"],
  ["a=b"],
  ["-f", "json"],
  ["--format", "json"],
  ["--format=sarif"],
  ["prisma/migrations/20240101_x/migration.sql", "--format", "json", "--cache", "--cache-location", "/tmp/hook.cache"],
  ["--fix"],
  ["--fix", "--force"],
  ["--dry-run", "--fix", "-f", "stylish"],
  ["--no-fix"],
  ["--cache"],
  ["--no-cache"],
  ["--cache-location=5"],
  ["--no-color"],
  ["--color"],
  ["-q"],
  ["--quiet"],
  ["--no-quiet"],
  ["--max-warnings", "3"],
  ["--max-warnings=0"],
  ["--pg-version", "16"],
  ["--layout", "prisma"],
  ["--fail-on", "lossy"],
  ["-c", "cfg.json"],
  ["--config=cfg.json"],
  ["--config="],
  ["--since", "123"],
  ["--since=HEAD~1"],
  ["--since=a=b"],
  ["--since", "true"],
  ["--config", "NaN"],
  ["--cache-location", "1.50"],
  ["a", ""],
  ["--layout", "plain", "a", "b", "c"],
  ["x.sql", "-q", "--no-color", "-f", "github", "--fail-on", "warning", "--max-warnings", "10", "--pg-version", "15", "--layout", "plain", "y.sql"],
];

/** Command lines yargs accepts that the fast path leaves to yargs (forms it does not parse itself). */
const LEFT_TO_YARGS: string[][] = [
  ["-qf", "json"],
  ["-f=json"],
  ["--color", "false"],
  ["--fix", "true"],
  ["--color=false"],
  ["--", "x"],
  ["--maxWarnings", "3"],
  ["-"],
  ["x", "-"],
  ["--config", "-"],
  ["--since", "--"],
  ["x", "down"],
  ["--max-warnings", "007"],
  ["--max-warnings", "1e1"],
  ["--no-cache-location"],
  ["--fix", "--fix"],
  ["--cache-location"],
];

/** Command lines yargs refuses (exit 2 with its message): the fast path must decline every one. */
const REFUSED: string[][] = [
  ["--format", "nope"],
  ["--layout", "nope"],
  ["--fail-on", "sometimes"],
  ["--max-warnings", "-1"],
  ["--max-warnings=-1"],
  ["--max-warnings", "1.5"],
  ["--max-warnings=abc"],
  ["--pg-version", "x"],
  ["--unknown"],
  ["-fjson"],
  ["--format", "json", "--format", "sarif"],
  ["--since", "a", "--since", "b"],
  ["--force"],
  ["--fix", "--dry-run", "--format", "json"],
];

describe("the fast path's argv against yargs'", () => {
  for (const args of HANDLED) {
    it(`parses ${JSON.stringify(args)} as yargs does`, async () => {
      const fast = fastLintArgv(args);
      expect(fast).toBeDefined();
      const viaYargs = await handlerArgv(args, false);
      expect(viaYargs.code).toBe(0);
      expect(viaYargs.argv).toBeDefined();
      expect(fast).toStrictEqual(viaYargs.argv);
      // main() hands the handler that argv when the fast path is on.
      const viaFast = await handlerArgv(args, true);
      expect(viaFast).toStrictEqual(viaYargs);
    });
  }

  it("leaves the forms it does not parse to yargs, which still lints", async () => {
    for (const args of LEFT_TO_YARGS) {
      expect(fastLintArgv(args), JSON.stringify(args)).toBeUndefined();
      const viaYargs = await handlerArgv(args, false);
      expect(viaYargs.code, JSON.stringify(args)).toBe(0);
    }
    // `x down` is still the lint command for yargs (a command is looked for in the first positional only).
    expect(((await handlerArgv(["x", "down"], true)).argv as { paths: string[] }).paths).toEqual(["x", "down"]);
  });

  it("declines everything yargs refuses, help, --version and the other commands", async () => {
    for (const args of REFUSED) {
      expect(fastLintArgv(args), JSON.stringify(args)).toBeUndefined();
      const viaYargs = await handlerArgv(args, true);
      expect(viaYargs, JSON.stringify(args)).toEqual({ argv: undefined, code: 2 });
    }
    for (const args of [["--help"], ["-h"], ["x", "--version"], ["-v", "x"], ["help"], ["x", "help"], ["down", "x.sql"], ["verify"], ["schema"]]) {
      expect(fastLintArgv(args), JSON.stringify(args)).toBeUndefined();
    }
  });

  it(`is off with ${FAST_ARGS_ENV}=0`, () => {
    expect(fastLintArgv(["a.sql"], {})).toBeDefined();
    expect(fastLintArgv(["a.sql"], { [FAST_ARGS_ENV]: "0" })).toBeUndefined();
  });
});

describe("random command lines", () => {
  // Words of every kind the fast path must tell apart: each option's spellings, values right and wrong,
  // numbers as yargs might read them, command names, paths.
  const words = fc.constantFrom(
    ...["--format", "-f", "--format=json", "-f=json", "--layout", "--layout=prisma", "--max-warnings", "--max-warnings=2", "--pg-version", "--pg-version=16"],
    ...["--fail-on", "--config", "-c", "--since", "--cache-location", "--cache-location=", "--quiet", "-q", "-qf", "--no-quiet", "--color", "--no-color"],
    ...["--fix", "--no-fix", "--force", "--dry-run", "--cache", "--no-cache", "--dryRun", "--maxWarnings", "--no-since", "--unknown", "-x", "--help", "-v"],
    ...["json", "sarif", "stylish", "prisma", "plain", "lossy", "warning", "3", "0", "-1", "007", "1.5", "1e3", "0x10", "true", "false", ""],
    ...["a.sql", "migrations/", "down", "verify", "help", "version", "-", "--", "a=b"],
  );

  it("give the handler yargs' argv whenever the fast path takes them", async () => {
    let taken = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(words, { maxLength: 6 }), async (args) => {
        const fast = fastLintArgv(args);
        if (fast === undefined) return;
        taken++;
        const viaYargs = await handlerArgv(args, false);
        expect(viaYargs.code).toBe(0);
        expect(fast).toStrictEqual(viaYargs.argv);
      }),
      { numRuns: 600, seed: 14 },
    );
    // The property says something only if the fast path took a fair share of them.
    expect(taken).toBeGreaterThan(60);
  }, 120_000);
});

describe("the fast path knows every lint option", () => {
  it("every declaration uses only what the fast parser understands", () => {
    for (const [name, d] of lintDeclarations()) expect(notUnderstood(name, d), name).toBeUndefined();
    expect(notUnderstood("x", { type: "string", coerce: String })).toBe("--x declares coerce");
    expect(notUnderstood("x", { type: "array" })).toBe("--x has type array");
  });

  it("the real yargs builder declares exactly the options of its tables", () => {
    const built = (lintCommand.builder as unknown as (y: unknown) => { getOptions(): Record<string, unknown> })(globalOptions(yargs([])));
    const o = built.getOptions() as {
      key: Record<string, boolean>;
      alias: Record<string, string[]>;
      boolean: string[];
      string: string[];
      number: string[];
      array: string[];
      count: string[];
      normalize: string[];
      narg: Record<string, number>;
      config: Record<string, unknown>;
      demandedOptions: Record<string, unknown>;
      default: Record<string, unknown>;
      choices: Record<string, unknown[]>;
    };
    const declared = lintDeclarations();
    const aliases = [...declared.values()].flatMap((d) => (d.alias ? [d.alias] : []));
    const builtIn = ["help", "version", "paths"];
    expect(Object.keys(o.key).filter((k) => !builtIn.includes(k) && !aliases.includes(k)).sort()).toEqual([...declared.keys()].sort());
    for (const [name, d] of declared) {
      expect(o.alias[name] ?? [], name).toEqual(d.alias ? [d.alias] : []);
      expect(o[d.type].includes(name), name).toBe(true);
      expect(o.default[name], name).toBe(d.default);
      expect(o.choices[name], name).toEqual(d.choices ? [...d.choices] : undefined);
    }
    expect(o.array.filter((k) => k !== "paths")).toEqual([]);
    expect([...o.count, ...o.normalize, ...Object.keys(o.narg), ...Object.keys(o.config), ...Object.keys(o.demandedOptions)]).toEqual([]);
  });

  it("knows every other command's name (a path by that name goes to yargs)", () => {
    const words = commands.flatMap((c) => [String(c.command).split(" ")[0]!, ...[c.aliases ?? []].flat()]);
    expect([...COMMAND_WORDS].sort()).toEqual([...words, "help"].sort());
  });
});

const built = existsSync(path.join(ROOT, "dist", "bundle", "cli.cjs")) && existsSync(path.join(ROOT, "dist", "src", "cli", "fast-args.js"));
const cli = (args: string[], env: Record<string, string> = {}) => runCliTraced(args, { env });

/** Whether yargs' code ran: its own files (the compiled tree), or its modules in the bundled script. */
const ranYargs = (run: TracedRun): boolean =>
  run.loaded.some((url) => url.includes("/node_modules/yargs/") || url.includes("/node_modules/yargs-parser/")) || run.evaluated.some((m) => /^node_modules\/yargs(-parser)?\//.test(m));

/**
 * Whether a compiled module ran: its own file (dist/src), or its initialiser in the bundled script,
 * which must be one the script evaluates lazily (else "did not run" could not be seen).
 */
function ranModule(run: TracedRun, module: string, bundled: boolean): boolean {
  if (bundled) expect(run.lazy).toContain(`dist/src/${module}`);
  return run.loaded.some((url) => url.endsWith(`/dist/src/${module}`)) || run.evaluated.includes(`dist/src/${module}`);
}

describe.skipIf(!built)("the built CLI with and without the fast path", () => {
  const examples = path.join("examples", "diesel-app");

  it("a plain lint run loads neither yargs nor the other commands (nor verify's engine, nor the TypeScript extractor), bundled or compiled", () => {
    for (const bundle of ["1", "0"]) {
      const fast = cli([examples, "--format", "json"], { MIGRATION_LINT_BUNDLE: bundle });
      const slow = cli([examples, "--format", "json"], { MIGRATION_LINT_BUNDLE: bundle, [FAST_ARGS_ENV]: "0" });
      expect(fast.stdout).toContain('"findings"');
      const bundled = bundle === "1";
      expect(fast.loaded.some((u) => u.endsWith(bundled ? "/dist/bundle/launch.js" : "/dist/src/cli/main.js"))).toBe(true);
      expect(ranYargs(fast)).toBe(false);
      expect(ranModule(fast, "cli/commands/verify.js", bundled)).toBe(false);
      expect(ranYargs(slow)).toBe(true);
      expect(ranModule(slow, "cli/commands/verify.js", bundled)).toBe(true);
      expect(fast.stdout).toBe(slow.stdout);
      // The rules' one fact about pop's split migrations no longer brings verify's round-trip engine.
      expect(ranModule(fast, "verify/verify.js", bundled)).toBe(false);
      expect(ranModule(fast, "lint/engine.js", bundled)).toBe(true);
      // The TypeScript extractor loads with the first migration module, never for SQL files.
      expect(ranModule(fast, "extract/extract.js", bundled)).toBe(false);
      const knex = cli([path.join("fixtures", "ts", "knex"), "--format", "json"], { MIGRATION_LINT_BUNDLE: bundle });
      expect(ranModule(knex, "extract/extract.js", bundled)).toBe(true);
      expect(JSON.parse(knex.stdout).files.length).toBeGreaterThan(0);
      expect(knex.stdout).toBe(cli([path.join("fixtures", "ts", "knex"), "--format", "json"], { MIGRATION_LINT_BUNDLE: bundle, [FAST_ARGS_ENV]: "0" }).stdout);
    }
  }, 180_000);

  it("prints byte for byte what the yargs path prints", () => {
    const lines = [
      [examples, "--format", "json"],
      [examples, "--format=sarif"],
      [examples, "-f", "junit", "-q"],
      [examples, "--format", "github", "--fail-on", "warning"],
      [examples, "--no-color"],
      [examples, "--color"],
      [examples, "--max-warnings", "0", "--pg-version", "16"],
      [path.join(examples, "migrations", "2024-01-10-090000_create_authors", "up.sql"), "--layout", "diesel", "--format", "json"],
    ];
    for (const args of lines) {
      const fast = cli(args);
      const slow = cli(args, { [FAST_ARGS_ENV]: "0" });
      expect(fastLintArgv(args), args.join(" ")).toBeDefined();
      expect(fast.stdout.length, args.join(" ")).toBeGreaterThan(0);
      expect(fast.stdout, args.join(" ")).toBe(slow.stdout);
      expect(fast.stderr, args.join(" ")).toBe(slow.stderr);
      expect(fast.status, args.join(" ")).toBe(slow.status);
    }
  }, 240_000);

  it("the errors the fast path declines read as before: the same message, exit 2", () => {
    const cases: [string[], string][] = [
      [["--format", "nope"], "migration-lint: Invalid values:"],
      [["--max-warnings", "-1"], "migration-lint: --max-warnings takes a whole number of warnings, 0 or more (got -1)"],
      [["--unknown"], "migration-lint: Unknown argument: unknown"],
      [["--format", "json", "--format", "sarif"], "migration-lint: --format takes one value, and was given 2: json, sarif"],
    ];
    for (const [args, first] of cases) {
      expect(fastLintArgv(args)).toBeUndefined();
      const fast = cli([examples, ...args]);
      const slow = cli([examples, ...args], { [FAST_ARGS_ENV]: "0" });
      expect(fast.status).toBe(2);
      expect(fast.stdout).toBe("");
      expect(fast.stderr.split("\n")[0]).toBe(first);
      expect(fast.stderr).toMatch(/Run 'migration-lint --help' for usage\.\n$/);
      expect(fast.stderr).toBe(slow.stderr);
      expect(slow.status).toBe(2);
    }
  }, 120_000);
});

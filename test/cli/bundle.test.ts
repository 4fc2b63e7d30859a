/**
 * The bundle (`dist/bundle/`, scripts/bundle.mjs) that `bin/migration-lint.js` runs: the same output as
 * the compiled tree it was bundled from, and the lazy loading it exists for (a SQL lint run loads
 * neither pg, PGlite nor oxc-parser; a `--cache` hit not even the parser). Modules loaded are seen
 * through real resolve hooks (test/cli/traced-cli.ts) that log each URL, and the bundled script's
 * modules that ran through V8's coverage. Needs a build
 * (`npm run build`); without one the tests say so and are skipped.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { crc32 } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, runCliTraced } from "./traced-cli.js";

const zlibCrc = (text: string) => crc32(Buffer.from(text, "utf8"));

const built = existsSync(path.join(ROOT, "dist", "bundle", "cli.cjs")) && existsSync(path.join(ROOT, "dist", "bundle", "launch.js")) && existsSync(path.join(ROOT, "dist", "src", "cli", "main.js"));

const tmp = mkdtempSync(path.join(tmpdir(), "mll-bundle-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const run = (args: string[], options: { cwd?: string; env?: Record<string, string>; trace?: boolean } = {}) => runCliTraced(args, { ...options, trace: options.trace ?? false });

describe.skipIf(!built)("the bundle", () => {
  it("prints what the compiled tree prints, SQL and TypeScript migrations alike", () => {
    const projects = [path.join(ROOT, "examples"), path.join(ROOT, "fixtures", "ts", "knex"), path.join(ROOT, "fixtures", "ts", "typeorm")];
    for (const dir of projects) {
      const bundled = run([dir, "--format", "json"], { trace: true });
      const compiled = run([dir, "--format", "json"], { env: { MIGRATION_LINT_BUNDLE: "0" }, trace: true });
      expect(bundled.stdout.length).toBeGreaterThan(100);
      expect(bundled.stdout).toBe(compiled.stdout);
      expect(bundled.status).toBe(compiled.status);
      expect(bundled.loaded.some((u) => u.endsWith("/dist/bundle/launch.js"))).toBe(true);
      expect(bundled.evaluated).toContain("dist/src/lint/engine.js");
      expect(bundled.loaded.some((u) => u.includes("/dist/src/"))).toBe(false);
      expect(compiled.loaded.some((u) => u.includes("/dist/bundle/"))).toBe(false);
    }
  }, 240_000);

  it("a SQL lint run loads neither pg, PGlite nor oxc-parser; a --cache hit not even the parser", () => {
    const dir = path.join(tmp, "sql");
    cpSync(path.join(ROOT, "examples", "diesel-app"), dir, { recursive: true });
    const lint = run([".", "--format", "json", "--cache"], { cwd: dir, trace: true });
    expect(lint.stdout).toContain('"findings"');
    const external = (loaded: string[], name: string) => loaded.some((u) => u.includes(`/node_modules/${name}/`));
    expect(external(lint.loaded, "libpg-query")).toBe(true);
    for (const name of ["pg", "@electric-sql/pglite", "oxc-parser"]) expect(external(lint.loaded, name)).toBe(false);
    const hit = run([".", "--format", "json", "--cache"], { cwd: dir, trace: true });
    expect(hit.stdout).toBe(lint.stdout);
    expect(hit.status).toBe(lint.status);
    expect(external(hit.loaded, "libpg-query")).toBe(false);
  }, 120_000);

  // The extractor's lazy loading is checked with the fast argument path's (test/cli/fast-args.test.ts).
  it("a lint run loads neither child_process, zlib nor worker_threads until it uses them", () => {
    const dir = path.join(tmp, "sql-start");
    cpSync(path.join(ROOT, "examples", "diesel-app"), dir, { recursive: true });
    const lazy = ["node:child_process", "node:zlib", "node:worker_threads"];
    // The compiled tree names its modules; the bundle shows the built-ins it imports.
    for (const env of [{ MIGRATION_LINT_BUNDLE: "0" }, { MIGRATION_LINT_BUNDLE: "1" }]) {
      const lint = run([".", "--format", "json"], { cwd: dir, env, trace: true });
      expect(lint.stdout).toContain('"findings"');
      expect(lint.loaded.filter((u) => lazy.includes(u))).toEqual([]);
      expect(lint.loaded.some((u) => u === "node:crypto")).toBe(true);
    }
    // A journal's CRC-32 still loads zlib when it is used: flyway's checksum of a migration.
    const crc = spawnSync(process.execPath, ["--input-type=module", "-e", `import { crc32Of } from ${JSON.stringify(pathToFileURL(path.join(ROOT, "dist", "src", "layout", "journal-support.js")).href)}; console.log(crc32Of("SELECT 1;"))`], { encoding: "utf8" });
    expect(crc.stdout.trim()).toBe(String(zlibCrc("SELECT 1;")));
  }, 120_000);

  it("--version prints the package's version", () => {
    const { version } = JSON.parse(spawnSync("node", ["-p", "JSON.stringify(require('./package.json'))"], { cwd: ROOT, encoding: "utf8" }).stdout) as { version: string };
    expect(run(["--version"]).stdout).toBe(`${version}\n`);
  });
});

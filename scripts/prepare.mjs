#!/usr/bin/env node
/* global process, console */
// `prepare`: build dist/ with tsc, then bundle it (scripts/bundle.mjs: the fast start the published
// command runs). npm runs it after `npm ci` in a checkout, and when it installs this package from git
// (`npm install -g git+…`, which is how pre-commit's `language: node` installs a hook, and
// `npx github:…`). In that git-dependency preparation npm passes the outer `--global` down, so the
// devDependencies (tsc and esbuild among them) do not land in ./node_modules and `tsc` is "not found".
// Then this installs what the build needs locally first (tsc, the type packages and esbuild, at the
// versions package.json names; `--global=false`, scripts off so it does not recurse — esbuild's binary
// comes in its platform package, an optional dependency, and its own install script is not needed;
// not the test tools), and builds. A bundle that cannot be built is not an error: bin/migration-lint.js
// then runs dist/src, only slower to start. Committing dist/ would work too, but every commit would
// carry generated code.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
const esbuild = path.join(root, "node_modules", "esbuild", "package.json");

function run(command, args) {
  const r = spawnSync(command, args, { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
  return r.status ?? 1;
}

if (!existsSync(tsc) || !existsSync(esbuild)) {
  const dev = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).devDependencies;
  const forBuild = Object.entries(dev)
    .filter(([name]) => name === "typescript" || name === "esbuild" || name.startsWith("@types/"))
    .map(([name, range]) => `${name}@${range}`);
  const code = run("npm", ["install", "--global=false", "--omit=dev", "--ignore-scripts", "--no-save", "--no-audit", "--no-fund", "--no-package-lock", ...forBuild]);
  if (code !== 0) process.exit(code);
}
const built = run(process.execPath, [tsc, "-p", "tsconfig.build.json"]);
if (built !== 0) process.exit(built);
if (run(process.execPath, [path.join(root, "scripts", "bundle.mjs")]) !== 0) {
  console.warn("prepare: the bundle could not be built; migration-lint runs from dist/src (slower to start)");
}

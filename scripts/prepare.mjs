#!/usr/bin/env node
/* global process */
// `prepare`: build dist/ with tsc. npm runs it after `npm ci` in a checkout, and when it installs this
// package from git (`npm install -g git+…`, which is how pre-commit's `language: node` installs a hook,
// and `npx github:…`). In that git-dependency preparation npm passes the outer `--global` down, so the
// devDependencies (tsc among them) do not land in ./node_modules and `tsc` is "not found". Then this
// installs what the build needs locally first (tsc and the type packages, at the versions package.json
// names; `--global=false`, scripts off so it does not recurse; not the test tools), and builds.
// Committing dist/ would work too, but every commit would carry generated code.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");

function run(command, args) {
  const r = spawnSync(command, args, { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!existsSync(tsc)) {
  const dev = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")).devDependencies;
  const forBuild = Object.entries(dev)
    .filter(([name]) => name === "typescript" || name.startsWith("@types/"))
    .map(([name, range]) => `${name}@${range}`);
  run("npm", ["install", "--global=false", "--omit=dev", "--ignore-scripts", "--no-save", "--no-audit", "--no-fund", "--no-package-lock", ...forBuild]);
}
run(process.execPath, [tsc, "-p", "tsconfig.build.json"]);

#!/usr/bin/env node
// The CLI entry point. It runs the bundle (dist/bundle/, scripts/bundle.mjs: the CLI as one script,
// compiled with V8's code cache by launch.js) when it is there, else the compiled tree itself
// (dist/src/, `npm run build` after cloning, which rebuilds both). MIGRATION_LINT_BUNDLE=0 runs
// dist/src. File times cannot tell a stale bundle: an install copies dist/ in any order, so dist/src
// can look newer than the bundle.
import { existsSync } from "node:fs";

const bundled = (file) => existsSync(new URL(`../dist/bundle/${file}`, import.meta.url));
const useBundle = process.env.MIGRATION_LINT_BUNDLE !== "0" && bundled("launch.js") && bundled("cli.cjs");
const args = process.argv.slice(2);
let code;
// `--cache`: an unchanged re-run prints its stored report before the CLI loads (src/cli/cached-rerun.ts).
if (args.some((a) => a === "--cache" || a.startsWith("--cache="))) {
  const { replayCachedRun } = await import(useBundle ? "../dist/bundle/rerun.js" : "../dist/src/cli/cached-rerun.js");
  code = await replayCachedRun(args);
}
if (code === undefined) {
  if (useBundle) {
    const { launch } = await import("../dist/bundle/launch.js");
    code = await launch(args);
  } else {
    const { main } = await import("../dist/src/cli/main.js");
    code = await main(args);
  }
}
process.exitCode = code;

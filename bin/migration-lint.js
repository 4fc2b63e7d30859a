#!/usr/bin/env node
// The CLI entry point. It runs the bundle (dist/bundle/, scripts/bundle.mjs: a few files for Node to
// load instead of ~250 modules) when it is there, else the compiled tree itself (dist/src/, `npm run
// build` after cloning, which rebuilds both). MIGRATION_LINT_BUNDLE=0 runs dist/src. File times cannot
// tell a stale bundle: an install copies dist/ in any order, so dist/src can look newer than the bundle.
import { existsSync } from "node:fs";

const useBundle = process.env.MIGRATION_LINT_BUNDLE !== "0" && existsSync(new URL("../dist/bundle/cli.js", import.meta.url));
const { main } = await import(useBundle ? "../dist/bundle/cli.js" : "../dist/src/cli/main.js");

process.exitCode = await main(process.argv.slice(2));

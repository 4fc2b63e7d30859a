#!/usr/bin/env node
// The CLI entry point. It runs the bundle (dist/bundle/, scripts/bundle.mjs: a few files for Node to
// load instead of ~250 modules) when it is there and not older than the compiled tree, else the
// compiled tree itself (dist/src/, `npm run build` after cloning).
import { statSync } from "node:fs";

const mtime = (relative) => statSync(new URL(relative, import.meta.url), { throwIfNoEntry: false })?.mtimeMs;
const bundled = mtime("../dist/bundle/cli.js");
const compiled = mtime("../dist/src/cli/main.js");
const useBundle = bundled !== undefined && (compiled === undefined || bundled >= compiled) && process.env.MIGRATION_LINT_BUNDLE !== "0";
const { main } = await import(useBundle ? "../dist/bundle/cli.js" : "../dist/src/cli/main.js");

process.exitCode = await main(process.argv.slice(2));

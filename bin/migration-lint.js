#!/usr/bin/env node
// The CLI entry point; the code lives in dist/ (run `npm run build` after cloning).
import { main } from "../dist/src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));

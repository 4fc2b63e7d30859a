/**
 * The bundle's entry (bin/migration-lint.js runs it): the CLI as one script compiled with V8's code
 * cache (src/cli/code-cache.ts). `--version` is answered here, without reading the script.
 */
import { fileURLToPath } from "node:url";
import { TOOL_VERSION } from "../meta.js";
import { codeCacheDir, runCachedScript } from "./code-cache.js";
import { asksVersionOnly, lintsAFolder, runsLint } from "./prestart.js";
import { preferBaselineWasm } from "./wasm-tier.js";

interface Cli {
  main(args: string[]): Promise<number>;
}

export async function launch(args: string[]): Promise<number> {
  if (asksVersionOnly(args)) {
    process.stdout.write(`${TOOL_VERSION}\n`);
    return 0;
  }
  // V8 takes cached data only when compiled under the flags it was produced with, and the CLI sets
  // `--liftoff-only` (when it does) before its parser loads: set it before compiling, as every run does.
  preferBaselineWasm();
  const cli = runCachedScript<Cli>(fileURLToPath(new URL("./cli.cjs", import.meta.url)), codeCacheDir(), lintsAFolder(args) ? "folders" : "files");
  const code = await cli.exports.main(args);
  // A lint run's compiled code is the one worth keeping: the command users wait on, run most often.
  if ((code === 0 || code === 1) && runsLint(args)) cli.store();
  return code;
}

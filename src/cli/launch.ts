/**
 * The bundle's entry (bin/migration-lint.js runs it): the CLI as one script compiled with V8's code
 * cache (src/cli/code-cache.ts). `--version` is answered here, without reading the script.
 */
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { TOOL_VERSION } from "../meta.js";
import { codeCacheDir, runCachedScript, type CachedScript } from "./code-cache.js";
import { asksVersionOnly, lintsAFolder, runsLint } from "./prestart.js";
import { preferBaselineWasm } from "./wasm-tier.js";

interface Cli {
  main(args: string[]): Promise<number>;
}

/**
 * libpg-query starts compiling its WASM when it is loaded, off the main thread: loaded here, before
 * the script is read and deserialised, that compile overlaps with them instead of being waited for
 * after discovery. The script's own `require("libpg-query")` resolves to the same file, so it gets
 * this instance. A failure is reported where the CLI first awaits the parser (src/parse/pg-query.ts).
 */
function startParser(): void {
  try {
    const parser = createRequire(import.meta.url)("libpg-query") as { loadModule(): Promise<void> };
    parser.loadModule().catch(() => {});
  } catch {
    // The CLI loads it again and says what is wrong.
  }
}

export async function launch(args: string[]): Promise<number> {
  if (asksVersionOnly(args)) {
    process.stdout.write(`${TOOL_VERSION}\n`);
    return 0;
  }
  // V8 takes cached data only when compiled under the flags it was produced with, and the CLI sets
  // `--liftoff-only` (when it does) before its parser loads: set it before compiling, as every run does.
  preferBaselineWasm();
  const lints = runsLint(args);
  if (lints) startParser();
  const file = fileURLToPath(new URL("./cli.cjs", import.meta.url));
  let cli: CachedScript<Cli>;
  try {
    cli = runCachedScript<Cli>(file, codeCacheDir(), lintsAFolder(args) ? "folders" : "files");
    if (typeof cli.exports.main !== "function") throw new Error(`${file} is not the CLI's script (rebuild with \`npm run build\`)`);
  } catch (error) {
    // A broken install (a bundle half-copied, a file edited by hand): one line, no stack.
    process.stderr.write(`migration-lint: cannot load the bundled CLI: ${(error as Error).message}\n`);
    return 2;
  }
  const code = await cli.exports.main(args);
  // A lint run's compiled code is the one worth keeping: the command users wait on, run most often.
  if ((code === 0 || code === 1) && lints) cli.store();
  return code;
}

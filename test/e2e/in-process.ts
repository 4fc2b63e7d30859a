/**
 * The real command line (`main`, the function `bin/migration-lint.js` calls) run inside the test's
 * own process: same arguments, same exit code, stdout and stderr captured. A spawned CLI costs ~3 s
 * of tsx start-up; the spawning tests (helpers.ts) keep that for what needs a real process (hooks,
 * shells, git).
 */
import { main } from "../../src/cli/main.js";
import type { Run } from "./helpers.js";

/** One at a time: the working directory and the standard streams are process-wide. */
export async function runCli(args: readonly string[], cwd: string): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  const before = process.cwd();
  const savedExitCode = process.exitCode;
  const noColor = process.env["NO_COLOR"];
  process.env["NO_COLOR"] = "1";
  process.stdout.write = ((chunk: string | Uint8Array) => ((stdout += String(chunk)), true)) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => ((stderr += String(chunk)), true)) as typeof process.stderr.write;
  process.chdir(cwd);
  try {
    const code = await main([...args]);
    return { code, stdout, stderr };
  } finally {
    process.chdir(before);
    process.stdout.write = out;
    process.stderr.write = err;
    process.exitCode = savedExitCode;
    if (noColor === undefined) delete process.env["NO_COLOR"];
    else process.env["NO_COLOR"] = noColor;
  }
}

/**
 * The command line as typed, kept by src/cli/main.ts for `--cache`'s manifest (report-manifest.ts),
 * which is keyed on it. Its own module without imports: main.ts loads it on every start.
 */
let invocation: readonly string[] | undefined;

export function rememberInvocation(args: readonly string[]): void {
  invocation = [...args];
}

/** Undefined when the CLI did not start this run (the API): such a run stores no manifest. */
export function rememberedInvocation(): readonly string[] | undefined {
  return invocation;
}

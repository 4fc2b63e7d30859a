/**
 * `migration-lint lock [paths..]`: record the sha256 of every migration, in order, in
 * migration-lint.lock. Lint then reports migration-modified, migration-removed and
 * migration-out-of-order against it. `--check` writes nothing and exits 1 when the lock is stale.
 */
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import type { SetChanges } from "../../history/api.js";
import { displayPath } from "../../history/lock-file.js";
import type { LayoutId } from "../../layout/types.js";
import type { GlobalOptions } from "../options.js";
import { writeOut } from "../output.js";

export interface LockArgs extends GlobalOptions {
  paths?: string[];
  lockFile?: string;
  to?: string;
  check?: boolean;
}

export const lockCommand: CommandModule<GlobalOptions, LockArgs> = {
  command: "lock [paths..]",
  describe: "Write migration-lint.lock: the sha256 of each migration, in order (run it once migrations are applied)",
  builder: (y: Argv<GlobalOptions>) =>
    y
      .positional("paths", { type: "string", array: true, describe: "Migration folders (default: the current directory)" })
      .option("lock-file", { type: "string", describe: "The lock file (default: the nearest migration-lint.lock, else beside the config)" })
      .option("to", { type: "string", describe: "Lock only up to this migration (the last one production has applied)" })
      .option("check", { type: "boolean", describe: "Write nothing; exit 1 when the lock file is missing or out of date" }) as Argv<LockArgs>,
  handler: async (argv: ArgumentsCamelCase<LockArgs>) => {
    // The analysis loads when this command runs, not when it is registered (every run registers every command).
    const { lockMigrations } = await import("../../history/api.js");
    const cwd = process.cwd();
    const outcome = await lockMigrations(argv.paths ?? [], {
      cwd,
      ...(argv.config ? { configPath: argv.config } : {}),
      ...(argv.layout ? { layout: argv.layout as LayoutId } : {}),
      ...(argv.lockFile ? { lockFile: argv.lockFile } : {}),
      ...(argv.to !== undefined ? { to: argv.to } : {}),
      dryRun: !!argv.check,
    });
    const shown = displayPath(cwd, outcome.path);
    const stale = outcome.previous !== outcome.text;
    const summary = outcome.changes.map(describe);
    if (argv.check) {
      if (outcome.previous === undefined) await writeOut(`${shown} does not exist. Run \`migration-lint lock\` to create it.\n`);
      else if (stale) await writeOut(`${shown} is out of date:\n${summary.map((s) => `  ${s}\n`).join("")}Run \`migration-lint lock\` to update it.\n`);
      else await writeOut(`${shown} is up to date.\n`);
      process.exitCode = stale ? 1 : 0;
      return;
    }
    const verb = outcome.written ? (outcome.previous === undefined ? "Wrote" : "Updated") : "Unchanged:";
    await writeOut(`${verb} ${shown}\n${summary.map((s) => `  ${s}\n`).join("")}`);
    process.exitCode = 0;
  },
};

function describe(c: SetChanges): string {
  const parts: string[] = [];
  if (c.added.length) parts.push(`${c.added.length} added`);
  if (c.changed.length) parts.push(`${c.changed.length} changed (${c.changed.join(", ")})`);
  if (c.removed.length) parts.push(`${c.removed.length} removed (${c.removed.join(", ")})`);
  return `${c.root}: ${parts.length ? parts.join(", ") : "no change"}`;
}

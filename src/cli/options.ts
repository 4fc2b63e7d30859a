/** Options every command accepts. */
import type { Argv } from "yargs";
import { LAYOUT_IDS } from "../layout/registry.js";
import { FORMATS } from "../report/index.js";

export interface GlobalOptions {
  config?: string;
  layout?: string;
  format: string;
  maxWarnings?: number;
  quiet?: boolean;
  color?: boolean;
  failOn?: string;
  pgVersion?: number;
}

export function globalOptions<T>(y: Argv<T>): Argv<T & GlobalOptions> {
  return y
    .option("config", { alias: "c", type: "string", describe: "Config file (default: nearest migration-lint.config.json or package.json key)" })
    .option("layout", { type: "string", choices: LAYOUT_IDS, describe: "Force the migration layout instead of detecting it" })
    .option("format", { alias: "f", type: "string", choices: FORMATS, default: "stylish", describe: "Output format" })
    .option("max-warnings", { type: "number", describe: "Exit 1 when there are more warnings than this" })
    .option("quiet", { alias: "q", type: "boolean", describe: "Report errors only" })
    .option("color", { type: "boolean", describe: "Colours in stylish output (default: on a TTY); --no-color turns them off" })
    .option("fail-on", { type: "string", choices: ["irreversible", "lossy", "warning", "error"], describe: "What fails the run (default: error findings)" })
    .option("pg-version", { type: "number", describe: "Target PostgreSQL major version (overrides the config)" }) as Argv<T & GlobalOptions>;
}

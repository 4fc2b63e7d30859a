/** `migration-lint schema`: print the config file's JSON Schema (docs/migration-lint.schema.json is this output). */
import type { CommandModule } from "yargs";
import type { GlobalOptions } from "../options.js";
import { writeOut } from "../output.js";

export const schemaCommand: CommandModule<GlobalOptions, GlobalOptions> = {
  command: "schema",
  describe: "Print the JSON Schema of migration-lint.config.json",
  handler: async () => {
    // Loaded here, not at start-up: zod is ~95 modules every other command would pay for.
    const { configJsonSchema } = await import("../../config/json-schema.js");
    await writeOut(JSON.stringify(configJsonSchema(), null, 2) + "\n");
  },
};

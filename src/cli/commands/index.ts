/** Sub-commands besides the default lint command. */
import type { CommandModule } from "yargs";
import type { GlobalOptions } from "../options.js";
import { depsCommand } from "./deps.js";
import { downCommand } from "./down.js";
import { lockCommand } from "./lock.js";
import { planCommand } from "./plan.js";
import { rollbackCommand } from "./rollback.js";
import { schemaCommand } from "./schema.js";
import { statusCommand } from "./status.js";
import { verifyCommand } from "./verify.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- yargs command modules differ in their argument types
export const commands: CommandModule<GlobalOptions, any>[] = [downCommand, verifyCommand, schemaCommand, lockCommand, depsCommand, planCommand, statusCommand, rollbackCommand];

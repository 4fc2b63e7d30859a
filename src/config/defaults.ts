/**
 * The config used when there is no config file, written out so a run without one never loads the
 * schema's validator (zod). test/config/defaults.test.ts checks it equals what the schema gives `{}`.
 */
import type { Config } from "./schema.js";

export function defaultConfig(): Config {
  return { pgVersion: 14, searchPath: ["public"], timeoutsSetByRunner: false, rules: {}, transaction: {}, history: [], failOn: "error" };
}

/** The JSON Schema of the config file, generated from the zod schema (editors validate with it). */
import { z } from "zod";
import { configSchema } from "./schema.js";

export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: "input", target: "draft-07" }) as Record<string, unknown>;
  return { ...schema, title: "migration-lint configuration", $id: "https://migration-lint.dev/schema/config.json" };
}

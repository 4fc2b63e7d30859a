import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/defaults.js";
import { configSchema } from "../../src/config/schema.js";

describe("defaultConfig", () => {
  it("is exactly what the schema makes of an empty config (it is written out so runs without a config skip zod)", () => {
    expect(defaultConfig()).toStrictEqual(configSchema.parse({}));
  });
});

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // PGlite instances are shared per test file; a few files boot one, so allow time for that.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});

import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // PGlite instances are shared per test file; a few files boot one, so allow time for that.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // Vitest's default is one worker fewer than the cores: one worker on a 2-core CI machine, so the
    // files ran one after the other while most of them wait on PGlite, git or a child process.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});

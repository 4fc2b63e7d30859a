import { availableParallelism, tmpdir } from "node:os";
import path from "node:path";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // PGlite instances are shared per test file; a few files boot one, so allow time for that.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
    // The CLIs the tests run keep their V8 code cache (src/cli/code-cache.ts) here, not in the user's ~/.cache.
    env: { MIGRATION_LINT_CODE_CACHE: path.join(tmpdir(), "migration-lint-test-code-cache") },
    // Vitest's default is one worker fewer than the cores: one worker on a 2-core CI machine, so the
    // files ran one after the other while most of them wait on PGlite, git or a child process.
    maxWorkers: Math.max(2, availableParallelism()),
  },
});

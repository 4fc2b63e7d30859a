/**
 * The pre-commit hook's `--cache` (.pre-commit-hooks.yaml passes `--cache --cache-location
 * .git/migration-lint-cache`), in real git repositories with the real command line: the cache lands in
 * the git dir, never in the work tree (so nobody commits it), a linked worktree's in its own git dir
 * (there `.git` is a file), and the hook prints what the command without the cache prints.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Repo} from "./helpers.js";
import { dieselMigration, dieselUsersRepo, ROOT, shellQuote } from "./helpers.js";

const HOOK_CACHE = ".git/migration-lint-cache";

/** The `entry:` of a hook of .pre-commit-hooks.yaml. */
function entry(id: string): string {
  const text = readFileSync(path.join(ROOT, ".pre-commit-hooks.yaml"), "utf8");
  const block = text.split(/^- /m).find((b) => new RegExp(`^id: ${id}\\s*$`, "m").test(b))!;
  return /^\s*entry: (.+)$/m.exec(block)![1]!.trim();
}

describe("the pre-commit hook's cache", () => {
  let repo: Repo;
  beforeEach(() => {
    repo = dieselUsersRepo();
  });
  afterEach(() => repo.cleanup());

  it("both hooks pass --cache with the cache in the git dir", () => {
    expect(entry("migration-lint")).toBe(`migration-lint --cache --cache-location ${HOOK_CACHE}`);
    expect(entry("migration-lint-since")).toBe(`migration-lint --since origin/main --cache --cache-location ${HOOK_CACHE}`);
  });

  it("keeps the cache in .git, out of `git status`, and prints what an uncached run prints, edit after edit", () => {
    const staged = "migrations/2024-03-01-000000_drop/up.sql";
    for (const sql of ["ALTER TABLE users DROP COLUMN nickname;\n", "ALTER TABLE users DROP COLUMN email;\n"]) {
      dieselMigration(repo, "2024-03-01-000000_drop", sql);
      repo.git("add", "-A");
      const hook = repo.sh(`${entry("migration-lint")} ${shellQuote(staged)}`);
      expect(hook.stderr).toBe("");
      expect(hook).toEqual(repo.cli([staged]));
      expect(hook.stdout).toContain(staged);
    }
    expect(existsSync(path.join(repo.dir, HOOK_CACHE))).toBe(true);
    // Only the staged migration is new: no cache file in the work tree.
    expect(repo.git("status", "--porcelain", "--untracked-files=all").trim()).toBe(`A  ${staged}`);
  });

  it("in a linked worktree (.git is a file) writes the worktree's own git dir", () => {
    const tree = `${repo.dir}-tree`;
    repo.git("worktree", "add", "-q", tree, "-b", "feature");
    try {
      const gitDir = repo.git("-C", tree, "rev-parse", "--absolute-git-dir").trim();
      expect(gitDir).toContain(path.join(".git", "worktrees"));
      repo.sh("mkdir -p migrations/2024-03-01-000000_drop && printf 'ALTER TABLE users DROP COLUMN nickname;\\n' > migrations/2024-03-01-000000_drop/up.sql", tree);
      const hook = repo.sh(`${entry("migration-lint")} migrations/2024-03-01-000000_drop/up.sql`, tree);
      expect(hook.stderr).toBe("");
      expect(hook.stdout).toContain("2024-03-01-000000_drop");
      expect(existsSync(path.join(gitDir, "migration-lint-cache"))).toBe(true);
      expect(existsSync(path.join(tree, ".git", "migration-lint-cache"))).toBe(false);
    } finally {
      repo.git("worktree", "remove", "--force", tree);
    }
  });
});

/**
 * `--cache-location .git/…`, as the pre-commit hook passes it (.pre-commit-hooks.yaml): a place in
 * the repository that is never committed and never shows in `git status`. In a linked worktree or a
 * submodule `.git` is a file naming the real git dir (`gitdir: …`); the location follows it, as git
 * does, so the cache lands in that worktree's own git dir rather than failing to be written.
 */
import { readFileSync, statSync } from "node:fs";
import path from "node:path";

export function followGitFile(cwd: string, location: string): string {
  if (!/^\.git(?:[\\/]|$)/.test(location)) return location;
  const dotGit = path.resolve(cwd, ".git");
  try {
    if (!statSync(dotGit).isFile()) return location;
    const gitDir = /^gitdir:\s*(.+?)\s*$/m.exec(readFileSync(dotGit, "utf8"))?.[1];
    // The path in a .git file is relative to the folder holding it.
    return gitDir ? path.join(path.resolve(cwd, gitDir), location.slice(".git".length)) : location;
  } catch {
    return location;
  }
}

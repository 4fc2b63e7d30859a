/**
 * The little git this tool needs: which files changed since a ref (`--since`). git is run as a child
 * process with an argument vector (never through a shell), and every failure a user can cause (not a
 * repository, an unknown ref, a shallow clone without the ref) becomes one `InputError` line.
 */
import type * as ChildProcess from "node:child_process";
import { realpathSync } from "node:fs";
import path from "node:path";
import { InputError } from "../errors.js";
import { lazyBuiltin } from "../lazy-builtin.js";

const childProcess = lazyBuiltin<typeof ChildProcess>("node:child_process");

/** How a file differs from the base: `added` covers untracked files too (a new migration not yet committed). */
export type ChangeKind = "added" | "modified" | "deleted";

export interface ChangedFiles {
  /** The ref as the user wrote it. */
  ref: string;
  /** The commit compared against: the merge base of the ref and HEAD. */
  base: string;
  /** The repository's top folder (real path). */
  top: string;
  /** Real absolute path → how it changed. */
  files: ReadonlyMap<string, ChangeKind>;
}

interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cwd: string, args: readonly string[]): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    // A big repository can list many files; the default 1 MiB buffer is not enough for a large diff.
    childProcess().execFile("git", [...args], { cwd, maxBuffer: 256 * 1024 * 1024, encoding: "utf8" }, (error, stdout, stderr) => {
      if (error && typeof error.code !== "number") {
        reject(new InputError(`cannot run git: ${error.message}`));
        return;
      }
      resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
    });
  });
}

async function git(cwd: string, args: readonly string[], what: string): Promise<string> {
  const r = await run(cwd, args);
  if (r.code !== 0) throw new InputError(`${what}: ${firstLine(r.stderr) || `git ${args[0]} failed`}`);
  return r.stdout;
}

function firstLine(text: string): string {
  return text.trim().split("\n")[0]?.replace(/^fatal: /, "") ?? "";
}

/** The top folder of the repository `cwd` is in (real path), or an InputError naming what needed it. */
export async function repositoryTop(cwd: string, needed: string): Promise<string> {
  const r = await run(cwd, ["rev-parse", "--show-toplevel"]);
  if (r.code !== 0) throw new InputError(`${needed} needs a git repository, and ${cwd} is not inside one`);
  return realpathSync(r.stdout.trim());
}

/**
 * Files added, modified or deleted since `ref`: the working tree (staged or not, and untracked files)
 * against the merge base of `ref` and HEAD, so a branch is compared with where it left `main` and
 * commits that landed on `main` since do not count as changes of the branch.
 */
export async function changedSince(cwd: string, ref: string): Promise<ChangedFiles> {
  const option = `--since ${ref}`;
  const top = await repositoryTop(cwd, "--since");
  if (ref.startsWith("-")) throw new InputError(`${option}: a git ref cannot start with "-"`);
  const resolved = await run(top, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (resolved.code !== 0) {
    const shallow = (await run(top, ["rev-parse", "--is-shallow-repository"])).stdout.trim() === "true";
    const hint = shallow ? " (this is a shallow clone: fetch more history, e.g. actions/checkout with fetch-depth: 0)" : "";
    throw new InputError(`${option}: not a commit in this repository${hint}`);
  }
  const commit = resolved.stdout.trim();
  const mergeBase = await run(top, ["merge-base", commit, "HEAD"]);
  // Unrelated histories (or a HEAD-less repository) have no merge base: compare with the ref itself.
  const base = mergeBase.code === 0 ? mergeBase.stdout.trim() : commit;

  const files = new Map<string, ChangeKind>();
  const diff = await git(top, ["-c", "core.quotePath=false", "diff", "--name-status", "--no-renames", "-z", base, "--"], option);
  const fields = diff.split("\0");
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const status = fields[i]!;
    const file = fields[i + 1]!;
    if (!status) break;
    files.set(path.join(top, file), status.startsWith("A") ? "added" : status.startsWith("D") ? "deleted" : "modified");
  }
  const untracked = await git(top, ["ls-files", "--others", "--exclude-standard", "-z"], option);
  for (const file of untracked.split("\0")) if (file) files.set(path.join(top, file), "added");
  return { ref, base, top, files };
}

/** A path as `changedSince` keys it: absolute, with symbolic links resolved where the file exists. */
export function realPath(cwd: string, file: string): string {
  const absolute = path.resolve(cwd, file);
  try {
    return realpathSync(absolute);
  } catch {
    // A deleted file has no real path; resolve its folder instead so /tmp → /private/tmp still matches.
    try {
      return path.join(realpathSync(path.dirname(absolute)), path.basename(absolute));
    } catch {
      return absolute;
    }
  }
}

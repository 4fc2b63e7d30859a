/**
 * The file system as discovery sees it: the Node implementation for the CLI and an in-memory one so
 * every layout can be tested with a tree written inline. Paths may be relative (to the cwd) or
 * absolute, always with `/` separators.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { isAbsolute, resolve as resolvePath } from "node:path";
import { posix } from "node:path";
import type { LayoutFs } from "./types.js";
import { encodingProblem } from "./encoding.js";
import { LayoutInputError } from "./errors.js";
import { toSlashes } from "./paths.js";

export type EntryKind = "file" | "dir";

export interface DiscoveryFs extends LayoutFs {
  readonly cwd: string;
  /** Absolute, `/`-separated form of a path (to climb to the folders above a root). */
  resolve(path: string): string;
  kind(path: string): Promise<EntryKind | undefined>;
  /** Every file under `dir`, relative to it, sorted; skips folders no migration lives in. */
  walk(dir: string): Promise<string[]>;
}

/** Folders never searched: dependencies, VCS data, tool caches (`.git`, `.sqlx`, `supabase/.temp`). */
export function isSkippedFolder(name: string): boolean {
  return name === "node_modules" || name === "vendor" || (name.startsWith(".") && name !== "." && name !== "..");
}

/** A file system error in words, without Node's `ELOOP: …, stat '/abs/path'` (the path is printed once, as given). */
export function describeFsError(error: unknown): { code: "missing" | "unreadable"; text: string } {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT" || code === "ENOTDIR") return { code: "missing", text: "no such file or directory" };
  if (code === "EACCES" || code === "EPERM") return { code: "unreadable", text: "permission denied" };
  if (code === "EISDIR") return { code: "unreadable", text: "is a directory, expected a file" };
  if (code === "ELOOP") return { code: "unreadable", text: "too many levels of symbolic links (a symlink loop?)" };
  if (code === "ENAMETOOLONG") return { code: "unreadable", text: "file name too long" };
  return { code: "unreadable", text: (error as Error).message ?? String(error) };
}

export function nodeFs(cwd: string = process.cwd()): DiscoveryFs {
  const base = toSlashes(resolvePath(cwd));
  const abs = (path: string): string => toSlashes(isAbsolute(path) ? resolvePath(path) : resolvePath(base, path));
  return {
    cwd: base,
    resolve: abs,
    // Reads, listings and stats are synchronous: discovery reads thousands of small files and looks
    // for project markers one after the other, and a promise round trip through the thread pool per
    // file cost more than the read itself (1.1 s of the corpus run, against 0.1 s).
    async readText(path) {
      let bytes: Buffer;
      try {
        bytes = readFileSync(abs(path));
      } catch (error) {
        const { code, text } = describeFsError(error);
        throw new LayoutInputError(code, `cannot read file: ${text}`, path, error);
      }
      const problem = encodingProblem(bytes);
      if (problem) throw new LayoutInputError("malformed", problem.message, path, undefined, problem.position);
      return bytes.toString("utf8");
    },
    async exists(path) {
      return (await this.kind(path)) !== undefined;
    },
    async kind(path) {
      try {
        const s = statSync(abs(path), { throwIfNoEntry: false });
        if (!s) return undefined;
        return s.isDirectory() ? "dir" : s.isFile() ? "file" : undefined;
      } catch (error) {
        const { code, text } = describeFsError(error);
        if (code === "missing") return undefined;
        throw new LayoutInputError(code, `cannot access: ${text}`, path, error);
      }
    },
    async walk(dir) {
      const out: string[] = [];
      const visit = async (rel: string): Promise<void> => {
        const here = rel ? posix.join(abs(dir), rel) : abs(dir);
        let entries;
        try {
          entries = readdirSync(here, { withFileTypes: true });
        } catch (error) {
          const { code, text } = describeFsError(error);
          throw new LayoutInputError(code, `cannot list folder: ${text}`, rel ? posix.join(dir, rel) : dir, error);
        }
        for (const e of entries) {
          const child = rel ? `${rel}/${e.name}` : e.name;
          if (e.isDirectory()) {
            if (!isSkippedFolder(e.name)) await visit(child);
          } else if (e.isFile()) out.push(child);
          else if (e.isSymbolicLink()) {
            // Follow links to files only: a linked folder could loop.
            let s;
            try {
              s = statSync(posix.join(here, e.name));
            } catch {
              s = undefined;
            }
            if (s?.isFile()) out.push(child);
          }
        }
      };
      await visit("");
      return out.sort();
    },
  };
}

/**
 * An in-memory tree: `{ "db/migrations/1_a.up.sql": "CREATE TABLE a ();" }`. Relative keys are taken
 * relative to `cwd` (default `/`). Reading a path listed with `undefined` text fails as unreadable.
 */
export function memoryFs(tree: Record<string, string | undefined>, cwd = "/"): DiscoveryFs {
  const base = posix.normalize(cwd);
  const abs = (path: string): string => posix.normalize(path.startsWith("/") ? path : posix.join(base, path)).replace(/(.)\/$/, "$1");
  const files = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(tree)) files.set(abs(k), v);
  const kind = (path: string): EntryKind | undefined => {
    const p = abs(path);
    if (files.has(p)) return "file";
    const prefix = p === "/" ? "/" : `${p}/`;
    for (const k of files.keys()) if (k.startsWith(prefix)) return "dir";
    return undefined;
  };
  return {
    cwd: base,
    resolve: abs,
    async readText(path) {
      const p = abs(path);
      if (!files.has(p)) {
        throw new LayoutInputError(kind(path) === "dir" ? "unreadable" : "missing", kind(path) === "dir" ? "cannot read file: is a directory, expected a file" : "cannot read file: no such file or directory", path);
      }
      const text = files.get(p);
      if (text === undefined) throw new LayoutInputError("unreadable", "cannot read file: permission denied", path);
      return text;
    },
    async exists(path) {
      return kind(path) !== undefined;
    },
    async kind(path) {
      return kind(path);
    },
    async walk(dir) {
      const p = abs(dir);
      const prefix = p === "/" ? "/" : `${p}/`;
      const out: string[] = [];
      for (const k of files.keys()) {
        if (!k.startsWith(prefix)) continue;
        const rel = k.slice(prefix.length);
        if (rel.split("/").slice(0, -1).some(isSkippedFolder)) continue;
        out.push(rel);
      }
      return out.sort();
    },
  };
}

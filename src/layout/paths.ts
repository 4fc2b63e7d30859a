/**
 * Path helpers for layouts. Layouts build paths as the user sees them (relative to the cwd when under
 * it) with `/` separators on every platform, so reports and tests read the same everywhere.
 */
import { posix } from "node:path";

/** `/`-separated join that keeps `.` out of the result (`join(".", "a")` is `a`). */
export function joinPath(...parts: string[]): string {
  const kept = parts.filter((p) => p !== "" && p !== ".");
  if (!kept.length) return ".";
  return posix.normalize(kept.join("/")).replace(/\/$/, "") || "/";
}

export function dirnameOf(path: string): string {
  return posix.dirname(path);
}

export function basenameOf(path: string): string {
  return posix.basename(path);
}

export function toSlashes(path: string): string {
  return path.replace(/\\/g, "/");
}

/** `child` relative to `parent` when it lies under it, else undefined. Both in the same form. */
export function relativeUnder(parent: string, child: string): string | undefined {
  if (parent === "." || parent === "") return child.startsWith("../") || child.startsWith("/") ? undefined : child;
  if (child === parent) return "";
  return child.startsWith(parent + "/") ? child.slice(parent.length + 1) : undefined;
}

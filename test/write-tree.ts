/** Test scaffolding shared by the suites that build a project folder from a literal tree of files. */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Writes each `relative path → text` of `files` under `root`, making the folders on the way; returns `root`. */
export function writeTree(root: string, files: Record<string, string>): string {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

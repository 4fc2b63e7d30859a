/** Test scaffolding shared by the suites that build a project folder from a literal tree of files. */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The small history the `--cache` suites start from: a table, its index, and a staged change that
 * drops a column (a finding to cache).
 */
export const USERS_HISTORY: Readonly<Record<string, string>> = {
  "migrations/1_users.up.sql": "CREATE TABLE users (id bigint PRIMARY KEY, name text);\n",
  "migrations/1_users.down.sql": "DROP TABLE users;\n",
  "migrations/2_index.up.sql": "CREATE INDEX users_name ON users (name);\n",
  "migrations/3_drop.up.sql": "ALTER TABLE users DROP COLUMN name;\n",
};

/** Writes each `relative path → text` of `files` under `root`, making the folders on the way; returns `root`. */
export function writeTree(root: string, files: Record<string, string>): string {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

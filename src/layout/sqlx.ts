/**
 * sqlx reversible migrations: `<version>_<description>.up.sql` / `.down.sql` (the names golang-migrate
 * uses too), versions ordered as integers. sqlx runs each migration in its own transaction unless the
 * file's first bytes are `-- no-transaction` (sqlx-core `sql.starts_with("-- no-transaction")`); then
 * it sends the file as one query on the bare connection.
 */
import { defineLayout, detected, hasMarker, NOT_MINE, textOf, transaction, usesTool } from "./common.js";
import { hasNonRustManifest } from "./golang-migrate.js";
import { CODE_MIGRATION, collectPairs, loadPairs } from "./pairs.js";

export const SQLX_NO_TRANSACTION = "-- no-transaction";

export function sqlxTransaction(upText: string) {
  return upText.startsWith(SQLX_NO_TRANSACTION)
    ? transaction("single-query", "the file starts with `-- no-transaction`, so sqlx runs it outside a transaction")
    : transaction("per-migration", "sqlx runs each migration in its own transaction");
}

export const sqlx = defineLayout(
  "sqlx",
  (dir) => {
    const { pairs } = collectPairs(dir);
    if (!pairs.length) return NOT_MINE;
    const evidence = [`${pairs.length} <version>_<name>.up.sql/.down.sql migrations`];
    let score = 60;
    if (usesTool(dir, "sqlx") || hasMarker(dir, "sqlx.toml")) {
      score += 35;
      evidence.push("the Cargo.toml above the folder depends on sqlx");
    } else if (hasMarker(dir, "Cargo.toml")) {
      score += 15;
      evidence.push("Cargo.toml above the folder (a Rust project)");
    }
    const header = pairs.some((p) => p.up && textOf(dir, p.up.rel)?.startsWith(SQLX_NO_TRANSACTION));
    if (header) {
      score += 35;
      evidence.push("a file starts with sqlx's `-- no-transaction` directive");
    }
    if (hasMarker(dir, "go.mod")) score -= 30;
    // With no manifest at all (a bare copy of the folder) the 14-digit timestamp names are the default of
    // both sqlx and golang-migrate. Lean to sqlx: it wraps each migration, so guessing it never hides a
    // statement that would fail inside a transaction; `--layout golang-migrate` settles it.
    if (!dir.hints?.markers.length && !hasNonRustManifest(dir) && pairs.every((p) => /^\d{14}$/.test(p.version))) {
      score += 5;
      evidence.push("no project manifest found; 14-digit timestamp versions are sqlx's default (tie-break)");
    }
    // Go migrations beside the SQL ones would be run as SQL by this runner: not its folder.
    if (dir.files.some((f) => CODE_MIGRATION.test(f))) score -= 40;
    return detected(score, ...evidence);
  },
  (dir, fs) => loadPairs(dir, fs, { layout: "sqlx", transaction: sqlxTransaction }),
);

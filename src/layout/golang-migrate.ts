/**
 * golang-migrate: `<version>_<name>.up.sql` / `.down.sql`, versions ordered as integers. The runner
 * opens no transaction (its FAQ tells users to add BEGIN/COMMIT themselves); the postgres driver
 * sends the whole file as one query, which PostgreSQL runs as one implicit transaction when it holds
 * several statements.
 */
import { defineLayout, detected, hasMarker, NOT_MINE, transaction, usesTool } from "./common.js";
import { CODE_MIGRATION, collectPairs, loadPairs } from "./pairs.js";
import type { DirListing } from "./types.js";

export const GOLANG_MIGRATE_TRANSACTION = transaction(
  "single-query",
  "golang-migrate opens no transaction: it sends the file as one query (PostgreSQL makes a multi-statement file one implicit transaction)",
);

/** A manifest that is neither Go nor Rust: the migrate CLI or its Docker image, never sqlx. */
export function hasNonRustManifest(dir: DirListing): boolean {
  return (dir.hints?.markers ?? []).some((m) => m !== "Cargo.toml" && m !== "sqlx.toml" && m !== "go.mod");
}

export const golangMigrate = defineLayout(
  "golang-migrate",
  (dir) => {
    const { pairs } = collectPairs(dir);
    if (!pairs.length) return NOT_MINE;
    const evidence = [`${pairs.length} <version>_<name>.up.sql/.down.sql migrations`];
    let score = 60;
    if (usesTool(dir, "golang-migrate")) {
      score += 35;
      evidence.push("go.mod above the folder requires github.com/golang-migrate/migrate");
    } else if (hasMarker(dir, "go.mod")) {
      score += 15;
      evidence.push("go.mod above the folder (a Go project)");
    }
    if (hasNonRustManifest(dir) && !hasMarker(dir, "Cargo.toml")) {
      score += 10;
      evidence.push("the project has no Cargo.toml, so it is not sqlx");
    }
    if (hasMarker(dir, "Cargo.toml")) score -= 30;
    // Go migrations beside the SQL ones would be run as SQL by this runner: not its folder.
    if (dir.files.some((f) => CODE_MIGRATION.test(f))) score -= 40;
    return detected(score, ...evidence);
  },
  (dir, fs) => loadPairs(dir, fs, { layout: "golang-migrate", transaction: () => GOLANG_MIGRATE_TRANSACTION }),
);

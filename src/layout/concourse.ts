/**
 * concourse's own migrator (atc/db/migration): `<unix_ts>_<name>.up.sql` / `.down.sql` mixed with Go
 * migrations (`<ts>_<name>.up.go`) in the same folder; versions are integers, an up and its down are
 * matched by version, and every up of a version runs (two migrations share 1626194317). Every migration, SQL or Go, runs inside `tx := db.Begin()` and is
 * committed with its `migrations_history` row.
 */
import { defineLayout, detected, NOT_MINE, transaction, usesTool } from "./common.js";
import { CODE_MIGRATION, collectPairs, loadPairs, type Pair } from "./pairs.js";
import type { DirListing } from "./types.js";


function codeFile(dir: DirListing, version: string, direction: "up" | "down"): string | undefined {
  return dir.files.find((f) => {
    const m = CODE_MIGRATION.exec(f);
    return m?.[1] === version && m[3] === direction;
  });
}

export const concourse = defineLayout(
  "concourse",
  (dir) => {
    const { pairs } = collectPairs(dir, true);
    if (!pairs.length) return NOT_MINE;
    const evidence = [`${pairs.length} <version>_<name>.up.sql/.down.sql migrations`];
    let score = 60;
    if (usesTool(dir, "concourse")) {
      score += 35;
      evidence.push("go.mod above the folder is concourse's module");
    }
    if (dir.files.some((f) => CODE_MIGRATION.test(f) || f === "migrations.go")) {
      score += 35;
      evidence.push("Go migrations (`<version>_<name>.up.go`) beside the SQL ones");
    }
    // golang-migrate and sqlx read SQL files only, so a version with a down and no up makes sense only
    // to a runner whose missing side is code.
    const loneDowns = pairs.filter((p) => p.down && !p.up).length;
    if (loneDowns) {
      score += 10;
      evidence.push(`${loneDowns} version(s) with a down.sql and no up.sql: their up is code`);
    }
    return detected(score, ...evidence);
  },
  (dir, fs) =>
    loadPairs(dir, fs, {
      layout: "concourse",
      sameVersion: true,
      transaction: () => transaction("per-migration", "concourse's migrator runs every migration inside one transaction"),
      upInCode: (pair: Pair, d) => codeFile(d, pair.version, "up") ?? `${pair.version}_${pair.down!.name}.up.go`,
      downInCode: (pair: Pair, d) => codeFile(d, pair.version, "down") !== undefined,
    }),
);

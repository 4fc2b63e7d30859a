/**
 * diesel: one folder per migration, `<version>_<name>/up.sql` + `down.sql`. The version is the folder
 * name up to the first `_` without its dashes, and versions compare as strings (diesel's
 * `MigrationVersion` ordering), which keeps `2019-03-22-170700` and `2026-06-26-100902-0000` in time
 * order. Each migration runs in its own transaction unless its `metadata.toml` says
 * `run_in_transaction = false`; then diesel sends the file as one batch on the bare connection.
 */
import { at, defineLayout, detected, hasMarker, NOT_MINE, readSql, strays, transaction, usesTool } from "./common.js";
import { compareText } from "./version.js";
import type { DirListing, LayoutFs, Migration, MigrationSet } from "./types.js";

export function dieselFolders(dir: DirListing): string[] {
  const folders = new Set<string>();
  for (const f of dir.files) {
    const m = /^([^/]+)\/(up|down)\.sql$/.exec(f);
    if (m) folders.add(m[1]!);
  }
  return [...folders];
}

export function dieselVersion(folder: string): string {
  return folder.split("_")[0]!.replace(/-/g, "");
}

/** `run_in_transaction = false` in a migration's metadata.toml (diesel_migrations' `TomlMetadata`). */
export function runInTransaction(toml: string): boolean {
  const m = /^\s*run_in_transaction\s*=\s*(true|false)\b/m.exec(toml);
  return m ? m[1] === "true" : true;
}

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const used = new Set<string>();
  const migrations: Migration[] = [];
  const folders = dieselFolders(dir)
    .filter((folder) => dir.files.includes(`${folder}/up.sql`))
    .sort((a, b) => compareText(dieselVersion(a), dieselVersion(b)) || compareText(a, b));
  for (const folder of folders) {
    const upRel = `${folder}/up.sql`;
    const downRel = `${folder}/down.sql`;
    const metaRel = `${folder}/metadata.toml`;
    used.add(upRel);
    const wraps = !dir.files.includes(metaRel) || runInTransaction(await fs.readText(at(dir, metaRel)));
    const m: Migration = {
      id: folder,
      version: dieselVersion(folder),
      name: folder.includes("_") ? folder.slice(folder.indexOf("_") + 1) : folder,
      up: await readSql(dir, fs, upRel),
      expectsDown: true,
      downTarget: { kind: "file", path: at(dir, downRel) },
      ...(wraps
        ? transaction("per-migration", "diesel runs each migration in its own transaction")
        : transaction("single-query", `${at(dir, metaRel)} sets run_in_transaction = false`)),
    };
    if (dir.files.includes(downRel)) {
      used.add(downRel);
      m.down = await readSql(dir, fs, downRel);
    }
    migrations.push(m);
  }
  return { layout: "diesel", root: dir.root, migrations, stray: strays(dir, used) };
}

export const diesel = defineLayout(
  "diesel",
  (dir) => {
    const folders = dieselFolders(dir).filter((f) => dir.files.includes(`${f}/up.sql`));
    if (!folders.length) return NOT_MINE;
    const evidence = [`${folders.length} <version>_<name>/up.sql folders`];
    if (usesTool(dir, "diesel") || hasMarker(dir, "diesel.toml")) return detected(95, ...evidence, "the project uses diesel (Cargo.toml / diesel.toml)");
    return detected(90, ...evidence);
  },
  load,
);

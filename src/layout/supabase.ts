/**
 * Supabase CLI: `supabase/migrations/<timestamp>_<name>.sql`, applied in file-name order. The CLI
 * keeps no downs and runs each migration file in its own transaction (supabase/cli#2898). Downs we
 * generate go to `supabase/migrations/rollback/<id>.down.sql`: the CLI reads only the folder's files.
 */
import { at, defineLayout, detected, NOT_MINE, readSql, strays, topLevel, transaction } from "./common.js";
import { hasRollbackFolder } from "./rollback-folder.js";
import { basenameOf, dirnameOf } from "./paths.js";
import { compareText } from "./version.js";
import type { DirListing, LayoutFs, Migration, MigrationSet } from "./types.js";

const SUPABASE = /^(\d+)_(.*)\.sql$/;

function isSupabaseFolder(root: string): boolean {
  return basenameOf(root) === "migrations" && basenameOf(dirnameOf(root)) === "supabase";
}

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const used = new Set<string>();
  const files = new Set(dir.files);
  const expectsDown = hasRollbackFolder(dir);
  const migrations: Migration[] = [];
  for (const rel of topLevel(dir).filter((f) => SUPABASE.test(f)).sort(compareText)) {
    const [, version, name] = SUPABASE.exec(rel) as unknown as [string, string, string];
    const id = rel.slice(0, -".sql".length);
    const downRel = `rollback/${id}.down.sql`;
    used.add(rel);
    const m: Migration = {
      id,
      version,
      name,
      up: await readSql(dir, fs, rel),
      expectsDown,
      downTarget: { kind: "file", path: at(dir, downRel) },
      ...transaction("per-migration", "the Supabase CLI runs each migration file in its own transaction"),
    };
    if (files.has(downRel)) {
      used.add(downRel);
      m.down = await readSql(dir, fs, downRel);
    }
    migrations.push(m);
  }
  return { layout: "supabase", root: dir.root, migrations, stray: strays(dir, used) };
}

export const supabase = defineLayout(
  "supabase",
  (dir) => {
    const files = topLevel(dir).filter((f) => SUPABASE.test(f));
    if (!files.length || !isSupabaseFolder(dir.absolute ?? dir.root)) return NOT_MINE;
    return detected(85, "the folder is supabase/migrations", `${files.length} <timestamp>_<name>.sql files`);
  },
  load,
);

/**
 * The `postgres-migrations` npm runner (used by supabase/storage): `<id>[-_]<name>.sql` (or `.js`)
 * files, ordered by the integer id (`00010-x.sql` is 10). Each migration runs in its own transaction
 * unless the file contains `-- postgres-migrations disable-transaction`; then node-postgres sends it
 * as one query. The runner keeps no downs: they go to `rollback/<id>.down.sql`.
 */
import { at, defineLayout, detected, NOT_MINE, readSql, strays, textOf, topLevel, transaction, usesTool } from "./common.js";
import { hasRollbackFolder } from "./rollback-folder.js";
import { compareNumeric, compareText } from "./version.js";
import type { DirListing, LayoutFs, Migration, MigrationSet } from "./types.js";

const FILE = /^(\d+)[-_]?(.*)\.(sql|js)$/i;
export const DISABLE_TRANSACTION = "-- postgres-migrations disable-transaction";

export function postgresMigrationsTransaction(text: string) {
  return text.includes(DISABLE_TRANSACTION)
    ? transaction("single-query", "`-- postgres-migrations disable-transaction`: the runner applies it outside a transaction")
    : transaction("per-migration", "postgres-migrations runs each migration in its own transaction");
}

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const used = new Set<string>();
  const files = new Set(dir.files);
  const expectsDown = hasRollbackFolder(dir);
  const migrations: Migration[] = [];
  const entries = topLevel(dir)
    .map((rel) => ({ rel, m: FILE.exec(rel) }))
    .filter((e): e is { rel: string; m: RegExpExecArray } => e.m !== null)
    .sort((a, b) => compareNumeric(a.m[1]!, b.m[1]!) || compareText(a.rel, b.rel));
  for (const { rel, m } of entries) {
    const id = rel.replace(/\.(sql|js)$/i, "");
    const downRel = `rollback/${id}.down.sql`;
    const isJs = m[3]!.toLowerCase() === "js";
    used.add(rel);
    const up = isJs ? { path: at(dir, rel), text: "" } : await readSql(dir, fs, rel);
    const migration: Migration = {
      id,
      version: m[1]!.replace(/^0+(?=\d)/, ""),
      name: m[2] || id,
      up,
      expectsDown,
      downTarget: { kind: "file", path: at(dir, downRel) },
      ...postgresMigrationsTransaction(up.text),
    };
    if (isJs) migration.external = "up";
    if (files.has(downRel)) {
      used.add(downRel);
      migration.down = await readSql(dir, fs, downRel);
    }
    migrations.push(migration);
  }
  return { layout: "postgres-migrations", root: dir.root, migrations, stray: strays(dir, used) };
}

export const postgresMigrations = defineLayout(
  "postgres-migrations",
  (dir) => {
    const files = topLevel(dir).filter((f) => FILE.test(f) && f.toLowerCase().endsWith(".sql"));
    if (!files.length) return NOT_MINE;
    const marked = files.filter((f) => textOf(dir, f)?.includes("-- postgres-migrations")).length;
    if (marked) return detected(90, `${marked} file(s) carry a \`-- postgres-migrations\` directive`);
    if (usesTool(dir, "postgres-migrations")) return detected(85, "package.json above the folder depends on postgres-migrations");
    if (files.every((f) => /^\d+-/.test(f))) return detected(30, "every file is named <number>-<name>.sql");
    return NOT_MINE;
  },
  load,
);

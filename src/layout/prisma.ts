/**
 * Prisma Migrate: `migrations/<timestamp>_<name>/migration.sql`, applied in folder-name order. Prisma
 * keeps no downs; its docs generate one with `prisma migrate diff … > down.sql` in the migration's
 * folder, so that is where an existing down is looked for and a generated one is written.
 * The schema engine opens no transaction (prisma/prisma#3774): it sends migration.sql as one simple
 * query, which PostgreSQL runs as one implicit transaction when it holds several statements; a file
 * of a single `CREATE INDEX CONCURRENTLY` therefore works (trigger.dev relies on this).
 */
import { at, defineLayout, detected, NOT_MINE, readSql, strays, transaction } from "./common.js";
import { compareText } from "./version.js";
import type { DirListing, LayoutFs, Migration, MigrationSet } from "./types.js";

export const PRISMA_TRANSACTION = transaction(
  "single-query",
  "prisma migrate opens no transaction: it sends migration.sql as one query (PostgreSQL makes a multi-statement file one implicit transaction)",
);

function prismaFolders(dir: DirListing): string[] {
  return dir.files
    .map((f) => /^([^/]+)\/migration\.sql$/.exec(f)?.[1])
    .filter((f): f is string => f !== undefined)
    .sort(compareText);
}

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const used = new Set<string>();
  const files = new Set(dir.files);
  const migrations: Migration[] = [];
  for (const folder of prismaFolders(dir)) {
    const upRel = `${folder}/migration.sql`;
    const downRel = `${folder}/down.sql`;
    used.add(upRel);
    const m: Migration = {
      id: folder,
      version: /^(\d+)_/.exec(folder)?.[1] ?? folder,
      name: folder.replace(/^\d+_/, ""),
      up: await readSql(dir, fs, upRel),
      expectsDown: false,
      downTarget: { kind: "file", path: at(dir, downRel) },
      ...PRISMA_TRANSACTION,
    };
    if (files.has(downRel)) {
      used.add(downRel);
      m.down = await readSql(dir, fs, downRel);
    }
    migrations.push(m);
  }
  return { layout: "prisma", root: dir.root, migrations, stray: strays(dir, used) };
}

export const prisma = defineLayout(
  "prisma",
  (dir) => {
    const folders = prismaFolders(dir);
    if (!folders.length) return NOT_MINE;
    const evidence = [`${folders.length} <timestamp>_<name>/migration.sql folders`];
    if (dir.files.includes("migration_lock.toml")) return detected(95, ...evidence, "migration_lock.toml");
    return detected(90, ...evidence);
  },
  load,
);

/**
 * Kysely's Migrator with the FileMigrationProvider: every `.js`, `.ts`, `.mjs`, `.mts` module of the
 * folder (not `.d.ts`) is a migration named by its file name without the extension, exporting
 * `up(db)` / `down(db)`; migrations run in name order and are recorded in `kysely_migration` (locked
 * through `kysely_migration_lock`). On PostgreSQL (`supportsTransactionalDdl`) the Migrator runs every
 * pending migration in one transaction unless `disableTransactions` is set. An `index.ts` that only
 * re-exports the migrations (a custom provider, as atproto's) is not one.
 */
import { defineLayout, detected, NOT_MINE, strays, transaction, usesTool } from "./common.js";
import { compareText } from "./version.js";
import { countContaining, moduleFiles, moduleMigration, moduleStem, readModule } from "./ts-module.js";
import type { DirListing, LayoutFs, Migration, MigrationSet } from "./types.js";

const FILE = /^[^.].*\.(?:js|ts|mjs|mts)$/;
const MARK = /from\s+["']kysely["']|\bKysely<|\bsql`[\s\S]*`\s*\.execute\s*\(/;

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const migrations: Migration[] = [];
  const used = new Set<string>();
  for (const rel of moduleFiles(dir, FILE).sort(compareText)) {
    const { text, extracted } = await readModule(dir, fs, rel);
    if (!extracted.located.up && !extracted.located.down) continue;
    used.add(rel);
    const stem = moduleStem(rel);
    migrations.push(
      moduleMigration(dir, rel, text, extracted, {
        id: stem,
        version: /^[\dT]+Z?|^\d+/.exec(stem)?.[0] ?? stem,
        name: stem.replace(/^[\dTZ]+[-_]?/, "") || stem,
        style: "kysely",
        transaction: transaction("all-pending", "Kysely's Migrator runs every pending migration in one transaction on PostgreSQL"),
      }),
    );
  }
  return { layout: "kysely", root: dir.root, migrations, stray: strays(dir, used) };
}

export const kysely = defineLayout(
  "kysely",
  (dir) => {
    const files = moduleFiles(dir, FILE);
    if (!files.length) return NOT_MINE;
    const marked = countContaining(dir, files, MARK);
    if (marked) return detected(88, `${marked} module(s) import kysely or run sql\`…\`.execute(db)`);
    if (usesTool(dir, "kysely")) return detected(60, "package.json depends on kysely");
    return NOT_MINE;
  },
  load,
);

/**
 * Kysely's Migrator with the FileMigrationProvider: every `.js`, `.ts`, `.mjs`, `.mts` module of the
 * folder (not `.d.ts`) is a migration named by its file name without the extension, exporting
 * `up(db)` / `down(db)`; migrations run in name order and are recorded in `kysely_migration` (locked
 * through `kysely_migration_lock`). On PostgreSQL (`supportsTransactionalDdl`) the Migrator runs every
 * pending migration in one transaction unless `disableTransactions` is set. An `index.ts` that only
 * re-exports the migrations (a custom provider, as atproto's) is not one.
 */
import { defineLayout, transaction } from "./common.js";
import { detectModules, moduleMigration, moduleSet, readMigrationModules } from "./ts-module.js";
import type { DirListing, LayoutFs, MigrationSet } from "./types.js";

const FILE = /^[^.].*\.(?:js|ts|mjs|mts)$/;
const MARK = /from\s+["']kysely["']|\bKysely<|\bsql`[\s\S]*`\s*\.execute\s*\(/;

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const modules = await readMigrationModules(dir, fs, "kysely", FILE);
  const migrations = modules.map((m) =>
    moduleMigration(dir, m, {
      version: /^[\dT]+Z?|^\d+/.exec(m.stem)?.[0] ?? m.stem,
      name: m.stem.replace(/^[\dTZ]+[-_]?/, "") || m.stem,
      style: "kysely",
      transaction: transaction("all-pending", "Kysely's Migrator runs every pending migration in one transaction on PostgreSQL"),
    }),
  );
  return moduleSet("kysely", dir, migrations, modules);
}

export const kysely = defineLayout(
  "kysely",
  (dir) =>
    detectModules(dir, {
      files: FILE,
      mark: MARK,
      marked: { score: 88, evidence: (n) => `${n} module(s) import kysely or run sql\`…\`.execute(db)` },
      manifest: { tool: "kysely", score: 60, evidence: "package.json depends on kysely" },
    }),
  load,
);

/**
 * knex: the migration directory's `.js`/`.cjs`/`.ts` (and other loadExtensions) modules, sorted by file
 * name (knex's FsMigrations sorts the names), each exporting `up(knex)` / `down(knex)`; the journal is
 * `knex_migrations(id, name, batch, migration_time)` with `knex_migrations_lock`. `migrate:latest`
 * runs the whole pending batch in one transaction, unless a pending migration exports
 * `config = { transaction: false }`: then each migration gets its own transaction and that one none.
 */
import { defineLayout, transaction } from "./common.js";
import { detectModules, moduleMigration, moduleSet, readMigrationModules } from "./ts-module.js";
import type { DirListing, LayoutFs, Migration, MigrationSet } from "./types.js";

const FILE = /^[^.].*\.(?:js|cjs|mjs|ts)$/;
const MARK = /from\s+["']knex["']|require\(["']knex["']\)|\bKnex\b|\bknex\.(?:raw|schema)\b/;

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const read = await readMigrationModules(dir, fs, "knex", FILE);
  const anyOff = read.some((r) => r.extracted.located.config["transaction"] === false);
  const migrations: Migration[] = read.map((module) => {
    const { stem, extracted } = module;
    const off = extracted.located.config["transaction"] === false;
    const tx = off
      ? transaction("per-statement", "the module exports `config = { transaction: false }`: knex runs it outside a transaction")
      : anyOff
        ? transaction("per-migration", "a migration of the folder disables transactions, so knex gives each migration its own transaction")
        : transaction("all-pending", "knex migrate:latest runs the pending batch in one transaction");
    return moduleMigration(dir, module, {
      version: /^\d+/.exec(stem)?.[0] ?? stem,
      name: stem.replace(/^\d+[-_]?/, "") || stem,
      style: "knex",
      transaction: tx,
    });
  });
  return moduleSet("knex", dir, migrations, read);
}

export const knex = defineLayout(
  "knex",
  (dir) =>
    detectModules(dir, {
      files: FILE,
      mark: MARK,
      marked: { score: 86, evidence: (n) => `${n} module(s) use knex (knex.raw, knex.schema, the Knex type)` },
      manifest: { tool: "knex", score: 60, evidence: "package.json depends on knex" },
    }),
  load,
);

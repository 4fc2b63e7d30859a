/**
 * knex: the migration directory's `.js`/`.cjs`/`.ts` (and other loadExtensions) modules, sorted by file
 * name (knex's FsMigrations sorts the names), each exporting `up(knex)` / `down(knex)`; the journal is
 * `knex_migrations(id, name, batch, migration_time)` with `knex_migrations_lock`. `migrate:latest`
 * runs the whole pending batch in one transaction, unless a pending migration exports
 * `config = { transaction: false }`: then each migration gets its own transaction and that one none.
 */
import { defineLayout, detected, NOT_MINE, strays, transaction, usesTool } from "./common.js";
import { compareText } from "./version.js";
import { countContaining, moduleFiles, moduleMigration, moduleStem, readModule } from "./ts-module.js";
import type { DirListing, LayoutFs, Migration, MigrationSet } from "./types.js";

const FILE = /^[^.].*\.(?:js|cjs|mjs|ts)$/;
const MARK = /from\s+["']knex["']|require\(["']knex["']\)|\bKnex\b|\bknex\.(?:raw|schema)\b/;

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const read = [];
  for (const rel of moduleFiles(dir, FILE).sort(compareText)) {
    const r = await readModule(dir, fs, rel);
    if (r.extracted.located.up || r.extracted.located.down) read.push({ rel, ...r });
  }
  const anyOff = read.some((r) => r.extracted.located.config["transaction"] === false);
  const migrations: Migration[] = read.map(({ rel, text, extracted }) => {
    const stem = moduleStem(rel);
    const off = extracted.located.config["transaction"] === false;
    const tx = off
      ? transaction("per-statement", "the module exports `config = { transaction: false }`: knex runs it outside a transaction")
      : anyOff
        ? transaction("per-migration", "a migration of the folder disables transactions, so knex gives each migration its own transaction")
        : transaction("all-pending", "knex migrate:latest runs the pending batch in one transaction");
    return moduleMigration(dir, rel, text, extracted, {
      id: stem,
      version: /^\d+/.exec(stem)?.[0] ?? stem,
      name: stem.replace(/^\d+[-_]?/, "") || stem,
      style: "knex",
      transaction: tx,
    });
  });
  return { layout: "knex", root: dir.root, migrations, stray: strays(dir, new Set(read.map((r) => r.rel))) };
}

export const knex = defineLayout(
  "knex",
  (dir) => {
    const files = moduleFiles(dir, FILE);
    if (!files.length) return NOT_MINE;
    const marked = countContaining(dir, files, MARK);
    if (marked) return detected(86, `${marked} module(s) use knex (knex.raw, knex.schema, the Knex type)`);
    if (usesTool(dir, "knex")) return detected(60, "package.json depends on knex");
    return NOT_MINE;
  },
  load,
);

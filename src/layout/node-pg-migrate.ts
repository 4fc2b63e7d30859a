/**
 * node-pg-migrate: `<number>_<name>.{js,cjs,mjs,ts,sql}` in the migrations folder, ordered by the
 * numeric prefix (17 digits = a UTC date) and then by name (`compareMigrationFileNames`); journal
 * `pgmigrations(id, name, run_on)`. A module exports `up(pgm)` / `down(pgm)`; a `.sql` file holds both
 * directions after `-- Up Migration` / `-- Down Migration` comments (node-pg-migrate's sqlMigration
 * turns each part into one `pgm.sql(…)`). The CLI's `--single-transaction` defaults to true: every
 * pending migration runs in one transaction, and `pgm.noTransaction()` makes a migration break out of it.
 */
import { at, defineLayout, detected, NOT_MINE, readSql, strays, textOf, topLevel, transaction, usesTool, type TransactionFacts } from "./common.js";
import { compareText } from "./version.js";
import { countContaining, definesUpOrDown, moduleFiles, moduleMigration, moduleStem, readModule } from "./ts-module.js";
import type { DirListing, LayoutFs, Migration, MigrationSet } from "./types.js";
import type { Region } from "../parse/types.js";

const MODULE = /^\d+[-_].*\.(?:js|cjs|mjs|ts)$/;
const SQL = /^\d+[-_].*\.sql$/i;
const MARK = /\bpgm\s*\.\s*\w+\s*\(|\bMigrationBuilder\b|from\s+["']node-pg-migrate["']/;
const UP = /^\s*--[\s-]*up\s+migration/im;
const DOWN = /^\s*--[\s-]*down\s+migration/im;

/** The up and down parts of a node-pg-migrate SQL file, as node-pg-migrate's own sqlMigration cuts them. */
export function pgmSqlRegions(text: string): { up: Region; down?: Region } {
  const up = text.search(UP);
  const down = text.search(DOWN);
  const upRegion = up >= 0 ? { start: up, end: down < up ? text.length : down } : { start: 0, end: down >= 0 ? down : text.length };
  if (down < 0) return { up: upRegion };
  return { up: upRegion, down: { start: down, end: up < down ? text.length : up } };
}

const ALL: TransactionFacts = transaction("all-pending", "node-pg-migrate's --single-transaction (default true): every pending migration in one transaction");

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const entries = topLevel(dir).filter((f) => MODULE.test(f) || SQL.test(f));
  entries.sort((a, b) => numericPrefix(a) - numericPrefix(b) || a.localeCompare(b, undefined, { numeric: true, ignorePunctuation: true }) || compareText(a, b));
  const migrations: Migration[] = [];
  const used = new Set<string>();
  for (const rel of entries) {
    const stem = moduleStem(rel).replace(/\.sql$/i, "");
    const version = /^\d+/.exec(stem)![0];
    const name = stem.replace(/^\d+[-_]?/, "") || stem;
    if (SQL.test(rel)) {
      used.add(rel);
      const file = await readSql(dir, fs, rel);
      const regions = pgmSqlRegions(file.text);
      const migration: Migration = {
        id: stem,
        version,
        name,
        up: { ...file, regions: [regions.up] },
        expectsDown: true,
        downTarget: { kind: "section", path: at(dir, rel), style: "node-pg-migrate" },
        ...ALL,
      };
      if (regions.down) migration.down = { ...file, regions: [regions.down] };
      migrations.push(migration);
      continue;
    }
    const module = { rel, stem, ...(await readModule(dir, fs, "node-pg-migrate", rel)) };
    if (!definesUpOrDown(module)) continue;
    used.add(rel);
    const noTx = module.extracted.up?.flags.includes("noTransaction");
    migrations.push(
      moduleMigration(dir, module, {
        version,
        name,
        style: "node-pg-migrate",
        transaction: noTx ? transaction("per-statement", "the up calls pgm.noTransaction(): node-pg-migrate runs it outside a transaction") : ALL,
      }),
    );
  }
  return { layout: "node-pg-migrate", root: dir.root, migrations, stray: strays(dir, used) };
}

function numericPrefix(rel: string): number {
  return Number(/^\d+/.exec(rel)?.[0] ?? Number.MAX_SAFE_INTEGER);
}

export const nodePgMigrate = defineLayout(
  "node-pg-migrate",
  (dir) => {
    const modules = moduleFiles(dir, MODULE);
    const sql = topLevel(dir).filter((f) => SQL.test(f));
    const markedSql = sql.filter((f) => UP.test(textOf(dir, f) ?? "") || DOWN.test(textOf(dir, f) ?? "")).length;
    const marked = countContaining(dir, modules, MARK);
    if (marked) return detected(87, `${marked} module(s) call pgm.* (node-pg-migrate's MigrationBuilder)`);
    if (markedSql) return detected(85, `${markedSql} SQL file(s) with node-pg-migrate's -- Up Migration / -- Down Migration comments`);
    // A manifest alone never claims plain .sql files: node-pg-migrate's own SQL files carry the markers.
    if (modules.length && usesTool(dir, "node-pg-migrate")) return detected(70, "package.json depends on node-pg-migrate");
    return NOT_MINE;
  },
  load,
);

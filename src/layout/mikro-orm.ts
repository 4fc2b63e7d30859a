/**
 * MikroORM: `Migration<YYYYMMDDHHmmss>[_<name>].ts` (the default `fileName`), a class extending
 * `Migration` whose `up()`/`down()` queue SQL with `this.addSql(…)`. The Migrator (umzug) applies them
 * in name order and records them in `mikro_orm_migrations`. With the defaults `transactional: true`
 * and `allOrNothing: true` every pending migration runs inside one master transaction; a class whose
 * `isTransactional()` returns false runs outside one.
 */
import { defineLayout, detected, NOT_MINE, strays, transaction, usesTool } from "./common.js";
import { compareText } from "./version.js";
import { countContaining, moduleFiles, moduleMigration, moduleStem, readModule } from "./ts-module.js";
import type { DirListing, LayoutFs, Migration, MigrationSet } from "./types.js";

const FILE = /^Migration(\d{14})(?:_(.*))?\.[cm]?[jt]s$/;
/** Any other module of the folder (medusa's `InitialSetup<ts>.ts`): a migration when its class is one. */
const ANY = /^[^.].*\.[cm]?[jt]s$/;
const MARK = /\bextends\s+Migration\b[\s\S]*\bthis\.addSql\s*\(/;

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const migrations: Migration[] = [];
  const used = new Set<string>();
  for (const rel of moduleFiles(dir, ANY).sort(compareText)) {
    const { text, extracted } = await readModule(dir, fs, rel);
    if (!FILE.test(rel) && !MARK.test(text)) continue;
    used.add(rel);
    const m = FILE.exec(rel) ?? [rel, /\d{14}/.exec(rel)?.[0] ?? moduleStem(rel), undefined];
    const nonTransactional = /\bisTransactional\s*\(\s*\)[^{]*\{\s*return\s+false\b/.test(text);
    migrations.push(
      moduleMigration(dir, rel, text, extracted, {
        id: moduleStem(rel),
        version: m[1]!,
        name: m[2] ?? extracted.located.migrationClass?.name ?? moduleStem(rel),
        style: "mikro-orm",
        transaction: nonTransactional
          ? transaction("per-statement", "the class's isTransactional() returns false: MikroORM runs it outside a transaction")
          : transaction("all-pending", "MikroORM's defaults `transactional: true`, `allOrNothing: true`: one master transaction around every pending migration"),
      }),
    );
  }
  return { layout: "mikro-orm", root: dir.root, migrations, stray: strays(dir, used) };
}

export const mikroOrm = defineLayout(
  "mikro-orm",
  (dir) => {
    const files = moduleFiles(dir, FILE);
    const marked = countContaining(dir, moduleFiles(dir, ANY), MARK);
    if (!files.length && !marked) return NOT_MINE;
    if (marked) return detected(92, `${marked} module(s) extend MikroORM's Migration and call this.addSql`);
    if (usesTool(dir, "mikro-orm")) return detected(80, "package.json depends on @mikro-orm/migrations; files named Migration<timestamp>");
    return detected(40, "files named Migration<YYYYMMDDHHmmss>.ts");
  },
  load,
);

/**
 * MikroORM: `Migration<YYYYMMDDHHmmss>[_<name>].ts` (the default `fileName`), a class extending
 * `Migration` whose `up()`/`down()` queue SQL with `this.addSql(…)`. The Migrator (umzug) applies them
 * in name order and records them in `mikro_orm_migrations`. With the defaults `transactional: true`
 * and `allOrNothing: true` every pending migration runs inside one master transaction; a class whose
 * `isTransactional()` returns false runs outside one.
 */
import { defineLayout, detected, NOT_MINE, transaction, usesTool } from "./common.js";
import { countContaining, moduleFiles, moduleMigration, moduleSet, readMigrationModules } from "./ts-module.js";
import type { DirListing, LayoutFs, MigrationSet } from "./types.js";

const FILE = /^Migration(\d{14})(?:_(.*))?\.[cm]?[jt]s$/;
/** Any other module of the folder (medusa's `InitialSetup<ts>.ts`): a migration when its class is one. */
const ANY = /^[^.].*\.[cm]?[jt]s$/;
const MARK = /\bextends\s+Migration\b[\s\S]*\bthis\.addSql\s*\(/;

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  // Every file named Migration<ts>, and any other module whose class is a MikroORM migration.
  const modules = await readMigrationModules(dir, fs, "mikro-orm", ANY, (module) => FILE.test(module.rel) || MARK.test(module.text));
  const migrations = modules.map((module) => {
    const { rel, stem, text, extracted } = module;
    const m = FILE.exec(rel) ?? [rel, /\d{14}/.exec(rel)?.[0] ?? stem, undefined];
    const nonTransactional = /\bisTransactional\s*\(\s*\)[^{]*\{\s*return\s+false\b/.test(text);
    return moduleMigration(dir, module, {
      version: m[1]!,
      name: m[2] ?? extracted.located.migrationClass?.name ?? stem,
      style: "mikro-orm",
      transaction: nonTransactional
        ? transaction("per-statement", "the class's isTransactional() returns false: MikroORM runs it outside a transaction")
        : transaction("all-pending", "MikroORM's defaults `transactional: true`, `allOrNothing: true`: one master transaction around every pending migration"),
    });
  });
  return moduleSet("mikro-orm", dir, migrations, modules);
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

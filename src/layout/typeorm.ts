/**
 * TypeORM: one class per module implementing `MigrationInterface`, named `<Name><13-digit timestamp>`
 * (the generator writes `<timestamp>-<Name>.ts`). TypeORM's MigrationExecutor takes the timestamp from
 * the last 13 characters of the class name and sorts by it; the journal is `migrations(id, timestamp,
 * name)`. `migrationsTransactionMode` defaults to `all` (one transaction around every pending
 * migration); a class property `transaction = false|true` is only allowed in `each`/`none` mode
 * (in `all` TypeORM refuses to run it), so such a file tells us the project runs `each`.
 */
import { defineLayout, detected, NOT_MINE, strays, transaction, usesTool } from "./common.js";
import { compareText } from "./version.js";
import { countContaining, moduleFiles, moduleMigration, moduleStem, readModule } from "./ts-module.js";
import type { DirListing, LayoutFs, Migration, MigrationSet } from "./types.js";

const ANY = /^[^.].*/;
const MARK = /\bimplements\s+MigrationInterface\b|\bqueryRunner\s*:\s*QueryRunner\b/;

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const found: { migration: Migration; timestamp: number; rel: string }[] = [];
  const used = new Set<string>();
  for (const rel of moduleFiles(dir, ANY)) {
    const { text, extracted } = await readModule(dir, fs, rel);
    if (!extracted.located.up && !extracted.located.down) continue; // index.ts, helpers
    used.add(rel);
    const stem = moduleStem(rel);
    const className = extracted.located.migrationClass?.name ?? stem;
    const fromClass = /(\d{13})$/.exec(className)?.[1];
    const timestamp = Number(fromClass ?? /\d{13}/.exec(stem)?.[0] ?? 0);
    const own = extracted.located.classProperties["transaction"];
    const tx =
      own === false
        ? transaction("per-statement", "the class sets `transaction = false` (TypeORM migrationsTransactionMode `each`/`none`)")
        : own === true
          ? transaction("per-migration", "the class sets `transaction = true` (TypeORM migrationsTransactionMode `each`)")
          : transaction("all-pending", "TypeORM's default migrationsTransactionMode `all`: one transaction around every pending migration");
    found.push({
      rel,
      timestamp,
      migration: moduleMigration(dir, rel, text, extracted, {
        id: stem,
        version: String(timestamp),
        name: className.replace(/\d{13}$/, "") || stem,
        style: "typeorm",
        transaction: tx,
      }),
    });
  }
  found.sort((a, b) => a.timestamp - b.timestamp || compareText(a.rel, b.rel));
  return { layout: "typeorm", root: dir.root, migrations: found.map((f) => f.migration), stray: strays(dir, used) };
}

export const typeorm = defineLayout(
  "typeorm",
  (dir) => {
    const files = moduleFiles(dir, ANY);
    if (!files.length) return NOT_MINE;
    const marked = countContaining(dir, files, MARK);
    if (marked) return detected(90, `${marked} module(s) implement TypeORM's MigrationInterface`);
    if (usesTool(dir, "typeorm") && files.some((f) => /^\d{13}-/.test(f))) return detected(70, "package.json depends on typeorm; files named <13-digit timestamp>-<Name>");
    return NOT_MINE;
  },
  load,
);

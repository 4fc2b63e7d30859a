/**
 * TypeORM: one class per module implementing `MigrationInterface`, named `<Name><13-digit timestamp>`
 * (the generator writes `<timestamp>-<Name>.ts`). TypeORM's MigrationExecutor takes the timestamp from
 * the last 13 characters of the class name and sorts by it; the journal is `migrations(id, timestamp,
 * name)`. `migrationsTransactionMode` defaults to `all` (one transaction around every pending
 * migration); a class property `transaction = false|true` is only allowed in `each`/`none` mode
 * (in `all` TypeORM refuses to run it), so such a file tells us the project runs `each`.
 */
import { defineLayout, transaction, type TransactionFacts } from "./common.js";
import { compareText } from "./version.js";
import { detectModules, moduleMigration, moduleSet, readMigrationModules } from "./ts-module.js";
import { dataSourceMode, type DataSourceMode } from "./typeorm-data-source.js";
import type { DirListing, LayoutFs, MigrationSet } from "./types.js";

const ANY = /^[^.].*/;
const MARK = /\bimplements\s+MigrationInterface\b|\bqueryRunner\s*:\s*QueryRunner\b/;

/**
 * MigrationExecutor: in `all` one transaction wraps every pending migration (a class's own `transaction`
 * is refused there); in `each` a migration gets its own unless it sets `transaction = false`; in `none` it
 * gets none unless it sets `transaction = true`.
 */
function transactionOf(own: unknown, stated: DataSourceMode | undefined): TransactionFacts {
  if (!stated) {
    if (own === false) return transaction("per-statement", "the class sets `transaction = false` (TypeORM migrationsTransactionMode `each`/`none`)");
    if (own === true) return transaction("per-migration", "the class sets `transaction = true` (TypeORM migrationsTransactionMode `each`)");
    return transaction("all-pending", "TypeORM's default migrationsTransactionMode `all`: one transaction around every pending migration");
  }
  const where = `migrationsTransactionMode "${stated.mode}" in ${stated.file}`;
  if (stated.mode === "all") return transaction("all-pending", `${where}: one transaction around every pending migration`);
  if (own === false) return transaction("per-statement", `${where}, and the class sets \`transaction = false\`: no transaction`);
  if (own === true) return transaction("per-migration", `${where}, and the class sets \`transaction = true\`: its own transaction`);
  return stated.mode === "each"
    ? transaction("per-migration", `${where}: each migration in its own transaction`)
    : transaction("per-statement", `${where}: no transaction`);
}

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const modules = await readMigrationModules(dir, fs, "typeorm", ANY);
  const mode = await dataSourceMode(dir, fs);
  const found = modules.map((module) => {
    const { rel, stem, extracted } = module;
    const className = extracted.located.migrationClass?.name ?? stem;
    const fromClass = /(\d{13})$/.exec(className)?.[1];
    const timestamp = Number(fromClass ?? /\d{13}/.exec(stem)?.[0] ?? 0);
    const tx = transactionOf(extracted.located.classProperties["transaction"], mode);
    return {
      rel,
      timestamp,
      migration: moduleMigration(dir, module, { version: String(timestamp), name: className.replace(/\d{13}$/, "") || stem, style: "typeorm", transaction: tx }),
    };
  });
  found.sort((a, b) => a.timestamp - b.timestamp || compareText(a.rel, b.rel));
  return moduleSet("typeorm", dir, found.map((f) => f.migration), modules);
}

export const typeorm = defineLayout(
  "typeorm",
  (dir) =>
    detectModules(dir, {
      files: ANY,
      mark: MARK,
      marked: { score: 90, evidence: (n) => `${n} module(s) implement TypeORM's MigrationInterface` },
      manifest: { tool: "typeorm", score: 70, evidence: "package.json depends on typeorm; files named <13-digit timestamp>-<Name>", when: (files) => files.some((f) => /^\d{13}-/.test(f)) },
    }),
  load,
);

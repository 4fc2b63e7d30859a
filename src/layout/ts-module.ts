/**
 * What the TypeScript/JavaScript layouts share: which files are migration modules, and turning one
 * module into a `Migration` whose up and down are the SQL statically extracted from its `up()` and
 * `down()` (src/extract/), so every later stage reads them as it reads `.sql` files.
 */
import { extractModule, type ExtractedModule } from "../extract/extract.js";
import { directionSqlFile } from "../extract/sql-file.js";
import { at, textOf, topLevel, type TransactionFacts } from "./common.js";
import type { DirListing, LayoutFs, Migration, ModuleStyle, SqlFile } from "./types.js";

const MODULE = /\.(?:ts|mts|cts|js|mjs|cjs)$/i;

/** A TypeScript/JavaScript source file, not a declaration file. */
export function isModuleFile(rel: string): boolean {
  return MODULE.test(rel) && !/\.d\.[cm]?ts$/i.test(rel);
}

/** The module's name without its extension (`1700000000000-Init.ts` → `1700000000000-Init`). */
export function moduleStem(rel: string): string {
  return rel.replace(/^.*\//, "").replace(MODULE, "");
}

/** Migration modules directly in the root whose names match `pattern`. */
export function moduleFiles(dir: DirListing, pattern: RegExp): string[] {
  return topLevel(dir).filter((f) => isModuleFile(f) && pattern.test(f));
}

/** How many of the files' texts (read by discovery) match `re`. */
export function countContaining(dir: DirListing, files: readonly string[], re: RegExp): number {
  return files.filter((f) => re.test(textOf(dir, f) ?? "")).length;
}

export async function readModule(dir: DirListing, fs: LayoutFs, rel: string): Promise<{ text: string; extracted: ExtractedModule }> {
  const text = textOf(dir, rel) ?? (await fs.readText(at(dir, rel)));
  return { text, extracted: extractModule(rel, text) };
}

export interface ModuleMigrationInput {
  id: string;
  version: string;
  name: string;
  style: ModuleStyle;
  transaction: TransactionFacts;
}

/** One module as a migration: up and down extracted, the down written into the module by `--fix`. */
export function moduleMigration(dir: DirListing, rel: string, text: string, extracted: ExtractedModule, input: ModuleMigrationInput): Migration {
  const path = at(dir, rel);
  const up = directionSqlFile(path, text, extracted.up, extracted.errors);
  // An empty `down() {}` is a down that does nothing (missing-down reports it); no down() is none.
  const down: SqlFile | undefined = extracted.down ? directionSqlFile(path, text, extracted.down) : undefined;
  return {
    id: input.id,
    version: input.version,
    name: input.name,
    up,
    ...(down ? { down } : {}),
    expectsDown: true,
    downTarget: { kind: "module", path, style: input.style },
    ...input.transaction,
  };
}

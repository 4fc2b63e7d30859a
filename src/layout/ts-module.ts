/**
 * What the TypeScript/JavaScript layouts share: which files are migration modules, and turning one
 * module into a `Migration` whose up and down are the SQL statically extracted from its `up()` and
 * `down()` (src/extract/), so every later stage reads them as it reads `.sql` files.
 */
import type { ExtractedModule } from "../extract/extract.js";
import { directionSqlFile } from "../extract/sql-file.js";
import { at, detected, NOT_MINE, strays, textOf, topLevel, usesTool, type TransactionFacts } from "./common.js";
import { compareText } from "./version.js";
import type { DetectResult, DirListing, LayoutFs, LayoutId, Migration, MigrationSet, ModuleStyle, SqlFile } from "./types.js";

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

/** The module's text, and its SQL extracted as the `layout`'s runner sends it. */
export async function readModule(dir: DirListing, fs: LayoutFs, layout: ModuleStyle, rel: string): Promise<{ text: string; extracted: ExtractedModule }> {
  const text = textOf(dir, rel) ?? (await fs.readText(at(dir, rel)));
  // Loaded on the first module: the extractor and its builders are a tenth of the tool's code, which
  // every run of a SQL-only project would otherwise load at start (a pre-commit run is mostly start-up).
  const { extractModule } = await import("../extract/extract.js");
  return { text, extracted: extractModule(rel, text, layout) };
}

/** A module of the folder, read and extracted. */
export interface MigrationModule {
  rel: string;
  /** The file name without its extension: the migration's id in every module layout. */
  stem: string;
  text: string;
  extracted: ExtractedModule;
}

/** Does the module define an `up()` or a `down()`? (An `index.ts` or a helper module does not.) */
export function definesUpOrDown(m: MigrationModule): boolean {
  return !!(m.extracted.located.up || m.extracted.located.down);
}

/** The root's modules of `layout` matching `pattern`, in name order, that `isMigration` accepts (default: `definesUpOrDown`). */
export async function readMigrationModules(
  dir: DirListing,
  fs: LayoutFs,
  layout: ModuleStyle,
  pattern: RegExp,
  isMigration: (m: MigrationModule) => boolean = definesUpOrDown,
): Promise<MigrationModule[]> {
  const modules: MigrationModule[] = [];
  for (const rel of moduleFiles(dir, pattern).sort(compareText)) {
    const m = { rel, stem: moduleStem(rel), ...(await readModule(dir, fs, layout, rel)) };
    if (isMigration(m)) modules.push(m);
  }
  return modules;
}

/** A module layout's set: its migrations (read from `modules`), and as strays the SQL files no module is. */
export function moduleSet(layout: LayoutId, dir: DirListing, migrations: Migration[], modules: readonly MigrationModule[]): MigrationSet {
  return { layout, root: dir.root, migrations, stray: strays(dir, new Set(modules.map((m) => m.rel))) };
}

/** How a module layout recognises its folder: modules carrying the library's mark, else a manifest naming it. */
export interface ModuleEvidence {
  files: RegExp;
  mark: RegExp;
  marked: { score: number; evidence: (count: number) => string };
  /** A manifest above the folder depends on `tool` (and the files fit `when`, if given). */
  manifest?: { tool: string; score: number; evidence: string; when?: (files: string[]) => boolean };
}

export function detectModules(dir: DirListing, e: ModuleEvidence): DetectResult {
  const files = moduleFiles(dir, e.files);
  if (!files.length) return NOT_MINE;
  const marked = countContaining(dir, files, e.mark);
  if (marked) return detected(e.marked.score, e.marked.evidence(marked));
  if (e.manifest && usesTool(dir, e.manifest.tool) && (e.manifest.when?.(files) ?? true)) return detected(e.manifest.score, e.manifest.evidence);
  return NOT_MINE;
}

export interface ModuleMigrationInput {
  version: string;
  name: string;
  style: ModuleStyle;
  transaction: TransactionFacts;
}

/** One module as a migration: up and down extracted, the down written into the module by `--fix`. */
export function moduleMigration(dir: DirListing, module: MigrationModule, input: ModuleMigrationInput): Migration {
  const { rel, text, extracted } = module;
  const path = at(dir, rel);
  const up = directionSqlFile(path, text, extracted.up, extracted.errors);
  // An empty `down() {}` is a down that does nothing (missing-down reports it); no down() is none.
  const down: SqlFile | undefined = extracted.down ? directionSqlFile(path, text, extracted.down) : undefined;
  return {
    id: module.stem,
    version: input.version,
    name: input.name,
    up,
    ...(down ? { down } : {}),
    expectsDown: true,
    downTarget: { kind: "module", path, style: input.style },
    ...input.transaction,
  };
}

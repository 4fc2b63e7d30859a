/**
 * Small pieces every layout uses: reading a SQL file through the listing's cache, the transaction
 * facts, strays, and the `Layout` constructor that derives `detect` from `explain`.
 */
import { joinPath } from "./paths.js";
import type { DetectResult, DirListing, Layout, LayoutFs, LayoutId, MigrationSet, SqlFile, TransactionMode } from "./types.js";

export function at(dir: DirListing, rel: string): string {
  return joinPath(dir.root, rel);
}

export async function readSql(dir: DirListing, fs: LayoutFs, rel: string): Promise<SqlFile> {
  const cached = dir.contents?.get(rel);
  return { path: at(dir, rel), text: cached ?? (await fs.readText(at(dir, rel))) };
}

/** Texts discovery has already read; layouts use them only as evidence, never as a requirement. */
export function textOf(dir: DirListing, rel: string): string | undefined {
  return dir.contents?.get(rel);
}

export interface TransactionFacts {
  transactional: boolean;
  transactionMode: TransactionMode;
  transactionReason: string;
}

export function transaction(mode: TransactionMode, reason: string): TransactionFacts {
  return { transactional: mode === "per-migration" || mode === "all-pending", transactionMode: mode, transactionReason: reason };
}

/** Files directly in the root folder. */
export function topLevel(dir: DirListing): string[] {
  return dir.files.filter((f) => !f.includes("/"));
}

export function isSql(rel: string): boolean {
  return rel.toLowerCase().endsWith(".sql");
}

/** SQL files under the root that no migration used, as display paths. */
export function strays(dir: DirListing, used: ReadonlySet<string>): string[] {
  return dir.files.filter((f) => isSql(f) && !used.has(f)).map((f) => at(dir, f));
}

export function detected(score: number, ...evidence: string[]): DetectResult {
  return { score, evidence };
}

export const NOT_MINE: DetectResult = { score: 0, evidence: [] };

export function defineLayout(
  id: LayoutId,
  explain: (dir: DirListing) => DetectResult,
  load: (dir: DirListing, fs: LayoutFs) => Promise<MigrationSet>,
): Layout {
  return { id, explain, detect: (dir) => explain(dir).score, load };
}

/** Does the project around the folder use this tool (a manifest above it names it)? */
export function usesTool(dir: DirListing, tool: string): boolean {
  return dir.hints?.tools.includes(tool) ?? false;
}

export function hasMarker(dir: DirListing, marker: string): boolean {
  return dir.hints?.markers.includes(marker) ?? false;
}

/** `-- …` and `/* … *\/` comments removed (string contents are not protected: evidence only). */
export function withoutComments(sql: string): string {
  return sql.replace(/\/\*[\s\S]*?\*\//g, " ").replace(/--[^\n]*/g, " ");
}

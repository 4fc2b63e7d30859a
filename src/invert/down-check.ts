/**
 * Checking a hand-written down statically: the catalog after the up and then the down, compared with
 * the catalog before the up. Each difference is something the down fails to restore (or leaves
 * behind), located at the down statement about that object when there is one, else at the end of the
 * down, where the missing statement belongs.
 */
import { compareCatalogs, type CatalogDifference } from "../catalog/compare.js";
import { applyStatement } from "../catalog/replay.js";
import type { Catalog } from "../catalog/types.js";
import { walk } from "../parse/ast.js";
import type { Range } from "../parse/source.js";
import type { ParsedSql, Statement } from "../parse/types.js";

export interface DownMismatch {
  difference: CatalogDifference;
  /** The down file and the place in it to report at. */
  path: string;
  range: Range;
  /** `table public.users › column email › type`: what a reader looks for. */
  what: string;
}

/** A down statement that names an object that does not exist when it runs: the down fails there. */
export interface DownFailure {
  path: string;
  line: number;
  reason: string;
}

export interface DownFile {
  path: string;
  parsed: ParsedSql;
}

/** Did replaying statements add "not modelled" records? Then the catalog cannot be trusted for them. */
function unmodelledSince(before: Catalog, after: Catalog): boolean {
  return after.unmodelled.length > before.unmodelled.length;
}

/**
 * The differences between the catalog before the up and after up + down, or undefined when the check
 * cannot be trusted (a statement of the up or the down could not be modelled, a down does not parse).
 * `downs` are the down files in the order they run (several for a pop version split into steps).
 */
export function downMismatches(args: { before: Catalog; afterUp: Catalog; afterDown: Catalog; downs: readonly DownFile[] }): DownMismatch[] | undefined {
  const { before, afterUp, afterDown, downs } = args;
  if (unmodelledSince(before, afterUp) || unmodelledSince(afterUp, afterDown)) return undefined;
  // Two rules ask this of every migration with a down (down-mismatch, and irreversible-migration for
  // whether the down answers a statement), with the same catalogs and parsed downs: compared once. The
  // catalogs and parse results are immutable, so the same objects give the same answer.
  const seen = lastCompared.get(afterDown);
  if (seen && seen.before === before && seen.downs.length === downs.length && seen.downs.every((d, i) => d.path === downs[i]!.path && d.parsed === downs[i]!.parsed)) {
    return seen.result && [...seen.result];
  }
  const result = compareAfterDown(before, afterDown, downs);
  lastCompared.set(afterDown, { before, downs: [...downs], result });
  return result && [...result];
}

/** The last comparison per catalog after the down (weakly held: it goes with the catalog). */
const lastCompared = new WeakMap<Catalog, { before: Catalog; downs: DownFile[]; result: DownMismatch[] | undefined }>();

/**
 * Down statements that would fail: they drop or alter an object (without IF EXISTS) that the catalog
 * after the up does not have, or create one that is already there. Only when the up itself was fully
 * modelled, so the catalog can be trusted.
 */
export function downFailures(args: { before: Catalog; afterUp: Catalog; afterDown: Catalog }): DownFailure[] {
  const { before, afterUp, afterDown } = args;
  if (unmodelledSince(before, afterUp)) return [];
  return afterDown.unmodelled
    .slice(afterUp.unmodelled.length)
    .filter((u) => /is not known|already exists/.test(u.reason))
    .map((u) => ({ path: u.path, line: u.line, reason: u.reason }));
}

function compareAfterDown(before: Catalog, afterDown: Catalog, downs: readonly DownFile[]): DownMismatch[] | undefined {
  if (downs.some((d) => d.parsed.syntaxErrors.length)) return undefined;
  const last = [...downs].reverse().find((d) => d.parsed.statements.length);
  if (!last) return undefined;
  const out: DownMismatch[] = [];
  for (const d of compareCatalogs(before, afterDown)) {
    const name = objectName(d);
    let at: { path: string; statement: Statement } | undefined;
    for (const f of downs) {
      const s = lastMentioning(f.parsed.statements, name);
      if (s) at = { path: f.path, statement: s };
    }
    at ??= { path: last.path, statement: last.parsed.statements.at(-1)! };
    out.push({ difference: d, what: d.path.join(" › "), path: at.path, range: at.statement.range });
  }
  return out;
}

/**
 * Replays down files on a catalog (the statements inside DO blocks count, as in the pipeline).
 * For checks that combine several downs, like a pop version's steps.
 */
export function applyDowns(catalog: Catalog, downs: readonly DownFile[], migrationId: string, searchPath: readonly string[]): Catalog {
  let c = catalog;
  for (const d of downs) {
    for (const s of d.parsed.statements) {
      for (const t of s.body?.length ? s.body : [s]) c = applyStatement(c, t, { migrationId, path: d.path, searchPath });
    }
  }
  return c;
}

function objectName(d: CatalogDifference): string {
  const key = d.object.key;
  const dot = key.indexOf(".");
  return d.object.kind === "function" ? key.slice(dot + 1, key.indexOf("(")) : dot >= 0 ? key.slice(dot + 1) : key;
}

/** The last statement of a down that names `name` (a relation, type, function, index, …). */
function lastMentioning(statements: readonly Statement[], name: string): Statement | undefined {
  let found: Statement | undefined;
  for (const s of statements) {
    let hit = false;
    for (const target of [s, ...(s.body ?? [])]) {
      walk(target.node, (tag, value) => {
        if (hit) return false;
        if (tag === "RangeVar" && (value as { relname?: string }).relname === name) hit = true;
        else if (tag === "String" && (value as { sval?: string }).sval === name) hit = true;
        else if (tag === "IndexStmt" && (value as { idxname?: string }).idxname === name) hit = true;
        else if (tag === "AlterTableCmd" && (value as { name?: string }).name === name) hit = true;
        return undefined;
      });
    }
    if (hit) found = s;
  }
  return found;
}

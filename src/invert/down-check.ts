/**
 * Checking a hand-written down statically: the catalog after the up and then the down, compared with
 * the catalog before the up. Each difference is something the down fails to restore (or leaves
 * behind), located at the down statement about that object when there is one, else at the end of the
 * down, where the missing statement belongs.
 */
import { compareCatalogs, type CatalogDifference } from "../catalog/compare.js";
import type { Catalog } from "../catalog/types.js";
import { walk } from "../parse/ast.js";
import type { Range } from "../parse/source.js";
import type { ParsedSql, Statement } from "../parse/types.js";

export interface DownMismatch {
  difference: CatalogDifference;
  /** Where in the down file to report it. */
  range: Range;
  /** `users.email`, `index users_email_idx`: what a reader looks for. */
  what: string;
}

/** Did replaying statements add "not modelled" records? Then the catalog cannot be trusted for them. */
function unmodelledSince(before: Catalog, after: Catalog): boolean {
  return after.unmodelled.length > before.unmodelled.length;
}

/**
 * The differences between the catalog before the up and after up + down, or undefined when the check
 * cannot be trusted (a statement of the up or the down could not be modelled).
 */
export function downMismatches(args: { before: Catalog; afterUp: Catalog; afterDown: Catalog; down: ParsedSql }): DownMismatch[] | undefined {
  const { before, afterUp, afterDown, down } = args;
  if (unmodelledSince(before, afterUp) || unmodelledSince(afterUp, afterDown)) return undefined;
  if (down.syntaxErrors.length || down.statements.length === 0) return undefined;
  const out: DownMismatch[] = [];
  for (const d of compareCatalogs(before, afterDown)) {
    const name = objectName(d);
    const what = describe(d);
    const stmt = lastMentioning(down.statements, name);
    const end = down.statements.at(-1)!;
    out.push({ difference: d, what, range: (stmt ?? end).range });
  }
  return out;
}

function objectName(d: CatalogDifference): string {
  const key = d.object.key;
  const dot = key.indexOf(".");
  const base = d.object.kind === "function" ? key.slice(dot + 1, key.indexOf("(")) : dot >= 0 ? key.slice(dot + 1) : key;
  return base;
}

/** `users.email (type)`, `index users_email_idx`, `enum mood (labels)`. */
function describe(d: CatalogDifference): string {
  const [head, ...rest] = d.path;
  const obj = head ?? "";
  return rest.length ? `${obj} › ${rest.join(" › ")}` : obj;
}

/** The last statement of the down that names `name` (a relation, type, function, …). */
function lastMentioning(statements: readonly Statement[], name: string): Statement | undefined {
  let found: Statement | undefined;
  for (const s of statements) {
    for (const target of [s, ...(s.body ?? [])]) {
      let hit = false;
      walk(target.node, (tag, value) => {
        if (hit) return false;
        if (tag === "RangeVar" && (value as { relname?: string }).relname === name) hit = true;
        else if (tag === "String" && (value as { sval?: string }).sval === name) hit = true;
        else if ((tag === "IndexStmt" && (value as { idxname?: string }).idxname === name) || (tag === "AlterTableCmd" && (value as { name?: string }).name === name)) hit = true;
        return undefined;
      });
      if (hit) found = s;
    }
  }
  return found;
}

/**
 * The down of a statement group, checked against the catalog it runs on: replayed on the schema model
 * from the catalog after the up, it must give back the catalog before the up. Each statement's inverse
 * is right for the catalog around that statement; this catches what only their combination gets wrong.
 * A down the model sees fail to restore something is not claimed reversible (or lossy): the statement
 * about that object becomes irreversible with what is not restored. Only when every statement of the up
 * and the down was modelled (otherwise the model cannot judge).
 */
import { compareCatalogs, type CatalogDifference } from "../catalog/compare.js";
import type { Catalog } from "../catalog/types.js";
import { replayInverse } from "./dependents.js";
import type { StatementInverse } from "./types.js";

export interface ModelCheckInput {
  statements: readonly StatementInverse[];
  before: Catalog;
  after: Catalog;
  /** The catalog after each forward statement (the one its inverse was computed against). */
  afterEach?: readonly Catalog[];
  migrationId: string;
  searchPath: readonly string[];
}

export function checkOnModel(input: ModelCheckInput): StatementInverse[] {
  const { statements, before, after } = input;
  if (!statements.length || statements.some((s) => s.class === "irreversible")) return [...statements];
  if (after.unmodelled.length > before.unmodelled.length) return [...statements];
  const down = [...statements].reverse().flatMap((s) => s.inverse);
  const replayed = replayInverse(after, down, input.migrationId, input.searchPath);
  if (replayed.failures.length) return refusedSteps(input);
  if (replayed.catalog.unmodelled.length > after.unmodelled.length) return [...statements];
  const out = [...statements];
  const differences = compareCatalogs(before, replayed.catalog);
  if (!differences.length) return out;
  for (const d of differences) {
    const i = blame(out, d);
    const s = out[i]!;
    const reason = `replayed on the schema model, the down does not restore ${d.path.join(" › ")} (${d.expected ?? "absent"} → ${d.actual ?? "absent"})`;
    out[i] = { ...s, class: "irreversible", reason: s.class === "irreversible" && s.reason ? `${s.reason}; ${reason}` : reason };
  }
  return out;
}

/**
 * The model sees PostgreSQL refuse part of the down. Statement by statement in down order, the one
 * refused on the catalog the down reaches, and not on the one its inverse was computed for, fails only
 * in combination: it is not claimed reversible. (Failures it has on its own catalog too are the model's
 * blind spots, not the down's.)
 */
function refusedSteps(input: ModelCheckInput): StatementInverse[] {
  const out = [...input.statements];
  let reached = input.after;
  for (let i = out.length - 1; i >= 0; i--) {
    const s = out[i]!;
    if (!s.inverse.length) continue;
    const real = replayInverse(reached, s.inverse, input.migrationId, input.searchPath);
    reached = real.catalog;
    const own = input.afterEach?.[i];
    const failures = own ? real.failures.filter((f) => !replayInverse(own, s.inverse, input.migrationId, input.searchPath).failures.includes(f)) : [];
    if (!failures.length) continue;
    const reason = `replayed on the schema model after the rest of the down, its undo fails (${failures.join("; ")})`;
    out[i] = { ...s, class: "irreversible", reason: s.class !== "reversible" && s.reason ? `${s.reason}; ${reason}` : reason };
  }
  return out;
}

/** The last statement naming the object the difference is in, else the last statement. */
function blame(statements: readonly StatementInverse[], d: CatalogDifference): number {
  const key = d.object.key;
  const name = key.slice(key.indexOf(".") + 1).replace(/\(.*$/, "");
  for (let i = statements.length - 1; i >= 0; i--) if (statements[i]!.source.text.toLowerCase().includes(name)) return i;
  return statements.length - 1;
}

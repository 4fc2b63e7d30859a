/**
 * After an irreversible statement the down no longer runs on the catalog it was computed for: what
 * that statement's inverse could not restore is missing. The inverses of the statements before it
 * (which run after it in the down) are replayed on the catalog the down really reaches; one that
 * needs an object that is missing there (and is not missing where it was computed) would fail on
 * PostgreSQL, so it is not emitted: it becomes irreversible with the reason, and the plan incomplete.
 */
import { applyStatement } from "../catalog/replay.js";
import type { Catalog } from "../catalog/types.js";
import { downStatements } from "./down-trees.js";
import { excerpt } from "./plan.js";
import type { InverseStatement, StatementInverse } from "./types.js";

export interface DependentsInput {
  statements: readonly StatementInverse[];
  /** The catalog after each forward statement (the one its inverse was computed against). */
  after: readonly Catalog[];
  migrationId: string;
  searchPath: readonly string[];
}

/** Replay reasons that mean PostgreSQL would refuse the statement (a missing object, a taken name, a dependant in the way). */
export const FAILS = /is not known|already exists|depends on it/;

/** Replays inverse statements; returns the catalog and the reasons of the new failures. */
export function replayInverse(c: Catalog, inverse: readonly InverseStatement[], migrationId: string, searchPath: readonly string[]): { catalog: Catalog; failures: string[] } {
  const start = c.unmodelled.length;
  const path = `${migrationId} (generated down)`;
  for (const s of downStatements(inverse, path)) {
    for (const t of s.body?.length ? s.body : [s]) c = applyStatement(c, t, { migrationId, path, searchPath });
  }
  return { catalog: c, failures: c.unmodelled.slice(start).map((u) => u.reason).filter((r) => FAILS.test(r)) };
}

export function withoutBrokenDependents(input: DependentsInput): { statements: StatementInverse[]; incomplete?: string } {
  const out = [...input.statements];
  const firstIrreversible = out.findLastIndex((s) => s.class === "irreversible");
  if (firstIrreversible <= 0) return { statements: out };
  const { migrationId, searchPath } = input;
  let reached = input.after.at(-1)!;
  let broken: { line: number; text: string } | undefined;
  const dropped: string[] = [];
  for (let i = out.length - 1; i >= 0; i--) {
    const s = out[i]!;
    if (!broken || !s.inverse.length) {
      if (s.inverse.length) reached = replayInverse(reached, s.inverse, migrationId, searchPath).catalog;
      if (s.class === "irreversible" && !broken) broken = { line: s.source.range.start.line, text: s.source.text };
      continue;
    }
    const real = replayInverse(reached, s.inverse, migrationId, searchPath);
    const failures = real.failures.filter((f) => !replayInverse(input.after[i]!, s.inverse, migrationId, searchPath).failures.includes(f));
    if (!failures.length) {
      reached = real.catalog;
      continue;
    }
    const reason = `its undo needs what the down cannot restore (${failures.join("; ")}): undoing line ${broken.line} (${excerpt(broken.text, 60)}) is irreversible`;
    out[i] = {
      ...s,
      class: "irreversible",
      reason: s.reason && s.class !== "reversible" ? `${s.reason}; ${reason}` : reason,
      inverse: [],
      recipe: [...(s.recipe ? [s.recipe] : []), "The undo it would need, once what it depends on is back:", ...s.inverse.map((x) => `${x.sql};`)].join("\n"),
    };
    dropped.push(`line ${s.source.range.start.line}`);
  }
  return dropped.length
    ? { statements: out, incomplete: `the down cannot undo ${dropped.reverse().join(", ")}: ${dropped.length > 1 ? "they depend" : "it depends"} on what undoing line ${broken!.line} cannot restore` }
    : { statements: out };
}

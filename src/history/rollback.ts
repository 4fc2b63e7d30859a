/**
 * Rollback plans across migrations: the combined down script for the last N migrations of a set, or
 * for every migration after a target, newest first (the only order in which each down finds the
 * schema its migration left), each part headed by its reversibility class. Pure: built from the
 * analysed set, whose downs were planned from the replayed history.
 */
import type { Reversibility } from "../invert/types.js";
import type { Migration } from "../layout/types.js";
import type { AnalyzedMigration, AnalyzedSet } from "../pipeline/analyze.js";

/** Which down each part runs: the generated one, or the hand-written one where the migration has it. */
export type DownSource = "generated" | "written";

export type RollbackRange = { steps: number } | { to: string };

export interface RollbackPart {
  migration: Migration;
  class: Reversibility;
  source: DownSource;
  /** The down's SQL as it runs. */
  sql: string;
  /** `line 3: the values of users.email are gone` for each lossy or irreversible statement. */
  reasons: string[];
  /** False when a statement must run outside a transaction block (CONCURRENTLY, or its own BEGIN/COMMIT). */
  transactional: boolean;
  /** Why the hand-written down asked for is not the one run (a `down()` that builds its SQL at run time). */
  note?: string;
}

export interface RollbackPlan {
  root: string;
  layout: string;
  /** Newest first. */
  parts: RollbackPart[];
  /** The migration whose schema the database has afterwards (absent: the empty history). */
  target?: Migration;
}

/** The parts to roll back, newest first; `RangeError` messages are meant for the user. */
export function planRollback(analyzed: AnalyzedSet, range: RollbackRange, source: DownSource): RollbackPlan {
  const migrations = analyzed.migrations.filter((m) => !m.migration.prelude && m.migration.external !== "up");
  let from: number;
  if ("steps" in range) {
    if (!Number.isInteger(range.steps) || range.steps < 1) throw new RangeError(`--steps must be a whole number of at least 1 (got ${range.steps})`);
    if (range.steps > migrations.length) {
      throw new RangeError(`--steps ${range.steps}: ${analyzed.set.root} has only ${migrations.length} migration${migrations.length === 1 ? "" : "s"}`);
    }
    from = migrations.length - range.steps;
  } else {
    const index = migrations.findIndex((m) => m.migration.id === range.to);
    if (index < 0) throw new RangeError(`--to ${range.to}: not a migration of ${analyzed.set.root}`);
    from = index + 1;
  }
  const chosen = migrations.slice(from).reverse();
  const before = from > 0 ? migrations[from - 1]!.migration : lastPrelude(analyzed);
  return {
    root: analyzed.set.root,
    layout: analyzed.set.layout,
    parts: chosen.map((m) => part(m, source)),
    ...(before ? { target: before } : {}),
  };
}

/**
 * The plan for exactly these migrations, newest first, as a live database's journal lists them applied
 * (never counted in files: a pending migration in the folder is not part of a rollback).
 */
export function planRollbackOf(analyzed: AnalyzedSet, newestFirst: readonly string[], source: DownSource, target?: Migration): RollbackPlan {
  const byId = new Map(analyzed.migrations.map((m) => [m.migration.id, m]));
  return {
    root: analyzed.set.root,
    layout: analyzed.set.layout,
    parts: newestFirst.map((id) => {
      const m = byId.get(id);
      if (!m) throw new RangeError(`${id} is not a migration of ${analyzed.set.root}`);
      return part(m, source);
    }),
    ...(target ? { target } : {}),
  };
}

function lastPrelude(analyzed: AnalyzedSet): Migration | undefined {
  return analyzed.migrations.filter((m) => m.migration.prelude).at(-1)?.migration;
}

function part(m: AnalyzedMigration, source: DownSource): RollbackPart {
  const reasons = m.plan.statements.filter((s) => s.class !== "reversible").map((s) => `line ${s.source.range.start.line}: ${s.reason ?? s.class}`);
  const dynamic = source === "written" ? dynamicDown(m.migration) : undefined;
  const written = source === "written" && m.migration.down && !dynamic ? writtenDown(m.migration) : undefined;
  if (written !== undefined) {
    return { migration: m.migration, class: m.plan.class, source: "written", sql: written, reasons, transactional: !needsOwnTransaction(written) };
  }
  const generatedOutside = m.plan.statements.some((s) => s.inverse.some((i) => !i.transactional));
  return {
    migration: m.migration,
    class: m.plan.class,
    source: "generated",
    sql: m.plan.sql,
    reasons,
    transactional: !generatedOutside && !needsOwnTransaction(m.plan.sql),
    ...(dynamic ? { note: dynamic } : {}),
  };
}

/**
 * Why a module's written `down()` cannot be run as extracted: part of its SQL is built at run time
 * (an interpolation, a variable, a branch), so the text migration-lint holds is not what it sends.
 */
export function dynamicDown(m: Migration): string | undefined {
  const notes = m.down?.dynamic;
  if (!notes?.length) return undefined;
  const first = notes[0]!;
  const more = notes.length > 1 ? ` and ${notes.length - 1} more` : "";
  return `the written down() builds SQL at run time (${first.expression} at ${m.down!.path}:${first.line}:${first.column}${more}): it is not run as written; using the generated down`;
}

/** The hand-written down as the runner reads it: the whole file, or its down section, or its `down()`'s calls. */
function writtenDown(m: Migration): string | undefined {
  const down = m.down;
  if (!down) return undefined;
  if (!down.regions) return down.text;
  const pieces = down.regions.map((r) => down.text.slice(r.start, r.end));
  // A module's down sends each call on its own; as one script each needs its own terminator.
  return down.origin ? pieces.map(terminated).join("\n") : pieces.join("\n");
}

/** One call's SQL ending in `;` (on a line of its own when the last line is a comment). */
function terminated(sql: string): string {
  const text = sql.trimEnd();
  if (!text || text.endsWith(";")) return text;
  return /--[^\n]*$/.test(text) ? `${text}\n;` : `${text};`;
}

/** Statements that cannot run inside one outer transaction, found in SQL text (comments stripped). */
function needsOwnTransaction(sql: string): boolean {
  const code = sql.replace(/--[^\n]*/g, "");
  return /\b(?:CONCURRENTLY|VACUUM)\b/i.test(code) || /^\s*(?:BEGIN|COMMIT|START\s+TRANSACTION|END)\s*;/im.test(code);
}

export function irreversibleParts(plan: RollbackPlan): RollbackPart[] {
  return plan.parts.filter((p) => p.class === "irreversible");
}

const RULE = "-- " + "=".repeat(76);

/** The script: a header that lists the parts and what to expect, then each part under its own header. */
export function renderRollback(plan: RollbackPlan, toolVersion: string): string {
  const lines: string[] = [];
  const n = plan.parts.length;
  lines.push(`-- Rollback of the last ${n} migration${n === 1 ? "" : "s"} of ${plan.root} (${plan.layout}), newest first.`);
  lines.push(`-- Planned by migration-lint ${toolVersion} from the replayed history. Review it before running it.`);
  lines.push(plan.target ? `-- Afterwards the schema is the one after ${plan.target.id}.` : "-- Afterwards the schema is the one before the first migration.");
  if (!n) {
    lines.push("-- Nothing to roll back.");
    return lines.join("\n") + "\n";
  }
  const width = Math.max(...plan.parts.map((p) => p.migration.id.length));
  lines.push("--");
  plan.parts.forEach((p, i) => lines.push(`--   ${i + 1}. ${p.migration.id.padEnd(width)}  ${p.class.padEnd(12)} (${p.source} down)`));
  const lossy = plan.parts.filter((p) => p.class === "lossy");
  const irreversible = irreversibleParts(plan);
  if (lossy.length || irreversible.length) lines.push("--");
  if (lossy.length) lines.push(`-- Lossy: the data ${lossy.map((p) => p.migration.id).join(", ")} dropped does not come back.`);
  if (irreversible.length) {
    lines.push(`-- Irreversible: ${irreversible.map((p) => p.migration.id).join(", ")} cannot be fully undone: the script leaves those changes in place (see the recipes).`);
  }
  lines.push("--");
  if (plan.parts.every((p) => p.transactional)) {
    lines.push("-- Every part can run in one transaction: psql -v ON_ERROR_STOP=1 --single-transaction -f <this file>");
  } else {
    const outside = plan.parts.filter((p) => !p.transactional).map((p) => p.migration.id);
    lines.push(`-- Not one transaction: ${outside.join(", ")} must run outside a transaction block. Run with psql -v ON_ERROR_STOP=1 -f <this file>`);
  }
  lines.push("-- The runner's own table of applied migrations is not changed by this script.");
  plan.parts.forEach((p, i) => {
    lines.push("", RULE, `-- ${i + 1}/${n}  ${p.migration.id}: ${p.class} (${p.source} down${p.source === "written" ? `, ${p.migration.down!.path}` : ""})`);
    if (p.note) lines.push(`--   ${p.note}`);
    for (const r of p.reasons) lines.push(`--   ${r}`);
    lines.push(RULE, "");
    lines.push(p.sql.trimEnd());
  });
  return lines.join("\n") + "\n";
}

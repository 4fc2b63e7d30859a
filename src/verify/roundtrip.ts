/**
 * The round trip of one migration on the state of all earlier ones:
 *
 *   S0 ─up─▶ S1 ─down─▶ S2 ─up─▶ S3      exact when S2 = S0 and S3 = S1
 *
 * As the runners do (diesel, golang-migrate, …), the up runs in its own transaction and is committed
 * before the down runs: a down may use what only a committed up allows (an enum label the up added,
 * SQLSTATE 55P04 otherwise). A failed up is rolled back (S0).
 *
 * The down and the second up then run each in its own transaction. By default these two are nested in
 * one outer transaction that is rolled back at the end, which brings the engine back to S1 for free (the
 * history goes on from the up applied once, whatever the down did). Where the outer transaction would
 * change the outcome — the down or the second up uses an enum label added in that same transaction — the
 * two are run again, each really committed, and S1 is restored by other means (`restore`: the caller
 * resets the database and replays the history). `commitEach` asks for that committed mode every time.
 */
import { diff, isSame, type SnapshotDiff } from "./diff.js";
import type { Engine } from "./engine.js";
import { toSqlError } from "./errors.js";
import { isEmptyScript, runScript, scriptNotes, type PreparedScript, type RunOptions, type ScriptFailure } from "./script.js";
import type { Snapshot } from "./snapshot.js";

export type RoundTripStatus =
  | "exact"
  | "exact-except-column-order"
  | "differs"
  /** The down has no statements but the up changed the schema. */
  | "empty-down"
  | "up-failed"
  | "down-failed"
  | "reup-failed";

export type Phase = "up" | "down" | "reup" | "up-twice";

export interface PhaseFailure extends ScriptFailure {
  phase: Phase;
}

export interface RoundTripResult {
  status: RoundTripStatus;
  /** S0 → S2: what the down did not restore (also set for `empty-down`: S0 → S1). */
  downDiff?: SnapshotDiff;
  /** S1 → S3: what the second up did differently. */
  reupDiff?: SnapshotDiff;
  failure?: PhaseFailure;
  /** Only when asked for: did running the up a second time on S1 succeed? */
  upTwice?: { ok: true } | { ok: false; failure: PhaseFailure };
  /** Statements skipped or rewritten to run in a transaction, and other remarks. */
  notes: string[];
}

export interface RoundTripInput {
  /** The up, as one or more files run in this order (a layout may split one migration into steps). */
  up: PreparedScript | PreparedScript[];
  /** The down in the order it runs; undefined when there is none, an empty script is an empty down. */
  down?: PreparedScript | PreparedScript[];
  /** Run the up a second time on S1 and expect no error (for migrations that claim to be idempotent). */
  checkUpTwice?: boolean;
  /**
   * Brings the engine back to S1 (the history up to and including this up, committed) once a committed
   * down or second up left it elsewhere. Without it the committed mode cannot be used: the result of the
   * outer-transaction run stands, with a note.
   */
  restore?: () => Promise<void>;
  /** Commit the down and the second up for real every time (slower: S1 is then restored when they leave another state). */
  commitEach?: boolean;
}

export interface RoundTripOutcome {
  result: RoundTripResult;
  /** The snapshot of the state the engine is left in (S1, or S0 when the up failed). */
  after: Snapshot;
}

const PHASE = "migration_lint_phase";

/** SQLSTATE 55P04: "unsafe use of new value … of enum type": the value was added in this open transaction. */
const UNSAFE_NEW_ENUM_VALUE = "55P04";

/**
 * Verifies one migration. `before` is S0 when the caller already has it (the previous migration's S1);
 * leave it out and it is read first.
 */
export async function roundTrip(engine: Engine, input: RoundTripInput, before?: Snapshot): Promise<RoundTripOutcome> {
  const up = list(input.up);
  const down = input.down === undefined ? undefined : list(input.down);
  const notes = [...up, ...(down ?? [])].flatMap(scriptNotes);
  const s0 = before ?? (await engine.snapshot());

  const upFailure = await committed(engine, up, notes);
  if (upFailure) return { result: { status: "up-failed", failure: { ...upFailure, phase: "up" }, notes }, after: s0 };
  const s1 = await engine.snapshot();
  const result: RoundTripResult = { status: "exact", notes };

  if (input.checkUpTwice) result.upTwice = await upTwice(engine, up);

  if (!down || down.every(isEmptyScript)) {
    const d = diff(s0, s1);
    if (isSame(d)) {
      if (!up.every(isEmptyScript)) notes.push("the down is empty and the up changed nothing in the schema");
    } else {
      result.status = "empty-down";
      result.downDiff = d;
    }
    return { result, after: s1 };
  }

  if (!input.commitEach || !input.restore) {
    await inOuterTransaction(engine, up, down, s0, s1, result);
    const needs = needsCommits(result);
    if (!needs) return { result, after: s1 };
    if (!input.restore) {
      notes.push(`${needs}; it would need the down and the second up committed, which this caller cannot undo`);
      return { result, after: s1 };
    }
    notes.push(`${needs}: the down and the second up were run again, each committed, and the state after the up restored`);
    clear(result);
  }
  await eachCommitted(engine, up, down, s0, s1, result, input.restore);
  return { result, after: s1 };
}

/** The down and the second up, each in a transaction nested in one that is rolled back: the engine ends at S1. */
async function inOuterTransaction(engine: Engine, up: PreparedScript[], down: PreparedScript[], s0: Snapshot, s1: Snapshot, result: RoundTripResult): Promise<void> {
  await engine.begin();
  try {
    await engine.savepoint(PHASE);
    await engine.resetSession();
    const downFailure = await runScripts(engine, down);
    if (downFailure) {
      result.status = "down-failed";
      result.failure = { ...downFailure, phase: "down" };
      return;
    }
    await engine.release(PHASE);
    result.downDiff = diff(s0, await engine.snapshot());
    await engine.savepoint(PHASE);
    await engine.resetSession();
    const reupFailure = await runScripts(engine, up);
    if (reupFailure) {
      result.status = "reup-failed";
      result.failure = { ...reupFailure, phase: "reup" };
      return;
    }
    result.reupDiff = diff(s1, await engine.snapshot());
    result.status = classify(result.downDiff, result.reupDiff);
  } finally {
    await engine.rollback();
  }
}

/** Why the outer-transaction run cannot be trusted (a phase needed its own commit), or undefined. */
function needsCommits(result: RoundTripResult): string | undefined {
  const f = result.failure;
  if (f?.error.code !== UNSAFE_NEW_ENUM_VALUE || (f.phase !== "down" && f.phase !== "reup")) return undefined;
  const which = f.phase === "down" ? "the down" : "the second up";
  return `${f.location.path}:${f.location.line}: ${which} uses an enum value added in the same transaction (55P04)`;
}

function clear(result: RoundTripResult): void {
  result.status = "exact";
  delete result.failure;
  delete result.downDiff;
  delete result.reupDiff;
}

/**
 * The down and the second up as the runner runs them: each in its own committed transaction. Whatever
 * state that leaves other than S1 (a failed second up leaves S2; a second up that differs leaves S3) is
 * undone by `restore`.
 */
async function eachCommitted(
  engine: Engine,
  up: PreparedScript[],
  down: PreparedScript[],
  s0: Snapshot,
  s1: Snapshot,
  result: RoundTripResult,
  restore: () => Promise<void>,
): Promise<void> {
  const notes = result.notes;
  const committedBefore = notes.length;
  const downFailure = await committed(engine, down, notes);
  if (downFailure) {
    result.status = "down-failed";
    result.failure = { ...downFailure, phase: "down" };
    // Only a down that committed an enum value before failing moved the state away from S1.
    if (notes.length > committedBefore) await restore();
    return;
  }
  result.downDiff = diff(s0, await engine.snapshot());
  const reupFailure = await committed(engine, up, notes);
  if (reupFailure) {
    result.status = "reup-failed";
    result.failure = { ...reupFailure, phase: "reup" };
    await restore();
    return;
  }
  result.reupDiff = diff(s1, await engine.snapshot());
  result.status = classify(result.downDiff, result.reupDiff);
  if (!isSame(result.reupDiff)) await restore();
}

/** The up run again on S1 in a transaction that is rolled back: does it fail? */
async function upTwice(engine: Engine, up: PreparedScript[]): Promise<RoundTripResult["upTwice"]> {
  await engine.begin();
  try {
    await engine.resetSession();
    const again = await runScripts(engine, up);
    return again ? { ok: false, failure: { ...again, phase: "up-twice" } } : { ok: true };
  } finally {
    await engine.rollback();
  }
}

function classify(...diffs: SnapshotDiff[]): RoundTripStatus {
  if (diffs.some((d) => d.differences.length > 0)) return "differs";
  if (diffs.some((d) => d.columnOrder.length > 0)) return "exact-except-column-order";
  return "exact";
}

/**
 * Runs a migration's up once, for the history: in its own transaction, committed, rolled back when it
 * fails. Returns the failure, if any.
 */
export async function applyUp(engine: Engine, up: PreparedScript | PreparedScript[]): Promise<PhaseFailure | undefined> {
  const failure = await committed(engine, list(up), []);
  return failure ? { ...failure, phase: "up" } : undefined;
}

/**
 * Runs scripts in one transaction and commits it; rolls it back when a statement fails (or the commit
 * does: deferred constraints are checked there). A script that adds an enum value and then uses it cannot
 * run in one transaction (PostgreSQL only lets a new label be used once its transaction committed); the
 * runners that allow it run such files without a transaction. Then it is run again committing right after
 * each `ALTER TYPE … ADD VALUE`. An enum value cannot be removed anyway, so nothing a rollback could have
 * restored is lost; only a failure after such a commit leaves the earlier statements applied (noted).
 */
async function committed(engine: Engine, scripts: PreparedScript[], notes: string[]): Promise<ScriptFailure | undefined> {
  const failure = await inTransaction(engine, scripts);
  if (failure?.error.code !== UNSAFE_NEW_ENUM_VALUE) return failure;
  const where = failure.location.path;
  notes.push(`${where}: committed after each ALTER TYPE … ADD VALUE so later statements can use the new value`);
  const retry = await inTransaction(engine, scripts, {
    after: async (step) => {
      if (step.statement.tag !== "AlterEnumStmt") return;
      await engine.commit();
      await engine.begin();
    },
  });
  if (retry) notes.push(`${where}: failed after an enum value was committed; that value stays`);
  return retry;
}

async function inTransaction(engine: Engine, scripts: PreparedScript[], options?: RunOptions): Promise<ScriptFailure | undefined> {
  await engine.begin();
  await engine.resetSession();
  const failure = await runScripts(engine, scripts, options);
  if (failure) {
    await engine.rollback();
    return failure;
  }
  try {
    await engine.commit();
  } catch (error) {
    const sql = toSqlError(error);
    if (!sql) throw error;
    // The failed COMMIT ended the transaction. Point at the end of the last file, where the commit happens.
    const last = scripts.at(-1)!;
    const end = last.steps.at(-1)?.statement.range.end;
    return { error: sql, location: { path: last.file.path, line: end?.line ?? 1, column: end?.column ?? 1 }, statement: "COMMIT" };
  }
  return undefined;
}

/** Runs several files as one script: in order, stopping at the first failure. */
async function runScripts(engine: Engine, scripts: PreparedScript[], options?: RunOptions): Promise<ScriptFailure | undefined> {
  for (const script of scripts) {
    const failure = await runScript(engine, script, options);
    if (failure) return failure;
  }
  return undefined;
}

function list<T>(x: T | T[]): T[] {
  return Array.isArray(x) ? x : [x];
}

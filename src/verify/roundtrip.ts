/**
 * The round trip of one migration on the state of all earlier ones:
 *
 *   S0 ─up─▶ S1 ─down─▶ S2 ─up─▶ S3      exact when S2 = S0 and S3 = S1
 *
 * Everything runs in one transaction with a savepoint at S0 and one at S1. Whatever happens, the engine is
 * left at S1 (the up applied once, as the real history has it) and committed, or at S0 when the up itself
 * failed, so the next migration's round trip starts from the right state and a down that fails half-way
 * never leaks into it.
 */
import { diff, isSame, type SnapshotDiff } from "./diff.js";
import type { Engine } from "./engine.js";
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
}

export interface RoundTripOutcome {
  result: RoundTripResult;
  /** The snapshot of the state the engine is left in (S1, or S0 when the up failed). */
  after: Snapshot;
}

const S0 = "migration_lint_s0";
const S1 = "migration_lint_s1";

/**
 * Verifies one migration. `before` is S0 when the caller already has it (the previous migration's S1);
 * leave it out and it is read first.
 */
export async function roundTrip(engine: Engine, input: RoundTripInput, before?: Snapshot): Promise<RoundTripOutcome> {
  const up = list(input.up);
  const down = input.down === undefined ? undefined : list(input.down);
  const notes = [...up, ...(down ?? [])].flatMap(scriptNotes);
  const s0 = before ?? (await engine.snapshot());
  await engine.begin();
  await engine.savepoint(S0);

  const upFailure = await runUp(engine, up, notes);
  if (upFailure) {
    await engine.rollbackTo(S0);
    await engine.commit();
    return { result: { status: "up-failed", failure: { ...upFailure, phase: "up" }, notes }, after: s0 };
  }
  const s1 = await engine.snapshot();
  await engine.savepoint(S1);
  const result: RoundTripResult = { status: "exact", notes };

  try {
    if (input.checkUpTwice) {
      await engine.resetSession();
      const again = await runScripts(engine, up);
      result.upTwice = again ? { ok: false, failure: { ...again, phase: "up-twice" } } : { ok: true };
      await engine.rollbackTo(S1);
    }

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

    await engine.resetSession();
    const downFailure = await runScripts(engine, down);
    if (downFailure) {
      result.status = "down-failed";
      result.failure = { ...downFailure, phase: "down" };
      return { result, after: s1 };
    }
    const s2 = await engine.snapshot();
    result.downDiff = diff(s0, s2);

    await engine.resetSession();
    const reupFailure = await runScripts(engine, up);
    if (reupFailure) {
      result.status = "reup-failed";
      result.failure = { ...reupFailure, phase: "reup" };
      return { result, after: s1 };
    }
    const s3 = await engine.snapshot();
    result.reupDiff = diff(s1, s3);
    result.status = classify(result.downDiff, result.reupDiff);
    return { result, after: s1 };
  } finally {
    await engine.rollbackTo(S1);
    await engine.commit();
  }
}

function classify(...diffs: SnapshotDiff[]): RoundTripStatus {
  if (diffs.some((d) => d.differences.length > 0)) return "differs";
  if (diffs.some((d) => d.columnOrder.length > 0)) return "exact-except-column-order";
  return "exact";
}

/**
 * Runs a migration's up once, for the history: in its own transaction, rolled back when it fails.
 * Returns the failure, if any.
 */
export async function applyUp(engine: Engine, up: PreparedScript | PreparedScript[]): Promise<PhaseFailure | undefined> {
  await engine.begin();
  await engine.savepoint(S0);
  const failure = await runUp(engine, list(up), []);
  if (failure) await engine.rollbackTo(S0);
  await engine.commit();
  return failure ? { ...failure, phase: "up" } : undefined;
}

/** SQLSTATE 55P04: "unsafe use of new value … of enum type": the value was added in this open transaction. */
const UNSAFE_NEW_ENUM_VALUE = "55P04";

/**
 * Runs the up between the S0 savepoint and S1. An up that adds an enum value and then uses it cannot run
 * in one transaction (PostgreSQL only lets a new label be used once its transaction committed); the real
 * runners that allow it run such files without a transaction. Then the up is run again committing right
 * after each `ALTER TYPE … ADD VALUE`. An enum value cannot be removed anyway, so nothing a rollback could
 * have restored is lost; only a failure after the commit leaves the earlier statements applied (noted).
 */
async function runUp(engine: Engine, up: PreparedScript[], notes: string[]): Promise<ScriptFailure | undefined> {
  await engine.resetSession();
  const failure = await runScripts(engine, up);
  if (failure?.error.code !== UNSAFE_NEW_ENUM_VALUE) return failure;
  await engine.rollbackTo(S0);
  const where = failure.location.path;
  notes.push(`${where}: committed after each ALTER TYPE … ADD VALUE so later statements can use the new value`);
  const retry = await runScripts(engine, up, {
    after: async (step) => {
      if (step.statement.tag !== "AlterEnumStmt") return;
      await engine.commit();
      await engine.begin();
      await engine.savepoint(S0);
    },
  });
  if (retry) notes.push(`${where}: the up failed after an enum value was committed; that value stays in the history`);
  return retry;
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

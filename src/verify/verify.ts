/**
 * Verifies the downs of a migration history: replays the whole history once, in order, on one engine,
 * and round-trips each migration in range on the state of all earlier ones.
 *
 * Migrations before `from` (and a layout's prelude) are applied as history only; migrations after `to`
 * are not run. When an up fails, its transaction is rolled back and the history goes on without it (later
 * migrations that depend on it will fail too: the first failure is the one to read).
 */
import { popUnit } from "../layout/pop-unit.js";
import type { LayoutId, Migration, MigrationSet, SqlFile } from "../layout/types.js";
import { alwaysQuoted } from "../catalog/render.js";
import type { Engine } from "./engine.js";
import { toSqlError, VerifyUsageError } from "./errors.js";
import { applyUp, roundTrip, type PhaseFailure, type RoundTripResult, type RoundTripStatus } from "./roundtrip.js";
import { prepare, runScript, type PreparedScript } from "./script.js";
import { installShim, type ShimMode } from "./shim.js";
import { objectKeys, objectValues, type Snapshot } from "./snapshot.js";

/**
 * Supplies the down SQL to verify for a migration. The default returns the hand-written down; the
 * generator plugs in here for `verify --generated`. Return undefined when there is no down.
 */
export type DownSupplier = (
  migration: Migration,
  index: number,
  migrations: readonly Migration[],
) => SqlFile | undefined | Promise<SqlFile | undefined>;

export const handWrittenDown: DownSupplier = (m) => m.down;

export type VerifyStatus =
  | RoundTripStatus
  /** The layout expects a down and there is none. */
  | "missing-down"
  /** The layout keeps no downs (prisma, supabase) and none was supplied: nothing to verify. */
  | "no-down"
  /** The up is code (concourse's Go migrations): nothing runs, so its down proves nothing either way. */
  | "code-up";

export interface MigrationResult extends Omit<RoundTripResult, "status"> {
  status: VerifyStatus;
  /** The migration's id; for a unit of several steps, the first step's id. */
  id: string;
  /** Ids of the migrations verified together as this unit (one, unless the layout splits migrations into steps). */
  migrations: string[];
  up: string;
  down?: string;
  durationMs: number;
}

export interface HistoryFailure {
  id: string;
  failure: PhaseFailure;
}

export interface VerifyReport {
  engine: string;
  results: MigrationResult[];
  /** Ups that failed while only being applied as history (before `from`, or the prelude). */
  history: HistoryFailure[];
  counts: Record<VerifyStatus, number>;
  durationMs: number;
}

export interface ProgressEvent {
  done: number;
  total: number;
  migration: Migration;
}

export interface VerifyOptions {
  /** Round-trip from this migration on (id, version or name); earlier ones are history. */
  from?: string;
  /** Round-trip up to and including this migration; later ones are not run. */
  to?: string;
  /** Where the down comes from: hand-written by default, the generator with `--generated`. */
  downFor?: DownSupplier;
  /** Also run each up twice on S1 (all, or the ones the function picks) and report errors. */
  checkUpTwice?: boolean | ((m: Migration) => boolean);
  /** Create the platform objects supabase migrations assume (roles, auth.users, …): default `auto`. */
  shim?: ShimMode;
  /** Extensions the deployment creates before the first migration (chirpstack assumes pg_trgm); treated as the platform's. */
  extensions?: readonly string[];
  /**
   * Consecutive migrations with the same key are verified as one unit: ups in order, downs in reverse
   * order. Default: each migration alone, except ory/pop's numbered steps (`<14-digit version><6-digit
   * step>`), whose down files undo the steps in mirrored order and only make sense together.
   */
  unitOf?: (m: Migration) => string;
  /**
   * Round-trip only these migrations (ids); the others in range are replayed as history. `verify FILE`
   * passes the migrations of the files named. A unit is verified when one of its members is chosen.
   */
  only?: ReadonlySet<string>;
  /**
   * SQL run before the first migration, after the platform shim and the extensions: what the project
   * assumes exists (roles, extensions, `--setup <file>`), and the runner's journal table, which exists
   * while the real runner migrates (diesel's `__diesel_schema_migrations`). Its objects are the
   * platform's: they are in no diff. Strings, or files (for error locations).
   */
  setupSql?: readonly (string | SqlFile)[];
  /** Commit the down and the second up for real for every migration (see roundtrip.ts); slower. */
  commitEach?: boolean;
  onProgress?: (event: ProgressEvent) => void;
}

export const VERIFY_STATUSES: readonly VerifyStatus[] = [
  "exact",
  "exact-except-column-order",
  "differs",
  "empty-down",
  "up-failed",
  "down-failed",
  "reup-failed",
  "missing-down",
  "no-down",
  "code-up",
];

/** Statuses of migrations that were not round-tripped (not counted as verified). */
export function isUnverified(status: VerifyStatus): boolean {
  return status === "no-down" || status === "code-up";
}

/** Statuses that fail `verify` (exit 1). */
export function isFailing(status: VerifyStatus): boolean {
  return status !== "exact" && !isUnverified(status);
}

function findIndex(migrations: readonly Migration[], ref: string, flag: string): number {
  const i = migrations.findIndex((m) => m.id === ref || m.version === ref || m.name === ref);
  if (i < 0) throw new VerifyUsageError(`${flag} ${ref}: no migration has this id, version or name`);
  return i;
}

export { popUnit };

function defaultUnitOf(layout: LayoutId | undefined): (m: Migration) => string {
  return layout === "pop" ? popUnit : (m) => m.id;
}

/** Splits `migrations` into runs of consecutive migrations with the same unit key. */
function units(migrations: readonly Migration[], unitOf: (m: Migration) => string): number[][] {
  const out: number[][] = [];
  let key: string | undefined;
  migrations.forEach((m, i) => {
    // A prelude is history only: it never shares a unit with a migration that is verified.
    const k = `${m.prelude ? "prelude:" : ""}${unitOf(m)}`;
    if (out.length > 0 && k === key) out[out.length - 1]!.push(i);
    else out.push([i]);
    key = k;
  });
  return out;
}

export async function verifyMigrations(
  engine: Engine,
  input: MigrationSet | readonly Migration[],
  options: VerifyOptions = {},
): Promise<VerifyReport> {
  const started = Date.now();
  const set = isSet(input) ? input : undefined;
  const migrations = set ? set.migrations : (input as readonly Migration[]);
  const from = options.from === undefined ? 0 : findIndex(migrations, options.from, "--from");
  const to = options.to === undefined ? migrations.length - 1 : findIndex(migrations, options.to, "--to");
  if (to < from) throw new VerifyUsageError(`--to ${options.to} comes before --from ${options.from}`);
  const downFor = options.downFor ?? handWrittenDown;

  const ups: PreparedScript[] = [];
  for (const m of migrations.slice(0, to + 1)) ups.push(await prepare(m.up));
  const setup: PreparedScript[] = [];
  for (const [i, sql] of (options.setupSql ?? []).entries()) setup.push(await prepare(typeof sql === "string" ? { path: `setup SQL #${i + 1}`, text: sql } : sql));
  await installPlatform(engine, ups, setup, options);

  const report: VerifyReport = {
    engine: engine.description,
    results: [],
    history: [],
    counts: Object.fromEntries(VERIFY_STATUSES.map((s) => [s, 0])) as Record<VerifyStatus, number>,
    durationMs: 0,
  };
  const plan = units(migrations.slice(0, to + 1), options.unitOf ?? defaultUnitOf(set?.layout));
  const chosen = (unit: number[]): boolean => isVerified(unit, from, migrations) && (!options.only || unit.some((i) => options.only!.has(migrations[i]!.id)));
  const verified = plan.filter(chosen);
  let done = 0;
  let state: Snapshot | undefined;

  for (const [k, unit] of plan.entries()) {
    const members = unit.map((i) => migrations[i]!);
    const first = members[0]!;
    const unitUps = unit.map((i) => ups[i]!);
    if (!chosen(unit)) {
      const failure = await applyUp(engine, unitUps);
      if (failure) report.history.push({ id: first.id, failure });
      state = undefined;
      continue;
    }
    const t0 = Date.now();
    const downFiles: (SqlFile | undefined)[] = [];
    for (const i of unit) downFiles.push(await downFor(migrations[i]!, i, migrations));
    const base = { id: first.id, migrations: members.map((m) => m.id), up: first.up.path, notes: [] as string[], durationMs: 0 };
    let result: MigrationResult;
    if (members.every((m) => m.external === "up")) {
      // Its changes happen in code the engine cannot run: the schema stays as it was, and a down
      // (hand-written or generated) would be checked against a state the real up never leaves.
      result = { ...base, status: "code-up", notes: [`the up is code (${first.up.path}): not run, its down not verified`] };
    } else if (downFiles.every((d) => d === undefined)) {
      const failure = await applyUp(engine, unitUps);
      state = undefined;
      result = { ...base, status: failure ? "up-failed" : members.some((m) => m.expectsDown) ? "missing-down" : "no-down" };
      if (failure) result.failure = failure;
    } else {
      const downs: PreparedScript[] = [];
      for (const d of [...downFiles].reverse()) if (d) downs.push(await prepare(d));
      const checkUpTwice = members.some((m) =>
        typeof options.checkUpTwice === "function" ? options.checkUpTwice(m) : !!options.checkUpTwice,
      );
      // The state after this up, rebuilt from nothing: the platform again, then every up so far, committed.
      const restore = async (): Promise<void> => {
        await engine.reset();
        await installPlatform(engine, ups, setup, options);
        for (const u of plan.slice(0, k + 1)) await applyUp(engine, u.map((i) => ups[i]!));
      };
      const outcome = await roundTrip(engine, { up: unitUps, down: downs, checkUpTwice, restore, commitEach: !!options.commitEach }, state);
      state = outcome.after;
      result = { ...base, ...outcome.result, down: downFiles.find((d) => d)!.path };
    }
    result.durationMs = Date.now() - t0;
    report.results.push(result);
    report.counts[result.status]++;
    options.onProgress?.({ done: ++done, total: verified.length, migration: first });
  }
  report.durationMs = Date.now() - started;
  return report;
}

function isSet(input: MigrationSet | readonly Migration[]): input is MigrationSet {
  return !Array.isArray(input);
}

/** A unit is round-tripped when one of its members is at or after `from` and not a history prelude. */
function isVerified(unit: number[], from: number, migrations: readonly Migration[]): boolean {
  return unit.some((i) => i >= from && !migrations[i]!.prelude);
}

/**
 * The platform shim, the extensions the deployment provides and the setup SQL, created before the
 * history (committed), as the platform's.
 */
async function installPlatform(engine: Engine, ups: readonly PreparedScript[], setup: readonly PreparedScript[], options: VerifyOptions): Promise<void> {
  await installShim(engine, ups, options.shim ?? "auto");
  if (!options.extensions?.length && !setup.length) return;
  const before = objectKeys(await engine.snapshot());
  for (const name of options.extensions ?? []) {
    try {
      await engine.exec(`CREATE EXTENSION IF NOT EXISTS ${alwaysQuoted(name)}`);
    } catch (error) {
      const sql = toSqlError(error);
      if (!sql) throw error;
      throw new VerifyUsageError(`--extension ${name}: ${sql.message}`);
    }
  }
  for (const script of setup) {
    await engine.resetSession();
    const failure = await runScript(engine, script);
    if (failure) {
      const at = failure.location;
      throw new VerifyUsageError(`${at.path}:${at.line}:${at.column}: the setup SQL failed: ${failure.error.message}${failure.error.code ? ` (${failure.error.code})` : ""}`);
    }
  }
  const after = await engine.snapshot();
  engine.addPlatform(objectValues(after, [...objectKeys(after)].filter((key) => !before.has(key))));
}

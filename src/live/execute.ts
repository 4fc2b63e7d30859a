/**
 * Runs a rollback plan on the live database. Each part (its down, its backups, its journal update) runs in
 * one transaction where the part can (the runner's own model for a down: down + un-record together), so a
 * failure leaves that part exactly as it was; the rollback stops there and says which parts are rolled
 * back and which are not. `singleTransaction` runs every part in one; `dryRun` runs them all in one that
 * is always rolled back (a part that must run outside a transaction is not rehearsed). `lock_timeout`
 * keeps a down from queueing behind a long transaction while every other query queues behind it.
 *
 * An interruption (SIGINT / SIGTERM, `interrupt()`) cancels the running statement: the current part's
 * transaction rolls back and no later part starts.
 */
import type { JournalEntry, Statement } from "../layout/journal.js";
import type { RollbackPart } from "../history/rollback.js";
import { toSqlError } from "../verify/errors.js";
import { prepare, type Step } from "../verify/script.js";
import { backupSteps, droppedBy } from "./backup.js";
import type { LiveConnection } from "./connect.js";

export interface ExecutionPart {
  part: RollbackPart;
  entry: JournalEntry;
  unrecord: Statement[];
}

export type PartOutcome = "rolled-back" | "rehearsed" | "not-rehearsed" | "failed" | "interrupted" | "not-run";

export interface PartResult {
  id: string;
  outcome: PartOutcome;
  /** `path:line:col: message` of the failing statement. */
  error?: string;
  /** Backup tables written (or, in a dry run, that would be). */
  backups: string[];
  /** Why a part was not rehearsed, or that a failed non-transactional part left earlier statements applied. */
  note?: string;
}

export interface ExecuteOptions {
  dryRun: boolean;
  singleTransaction: boolean;
  /** PostgreSQL interval text (`5s`); `0` turns it off. */
  lockTimeout: string;
  statementTimeout?: string;
  /** Copy what each down drops into the backup schema first; the stamp names the copies. */
  backupStamp?: string;
  /**
   * The runner's table lock (authelia's LOCK TABLE migrations …), run first in every transaction this
   * opens, so the runner cannot migrate while a part runs; a part outside a transaction holds it for its
   * journal update only.
   */
  transactionLock?: Statement;
  onPart?: (result: PartResult) => void;
}

export interface Interruption {
  /** Set by the signal handler: `SIGINT`, `SIGTERM`. */
  reason?: string;
}

class PartFailure extends Error {
  constructor(
    message: string,
    readonly cancelled: boolean,
  ) {
    super(message);
  }
}

/** SQLSTATE 57014: the statement was cancelled (our interruption, or statement_timeout). */
const QUERY_CANCELED = "57014";

function failure(error: unknown, where: string): PartFailure {
  const sql = toSqlError(error);
  const message = sql ? sql.message : error instanceof Error ? error.message : String(error);
  return new PartFailure(`${where}: ${message}`, sql?.code === QUERY_CANCELED);
}

async function run(live: LiveConnection, statement: Statement, where: string): Promise<void> {
  try {
    await live.query(statement.text, statement.params);
  } catch (error) {
    throw failure(error, where);
  }
}

function downPath(p: RollbackPart): string {
  return p.source === "written" && p.migration.down ? p.migration.down.path : `generated down of ${p.migration.id}`;
}

/** The down's statements as PostgreSQL should receive them (never rewritten: this is the real run). */
async function downSteps(p: RollbackPart, insideTransaction: boolean): Promise<{ steps: Step[]; path: string }> {
  const path = downPath(p);
  const script = await prepare({ path, text: p.sql });
  if (script.syntaxError) {
    const at = script.syntaxError.location;
    throw new PartFailure(`${at.path}:${at.line}:${at.column}: syntax error: ${script.syntaxError.message}`, false);
  }
  // Inside the executor's transaction the file's own BEGIN/COMMIT would end it early: the executor owns it.
  return { steps: script.steps.filter((s) => !(insideTransaction && s.statement.tag === "TransactionStmt")), path };
}

/** Right after BEGIN: the transaction's timeouts, then the runner's table lock where it has one. */
async function openTransaction(live: LiveConnection, options: ExecuteOptions): Promise<void> {
  await live.query("BEGIN");
  for (const s of timeouts(options, true)) await live.query(s.text);
  if (options.transactionLock) await run(live, options.transactionLock, "the runner's table lock");
}

function timeouts(options: ExecuteOptions, local: boolean): Statement[] {
  const scope = local ? "SET LOCAL" : "SET";
  const out = [{ text: `${scope} lock_timeout = '${options.lockTimeout}'` }];
  if (options.statementTimeout !== undefined) out.push({ text: `${scope} statement_timeout = '${options.statementTimeout}'` });
  return out;
}

/** Backups, down, journal update: the body of one part, inside whatever transaction the caller holds. */
async function runPart(live: LiveConnection, x: ExecutionPart, options: ExecuteOptions, insideTransaction: boolean, result: PartResult, interruption: Interruption): Promise<void> {
  if (options.backupStamp) {
    for (const b of await backupSteps(live, await droppedBy(x.part.sql), options.backupStamp)) {
      for (const s of b.statements) await run(live, s, `backup of ${b.what}`);
      result.backups.push(b.target);
    }
  }
  const { steps, path } = await downSteps(x.part, insideTransaction);
  for (const step of steps) {
    if (interruption.reason) throw new PartFailure(`interrupted (${interruption.reason})`, true);
    const at = step.statement.range.start;
    await run(live, { text: step.statement.text }, `${path}:${at.line}:${at.column}`);
  }
  for (const s of x.unrecord) await run(live, s, `journal update of ${x.part.migration.id}`);
}

export async function execute(live: LiveConnection, parts: readonly ExecutionPart[], options: ExecuteOptions, interruption: Interruption = {}): Promise<PartResult[]> {
  const results: PartResult[] = parts.map((x) => ({ id: x.part.migration.id, outcome: "not-run", backups: [] }));
  const oneTransaction = options.dryRun || options.singleTransaction;
  if (oneTransaction) {
    try {
      await openTransaction(live, options);
    } catch (error) {
      // The runner's table lock did not come within lock_timeout: nothing ran.
      await live.query("ROLLBACK").catch(() => undefined);
      const first = results[0];
      if (first) {
        first.outcome = "failed";
        first.error = (error instanceof PartFailure ? error : failure(error, "BEGIN")).message;
        options.onPart?.(first);
      }
      return results;
    }
  }
  let stopped = false;
  try {
    for (const [i, x] of parts.entries()) {
      const result = results[i]!;
      if (interruption.reason) break;
      if (options.dryRun && !x.part.transactional) {
        result.outcome = "not-rehearsed";
        result.note = "must run outside a transaction block (CONCURRENTLY or its own BEGIN/COMMIT): not rehearsed; later parts are rehearsed without it";
        options.onPart?.(result);
        continue;
      }
      try {
        if (oneTransaction) {
          await live.query(`SAVEPOINT part_${i}`);
          await runPart(live, x, options, true, result, interruption);
          await live.query(`RELEASE SAVEPOINT part_${i}`);
        } else if (x.part.transactional) {
          await openTransaction(live, options);
          await runPart(live, x, options, true, result, interruption);
          await live.query("COMMIT");
        } else {
          for (const s of timeouts(options, false)) await live.query(s.text);
          await runPart(live, { ...x, unrecord: [] }, options, false, result, interruption);
          await openTransaction(live, options);
          for (const s of x.unrecord) await run(live, s, `journal update of ${x.part.migration.id}`);
          await live.query("COMMIT");
        }
        result.outcome = options.dryRun ? "rehearsed" : "rolled-back";
      } catch (error) {
        const f = error instanceof PartFailure ? error : failure(error, x.part.migration.id);
        result.outcome = f.cancelled && interruption.reason ? "interrupted" : "failed";
        result.error = f.cancelled && interruption.reason ? `interrupted (${interruption.reason}): ${f.message}` : f.message;
        if (oneTransaction) await live.query(`ROLLBACK TO SAVEPOINT part_${i}`).catch(() => undefined);
        else await live.query("ROLLBACK").catch(() => undefined);
        if (!oneTransaction && !x.part.transactional) {
          result.note = "this part ran outside a transaction: the statements before the failing one stay applied, its journal row is unchanged";
        }
        stopped = true;
      }
      options.onPart?.(result);
      if (stopped) break;
    }
  } finally {
    if (oneTransaction) {
      // A dry run is never committed; one transaction commits only when every part went through.
      const commit = !options.dryRun && !stopped && !interruption.reason;
      await live.query(commit ? "COMMIT" : "ROLLBACK").catch(() => undefined);
      if (!commit && !options.dryRun) {
        for (const r of results) if (r.outcome === "rolled-back") r.outcome = "not-run";
      }
    }
  }
  return results;
}

/**
 * `rollback` as a function: applied range → downs → drift and class gates → explicit yes → locks →
 * per part down + journal update → audit row. The CLI wraps it; everything it decides is in the report.
 */
import { createHash } from "node:crypto";
import { InputError } from "../errors.js";
import { planRollbackOf, renderRollback, type RollbackPart, type RollbackRange } from "../history/rollback.js";
import type { LintOptions } from "../api.js";
import type { JournalSettings, JournalState, RunnerJournal, Statement } from "../layout/journal.js";
import type { LayoutId } from "../layout/types.js";
import { TOOL_VERSION } from "../meta.js";
import { finishAudit, startAudit, type AuditedPart, type RollbackOutcome } from "./audit.js";
import { BACKUP_SCHEMA, droppedBy } from "./backup.js";
import { connectLive, type LiveConnection } from "./connect.js";
import { loadLiveContext, type LiveContext } from "./context.js";
import { checkDrift, type DriftReport } from "./drift.js";
import { execute, type ExecutionPart, type Interruption, type PartResult } from "./execute.js";
import { refusals, type Refusal } from "./gates.js";
import { describeLock, LockBusyError, locksFor, releaseLocks, takeLocks } from "./lock.js";
import { appliedRange } from "./range.js";
import { writtenDownCheck, type WrittenDownProblems } from "./written-downs.js";

export type DownsChoice = "generated" | "written" | "prefer-written";

export interface LiveRollbackOptions extends Pick<LintOptions, "cwd" | "configPath" | "onProgress"> {
  paths: readonly string[];
  layout?: LayoutId;
  url: string;
  range: RollbackRange;
  downs: DownsChoice;
  dryRun: boolean;
  yes: boolean;
  allowDrift: boolean;
  allowIrreversible: boolean;
  allowLossy: boolean;
  backup: boolean;
  audit: boolean;
  singleTransaction: boolean;
  lockWaitMs: number;
  lockTimeout: string;
  statementTimeout?: string;
  /** Asks the user (a terminal); absent when there is no one to ask. */
  ask?: (question: string, report: LiveRollbackReport) => Promise<boolean>;
  interruption?: Interruption;
  /** Called when the connection is open, so a signal handler can cancel its statement. */
  onConnection?: (live: LiveConnection) => void;
}

export interface PlannedPart {
  id: string;
  class: string;
  source: "written" | "generated";
  downPath?: string;
  transactional: boolean;
  reasons: string[];
  /** What the down drops (data gone unless --backup): `table public.x`, `column public.x.y`. */
  drops: string[];
  sha256: string;
  journalUpdate: string[];
  /** Why this part does not run the down one would expect (a written down found wrong). */
  note?: string;
}

export type RollbackResultKind = "refused" | "rehearsed" | "rolled-back" | "failed" | "interrupted" | "lock-busy" | "nothing";

export interface LiveRollbackReport {
  database: string;
  root: string;
  layout: string;
  runner: string;
  journal: string;
  target: string | null;
  parts: PlannedPart[];
  script: string;
  drift?: DriftReport;
  refusals: Refusal[];
  locks: string[];
  dryRun: boolean;
  outcome: RollbackResultKind;
  message: string;
  results: PartResult[];
  auditId?: string;
  backupSchema?: string;
}

/** A statement with its parameters written in, for reading (never sent like this). */
export function inlineParams(s: Statement): string {
  return s.text.replace(/\$(\d+)/g, (m, n: string) => {
    const v = s.params?.[Number(n) - 1];
    if (v === undefined) return m;
    if (v === null) return "NULL";
    return typeof v === "number" ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
  });
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function sourceOf(choice: DownsChoice): "generated" | "written" {
  return choice === "generated" ? "generated" : "written";
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, "").replace(/\.\d+Z$/, "");
}

function sameJournal(a: JournalState, b: JournalState): boolean {
  const key = (s: JournalState) => JSON.stringify(s.entries.map((e) => [e.recorded, e.hash ?? null, e.state]));
  return key(a) === key(b);
}

export async function rollbackLive(options: LiveRollbackOptions): Promise<LiveRollbackReport> {
  const cwd = options.cwd ?? process.cwd();
  const context: LiveContext = await loadLiveContext(options.paths, {
    cwd,
    ...(options.configPath ? { configPath: options.configPath } : {}),
    ...(options.layout ? { layout: options.layout } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  const { analyzed, journal, settings } = context;
  const live = await connectLive(options.url);
  options.onConnection?.(live);
  try {
    // A runner that locks its journal table while it migrates (authelia) blocks even a read of it: wait for
    // that lock first, within --lock-wait, so a busy runner ends in the same clear message as a busy key.
    const early = await tableLockBusy(live, journal, settings, options.lockWaitMs);
    if (early) {
      const at = journal.location(settings);
      return {
        database: live.description,
        root: analyzed.set.root,
        layout: analyzed.set.layout,
        runner: journal.runner,
        journal: `${at.schema}.${at.table}`,
        target: null,
        parts: [],
        script: "",
        refusals: [],
        locks: locksFor(journal, live.database, at).map(describeLock),
        dryRun: options.dryRun,
        outcome: "lock-busy",
        message: early,
        results: [],
      };
    }
    const state = await journal.read(live, analyzed.set, settings);
    let range;
    try {
      range = appliedRange(analyzed, state, options.range, sourceOf(options.downs), cwd);
    } catch (error) {
      if (error instanceof RangeError) throw new InputError(error.message);
      throw error;
    }
    const { entries } = range;
    let plan = range.plan;
    if (options.downs === "written") {
      const dynamic = plan.parts.find((p) => p.source !== "written" && p.note);
      if (dynamic) throw new InputError(`--downs written: ${dynamic.migration.id}: ${dynamic.note!.replace(/; using the generated down$/, "")} (use --downs prefer-written or generated)`);
      const without = plan.parts.filter((p) => p.source !== "written");
      if (without.length) throw new InputError(`--downs written: ${without.map((p) => p.migration.id).join(", ")} ha${without.length === 1 ? "s" : "ve"} no hand-written down`);
    }
    const executionPartsOf = (parts: readonly RollbackPart[]): ExecutionPart[] =>
      parts.map((part, i) => ({ part, entry: entries[i]!, unrecord: journal.unrecordSql(entries[i]!, state, settings) }));
    let executionParts = executionPartsOf(plan.parts);
    const at = state.location;
    const report: LiveRollbackReport = {
      database: live.description,
      root: analyzed.set.root,
      layout: analyzed.set.layout,
      runner: journal.runner,
      journal: `${at.schema}.${at.table}`,
      target: plan.target?.id ?? null,
      parts: await Promise.all(executionParts.map(plannedPart)),
      script: renderRollback(plan, TOOL_VERSION),
      refusals: [],
      locks: locksFor(journal, live.database, at).map(describeLock),
      dryRun: options.dryRun,
      outcome: "nothing",
      message: "",
      results: [],
    };
    if (options.backup) report.backupSchema = BACKUP_SCHEMA;
    if (!plan.parts.length) return { ...report, message: "nothing to roll back" };
    // Nobody to say yes: refuse before the slow part, with the plan shown.
    if (!options.dryRun && !options.yes && !options.ask) {
      return { ...report, outcome: "refused", message: "refusing to roll back without a terminal to confirm on: pass --yes (after reading the plan, e.g. with --dry-run)" };
    }
    // prefer-written: the drift check's replay also rehearses the written downs; wrong ones give way.
    const problems: WrittenDownProblems = new Map();
    const generated = planRollbackOf(analyzed, plan.parts.map((p) => p.migration.id), "generated", plan.target).parts;
    const hook = options.downs === "prefer-written" && plan.parts.some((p) => p.source === "written") ? writtenDownCheck(plan.parts, generated, problems) : undefined;
    report.drift = await checkDrift(live, journal, settings, state, hook);
    if (problems.size) {
      plan = { ...plan, parts: plan.parts.map((p, i) => (problems.has(p.migration.id) ? generated[i]! : p)) };
      executionParts = executionPartsOf(plan.parts);
      report.parts = await Promise.all(executionParts.map(plannedPart));
      for (const p of report.parts) if (problems.has(p.id)) p.note = `the written down ${problems.get(p.id)}: using the generated down`;
      report.script = renderRollback(plan, TOOL_VERSION);
    }
    report.refusals = refusals(plan, report.drift, {
      allowDrift: options.allowDrift,
      allowIrreversible: options.allowIrreversible,
      // A terminal may still say yes to the lossy parts after seeing the reasons.
      allowLossy: options.allowLossy || (!!options.ask && !options.yes && !options.dryRun),
    });
    if (report.refusals.length && !options.dryRun) return { ...report, outcome: "refused", message: "refusing to roll back: " + report.refusals.map((r) => r.gate).join(", ") };
    if (!options.dryRun && !options.yes && options.ask) {
      const lossy = plan.parts.filter((p) => p.class === "lossy").length;
      const question = `Roll back ${plan.parts.length} migration${plan.parts.length === 1 ? "" : "s"} on ${live.description}${lossy ? ` (${lossy} lossy: the data they dropped does not come back)` : ""}?`;
      if (!(await options.ask(question, report))) return { ...report, outcome: "refused", message: "not confirmed: nothing was rolled back" };
    }
    // A lock row is a committed write: a dry run, which never commits, holds only the advisory locks.
    let locks = locksFor(journal, live.database, at).filter((l) => !(options.dryRun && l.row));
    try {
      locks = await takeLocks(live, locks, options.lockWaitMs);
    } catch (error) {
      if (error instanceof LockBusyError) return { ...report, outcome: "lock-busy", message: error.message };
      throw error;
    }
    try {
      // Under the lock: the journal must still be what the plan was made from.
      if (!sameJournal(state, await journal.read(live, analyzed.set, settings))) {
        return { ...report, outcome: "refused", message: "the journal changed while the plan was made (a migration ran meanwhile): nothing was rolled back; run again" };
      }
      const audited = (results: PartResult[]): AuditedPart[] =>
        report.parts.map((p, i) => ({
          id: p.id,
          class: p.class,
          source: p.source,
          down_sha256: p.sha256,
          outcome: results[i]?.outcome === "rolled-back" ? "rolled-back" : results[i]?.outcome === "failed" || results[i]?.outcome === "interrupted" ? "failed" : "not-run",
          ...(results[i]?.error ? { error: results[i]!.error! } : {}),
          ...(results[i]?.backups.length ? { backup: results[i]!.backups } : {}),
        }));
      const auditing = options.audit && !options.dryRun;
      if (auditing) {
        report.auditId = await startAudit(live, {
          toolVersion: TOOL_VERSION,
          set: analyzed.set.root,
          runner: journal.runner,
          parts: audited([]),
          ...(options.backup ? { backupSchema: BACKUP_SCHEMA } : {}),
        });
      }
      const interruption = options.interruption ?? {};
      report.results = await execute(
        live,
        executionParts,
        {
          dryRun: options.dryRun,
          singleTransaction: options.singleTransaction,
          lockTimeout: options.lockTimeout,
          ...(options.statementTimeout !== undefined ? { statementTimeout: options.statementTimeout } : {}),
          ...(options.backup ? { backupStamp: stamp() } : {}),
          ...(journal.tableLock ? { transactionLock: journal.tableLock.statement(at) } : {}),
        },
        interruption,
      );
      const summary = summarize(report.results, options.dryRun, interruption);
      report.outcome = summary.outcome;
      report.message = summary.message;
      if (auditing && report.auditId) {
        const outcome: RollbackOutcome = summary.outcome === "rolled-back" ? "rolled-back" : summary.outcome === "interrupted" ? "interrupted" : "failed";
        await finishAudit(live, report.auditId, outcome, audited(report.results));
      }
      return report;
    } finally {
      await releaseLocks(live, locks);
    }
  } finally {
    await live.end();
  }
}

/** The busy message when the runner's table lock does not come within the wait limit; undefined once it did. */
async function tableLockBusy(live: LiveConnection, journal: RunnerJournal, settings: JournalSettings, waitMs: number): Promise<string | undefined> {
  const probes = locksFor(journal, live.database, journal.location(settings)).filter((l) => l.table);
  try {
    await takeLocks(live, probes, waitMs);
    return undefined;
  } catch (error) {
    if (error instanceof LockBusyError) return error.message;
    throw error;
  }
}

async function plannedPart(x: ExecutionPart): Promise<PlannedPart> {
  const p: RollbackPart = x.part;
  const drops = (await droppedBy(p.sql)).map((d) => (d.column ? `column ${d.table}.${d.column}` : `table ${d.table}`));
  return {
    id: p.migration.id,
    class: p.class,
    source: p.source,
    ...(p.source === "written" && p.migration.down ? { downPath: p.migration.down.path } : {}),
    transactional: p.transactional,
    reasons: p.reasons,
    ...(p.note ? { note: p.note } : {}),
    drops,
    sha256: sha256(p.sql),
    journalUpdate: x.unrecord.map(inlineParams),
  };
}

function summarize(results: readonly PartResult[], dryRun: boolean, interruption: Interruption): { outcome: RollbackResultKind; message: string } {
  const done = results.filter((r) => r.outcome === "rolled-back").map((r) => r.id);
  const notDone = results.filter((r) => r.outcome !== "rolled-back" && r.outcome !== "rehearsed").map((r) => r.id);
  const bad = results.find((r) => r.outcome === "failed" || r.outcome === "interrupted");
  if (dryRun) {
    if (bad) return { outcome: "failed", message: `rehearsal failed at ${bad.id}: ${bad.error}; nothing was committed` };
    const skipped = results.filter((r) => r.outcome === "not-rehearsed").map((r) => r.id);
    return { outcome: "rehearsed", message: `rehearsed ${results.length - skipped.length} part${results.length - skipped.length === 1 ? "" : "s"} in a transaction that was rolled back${skipped.length ? `; not rehearsed: ${skipped.join(", ")}` : ""}; nothing was committed` };
  }
  const list = (ids: string[]) => (ids.length ? ids.join(", ") : "none");
  if (interruption.reason) {
    return { outcome: "interrupted", message: `interrupted by ${interruption.reason}: rolled back: ${list(done)}; not rolled back: ${list(notDone)}${bad ? ` (${bad.id}'s transaction was rolled back)` : ""}` };
  }
  if (bad) return { outcome: "failed", message: `${bad.id} failed: ${bad.error}. Rolled back: ${list(done)}; not rolled back: ${list(notDone)}` };
  return { outcome: "rolled-back", message: `rolled back ${list(done)}` };
}

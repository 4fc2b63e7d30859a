/**
 * Analyses migration sets on several cores. Sets are independent histories, so each one is analysed
 * whole by one thread: the main thread and worker threads take sets from one shared queue, largest
 * first, until it is empty. A worker sends back each set's outcome (plans and findings, plain data);
 * the main thread puts every set back in its place, so results and their order are the same as in one
 * thread. A worker that fails or dies hands its sets back to the main thread, which analyses them
 * again (so an error in a set surfaces exactly as it would have without workers).
 *
 * Workers start before discovery (their module loading and WASM compilation overlap the main thread's
 * file reading); when discovery finds too little work to share, they are stopped unused. How many
 * there are by default (none on 2 cores) is decided in threads.ts.
 */
import { allRules } from "../../rules/index.js";
import type { MigrationSet } from "../layout/types.js";
import type { ResolvedRule } from "../lint/engine.js";
import { analyzeSet, type AnalyzedSet, type AnalyzeOptions } from "./analyze.js";
import { outcomeOf, restoreSet, type SetOutcome } from "./outcome.js";
import { discardPrestarted, startWorkers, takePrestarted, workerCount, type READY, type Slot } from "./threads.js";

export interface AnalysisJob {
  set: MigrationSet;
  options: AnalyzeOptions;
}

/** A job as a worker receives it: rules by id (functions cannot cross threads), sets as arrays. */
export interface WireJob {
  set: MigrationSet;
  settings: AnalyzeOptions["settings"];
  searchPath: readonly string[];
  rules: { id: string; severity: ResolvedRule["severity"]; options: ResolvedRule["options"] }[];
  selected?: string[];
  unapplied?: string[];
  lint?: boolean;
}

export type ToWorker = { type: "jobs"; jobs: WireJob[]; order: number[]; next: SharedArrayBuffer; owner: SharedArrayBuffer; id: number };
export type FromWorker = { type: typeof READY } | { type: "result"; index: number; outcome: SetOutcome } | { type: "failed"; index: number; message: string };

/** Who analysed which set in the last run (for the tests). */
export interface PoolStats {
  byMain: number[];
  byWorkers: number[];
}

/** `owner` slots: 0 = not claimed yet (or being claimed), 1 = the main thread, 2… = worker 0, 1, … */
const MAIN = 1;
const WORKER_BASE = 2;

/** Below this much SQL in the sets other than the largest, a worker's start-up costs more than it saves. */
export const MIN_SHARED_WORK = 150_000;
export { workerCount };

/** The work a set costs, for the queue order: its SQL text length. */
export function setCost(set: MigrationSet): number {
  let n = 0;
  for (const m of set.migrations) n += m.up.text.length + (m.down?.text.length ?? 0);
  return n;
}

/** Whether sharing these sets between threads pays for starting the workers. */
export function worthSharing(sets: readonly MigrationSet[]): boolean {
  if (sets.length < 2) return false;
  const costs = sets.map(setCost);
  return costs.reduce((a, b) => a + b, 0) - Math.max(...costs) >= MIN_SHARED_WORK;
}

/** Job indexes, largest first (ties in discovery order), so no thread is left with a big set at the end. */
export function queueOrder(sets: readonly MigrationSet[]): number[] {
  const costs = sets.map(setCost);
  return sets.map((_, i) => i).sort((a, b) => costs[b]! - costs[a]! || a - b);
}

/** The built-in rules can be named to a worker; rules passed in by an API caller cannot. */
export function wireRules(rules: readonly ResolvedRule[]): WireJob["rules"] | undefined {
  const out: WireJob["rules"] = [];
  for (const r of rules) {
    if (allRules.find((b) => b.meta.id === r.rule.meta.id) !== r.rule) return undefined;
    out.push({ id: r.rule.meta.id, severity: r.severity, options: r.options });
  }
  return out;
}

function wireJob(job: AnalysisJob, rules: WireJob["rules"]): WireJob {
  const o = job.options;
  return {
    set: job.set,
    settings: o.settings,
    searchPath: o.searchPath,
    rules,
    ...(o.selected ? { selected: [...o.selected] } : {}),
    ...(o.unapplied ? { unapplied: [...o.unapplied] } : {}),
    ...(o.lint === undefined ? {} : { lint: o.lint }),
  };
}

export class AnalysisPool {
  stats: PoolStats = { byMain: [], byWorkers: [] };

  private constructor(private readonly slots: Slot[]) {}

  /** Resolves once every worker has loaded the parser and the rules; false when one failed to start. */
  async ready(): Promise<boolean> {
    return (await Promise.all(this.slots.map((s) => s.ready))).every(Boolean);
  }

  /** A pool of `count` workers: those started ahead (prestartWorkers), then new ones; none when `count` is 0. */
  static start(count: number): AnalysisPool | undefined {
    if (count <= 0) {
      discardPrestarted();
      return undefined;
    }
    const slots = takePrestarted(count);
    slots.push(...startWorkers(count - slots.length));
    return slots.length ? new AnalysisPool(slots) : undefined;
  }

  close(): void {
    for (const s of this.slots) {
      s.alive = false;
      void s.worker.terminate();
    }
  }

  /**
   * Analyses every job; resolves with the sets in job order. Sets come back as outcomes (see
   * `restoreSet`): what they leave out is analysed again, in this thread, when first read.
   * `onSet` is called as each set is done (in completion order).
   */
  async run(jobs: readonly AnalysisJob[], rules: WireJob["rules"], onSet?: (index: number) => void): Promise<AnalyzedSet[]> {
    const n = jobs.length;
    // Filled, not sparse: the scan for missing sets below must see every slot.
    const results: (AnalyzedSet | undefined)[] = Array.from({ length: n }, () => undefined);
    const next = new Int32Array(new SharedArrayBuffer(4));
    const owner = new Int32Array(new SharedArrayBuffer(4 * n));
    const order = queueOrder(jobs.map((j) => j.set));
    /** Sets a worker gave back (it failed on them): the main thread analyses them. */
    const handedBack = new Set<number>();
    let wake: (() => void) | undefined;
    const nudge = (): void => {
      const w = wake;
      wake = undefined;
      w?.();
    };

    this.stats = { byMain: [], byWorkers: [] };
    const store = (index: number, outcome: SetOutcome, byWorker: boolean): void => {
      if (results[index]) return;
      (byWorker ? this.stats.byWorkers : this.stats.byMain).push(index);
      const job = jobs[index]!;
      results[index] = restoreSet(job.set, outcome, () => analyzeSet(job.set, job.options));
      onSet?.(index);
    };
    const analyzeHere = (index: number): void => {
      if (results[index]) return;
      store(index, outcomeOf(analyzeSet(jobs[index]!.set, jobs[index]!.options)), false);
    };

    const wire = jobs.map((j) => wireJob(j, rules));
    this.slots.forEach((slot, i) => {
      slot.worker.ref();
      slot.worker.on("message", (m: FromWorker) => {
        // A failed set is analysed again here, so its error is thrown the way it is without workers.
        if (m.type === "result") store(m.index, m.outcome, true);
        else if (m.type === "failed") handedBack.add(m.index);
        nudge();
      });
      slot.worker.on("exit", nudge);
      slot.worker.on("error", nudge);
      const message: ToWorker = { type: "jobs", jobs: wire, order, next: next.buffer as SharedArrayBuffer, owner: owner.buffer as SharedArrayBuffer, id: WORKER_BASE + i };
      slot.worker.postMessage(message);
    });

    for (;;) {
      const k = Atomics.add(next, 0, 1);
      if (k >= n) break;
      const index = order[k]!;
      Atomics.store(owner, index, MAIN);
      analyzeHere(index);
      // Let the workers' results in between sets (progress, and memory: outcomes replace trees).
      await new Promise<void>((resolve) => setImmediate(resolve));
    }

    // The queue is empty: wait for the sets the workers took, and take back those of a dead worker.
    for (;;) {
      const missing = results.flatMap((r, i) => (r ? [] : [i]));
      if (!missing.length) break;
      const orphan = missing.find((i) => {
        if (handedBack.has(i)) return true;
        const who = Atomics.load(owner, i);
        return who < WORKER_BASE || !this.slots[who - WORKER_BASE]?.alive;
      });
      if (orphan !== undefined) {
        analyzeHere(orphan);
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
    for (const slot of this.slots) slot.worker.unref();
    return results as AnalyzedSet[];
  }
}

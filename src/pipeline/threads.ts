/**
 * Starting the analysis workers (see parallel.ts), kept free of the analysis modules so the command
 * line can start them before it loads those: a worker needs ~0.7 s to load the rules and compile the
 * parser, and that overlaps the main thread's own loading and file discovery only if it starts first.
 */
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import type * as WorkerThreads from "node:worker_threads";
import type { Worker } from "node:worker_threads";
import { lazyBuiltin } from "../lazy-builtin.js";

const workerThreads = lazyBuiltin<typeof WorkerThreads>("node:worker_threads");

/** Each worker holds its own parser and catalogs; past a few, memory grows faster than the speed-up. */
const MAX_WORKERS = 3;

/**
 * Worker threads for this run: the option, else `MIGRATION_LINT_WORKERS`, else one per core beyond two.
 * One core is left to V8 itself: a run in one thread already keeps a second core busy compiling
 * (TurboFan, the parser's WASM tier-up) and collecting garbage (the corpus: 4.3 s of CPU in 2.8 s).
 * On 2 cores a worker only competes with that: 2% faster on the corpus, 9% more CPU, 45 MB more memory.
 */
export function workerCount(option: number | undefined): number {
  const env = process.env["MIGRATION_LINT_WORKERS"];
  const wanted = option ?? (env !== undefined && env !== "" ? Number(env) : defaultWorkers(availableParallelism()));
  return Number.isInteger(wanted) && wanted > 0 ? wanted : 0;
}

export function defaultWorkers(cores: number): number {
  return Math.max(0, Math.min(MAX_WORKERS, cores - 2));
}

/** The first message a worker sends, once it has loaded the parser and the rules. */
export const READY = "ready";

export interface Slot {
  worker: Worker;
  alive: boolean;
  /** True once the worker is ready; false when it failed to start. */
  ready: Promise<boolean>;
}

/**
 * The worker's entry: the compiled `worker.js`; under the test runner, which runs the TypeScript
 * sources, a bootstrap that loads `worker.ts` through tsx (a dev dependency).
 */
function startWorker(): Worker | undefined {
  const js = new URL("./worker.js", import.meta.url);
  if (existsSync(fileURLToPath(js))) return new (workerThreads().Worker)(js);
  const ts = new URL("./worker.ts", import.meta.url);
  if (!existsSync(fileURLToPath(ts))) return undefined;
  // An eval'd worker resolves bare names from the working directory: the project's, under the test runner.
  return new (workerThreads().Worker)(`import("tsx/esm/api").then(({ tsImport }) => tsImport(${JSON.stringify(ts.href)}, ${JSON.stringify(import.meta.url)}))`, { eval: true });
}

/** Starts up to `count` workers (fewer when no worker entry is found). */
export function startWorkers(count: number): Slot[] {
  const slots: Slot[] = [];
  for (let i = 0; i < count; i++) {
    const worker = startWorker();
    if (!worker) break;
    // An idle worker must not keep the process alive (a pool holds them while it waits on them), nor
    // an error in one end the run.
    worker.unref();
    const ready = new Promise<boolean>((resolve) => {
      worker.on("message", (m: { type?: string }) => m.type === READY && resolve(true));
      worker.on("error", () => resolve(false));
      worker.on("exit", () => resolve(false));
    });
    const slot: Slot = { worker, alive: true, ready };
    worker.on("error", () => (slot.alive = false));
    worker.on("exit", () => (slot.alive = false));
    slots.push(slot);
  }
  return slots;
}

let prestarted: Slot[] = [];

/** Starts workers now for a pool made later in this process (`takePrestarted`). */
export function prestartWorkers(count: number): void {
  prestarted.push(...startWorkers(count));
}

/** The workers started ahead, at most `count` (the rest are stopped); the caller owns them. */
export function takePrestarted(count: number): Slot[] {
  const taken = prestarted.filter((s) => s.alive).slice(0, count);
  discardPrestarted(taken);
  return taken;
}

/** Stops the workers started ahead that no pool took. */
export function discardPrestarted(keep: readonly Slot[] = []): void {
  for (const s of prestarted) {
    if (keep.includes(s)) continue;
    s.alive = false;
    void s.worker.terminate();
  }
  prestarted = [];
}

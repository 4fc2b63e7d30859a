/**
 * A worker thread of `AnalysisPool` (see parallel.ts): it loads the parser and the rules, then takes
 * sets from the shared queue until it is empty, sending back each set's outcome.
 */
import { parentPort } from "node:worker_threads";
import { allRules } from "../../rules/index.js";
import type { ResolvedRule } from "../lint/engine.js";
import { loadParser } from "../parse/parse.js";
import { analyzeSet, type AnalyzeOptions } from "./analyze.js";
import { outcomeOf } from "./outcome.js";
import type { FromWorker, ToWorker, WireJob } from "./parallel.js";

const byId = new Map(allRules.map((r) => [r.meta.id, r]));
// The WASM parser compiles while the main thread is still discovering files.
const parser = loadParser();

function options(job: WireJob): AnalyzeOptions {
  const rules: ResolvedRule[] = job.rules.map((r) => ({ rule: byId.get(r.id)!, severity: r.severity, options: r.options }));
  return {
    settings: job.settings,
    searchPath: job.searchPath,
    rules,
    ...(job.selected ? { selected: new Set(job.selected) } : {}),
    ...(job.unapplied ? { unapplied: new Set(job.unapplied) } : {}),
    ...(job.lint === undefined ? {} : { lint: job.lint }),
  };
}

async function work(message: ToWorker): Promise<void> {
  await parser;
  const next = new Int32Array(message.next);
  const owner = new Int32Array(message.owner);
  for (;;) {
    const k = Atomics.add(next, 0, 1);
    if (k >= message.jobs.length) return;
    const index = message.order[k]!;
    Atomics.store(owner, index, message.id);
    let reply: FromWorker;
    try {
      const job = message.jobs[index]!;
      reply = { type: "result", index, outcome: outcomeOf(analyzeSet(job.set, options(job))) };
      parentPort!.postMessage(reply);
    } catch (error) {
      // The main thread analyses this set again; an error then surfaces there as it would without workers.
      reply = { type: "failed", index, message: (error as Error).message ?? String(error) };
      parentPort!.postMessage(reply);
    }
  }
}

parentPort?.once("message", (message: ToWorker) => {
  void work(message);
});
void parser.then(() => parentPort?.postMessage({ type: "ready" } satisfies FromWorker));

/**
 * Runs libpg-query's WASM on V8's baseline compiler only (`--liftoff-only`).
 *
 * By default V8 compiles a WASM module twice: Liftoff at once, then TurboFan in the background. A lint
 * run is over before the optimised code would pay off, and the process then waits 70–100 ms at exit
 * for that background compile (and holds ~40 MB for it). Measured on the corpus, output identical:
 * pre-commit 0.81×, whole corpus 0.88× (docs/performance.md). It is a V8 flag "for testing", so it is
 * guarded: only on the Node lines it was measured on, never when the user already chose WASM tiering
 * flags, and `MIGRATION_LINT_WASM_TIERING=1` turns it off (the default V8 tiering, for example to
 * compare, or should a Node release change the flag). It must run before libpg-query is imported.
 */
import v8 from "node:v8";

/** Node major versions whose V8 has `--liftoff-only` and where it was measured. */
const MEASURED_NODE_MAJORS = new Set([20, 22, 24]);

export const WASM_TIERING_ENV = "MIGRATION_LINT_WASM_TIERING";

export interface WasmTierDecision {
  liftoffOnly: boolean;
  /** Why not, when not. */
  reason?: string;
}

export function decideWasmTier(env: NodeJS.ProcessEnv = process.env, nodeVersion = process.versions.node, execArgv: readonly string[] = process.execArgv): WasmTierDecision {
  if (env[WASM_TIERING_ENV] === "1") return { liftoffOnly: false, reason: `${WASM_TIERING_ENV}=1` };
  const major = Number(nodeVersion.split(".")[0]);
  if (!MEASURED_NODE_MAJORS.has(major)) return { liftoffOnly: false, reason: `Node ${nodeVersion} is not one it was measured on` };
  const userFlags = [...execArgv, ...(env["NODE_OPTIONS"] ?? "").split(/\s+/)];
  if (userFlags.some((f) => /liftoff|turbofan|wasm-tier|wasm-dynamic-tiering/.test(f))) return { liftoffOnly: false, reason: "WASM tiering flags were given to node" };
  return { liftoffOnly: true };
}

let applied = false;

/** Sets the flag once, before the WASM parser is compiled; later calls do nothing. */
export function preferBaselineWasm(): WasmTierDecision {
  const decision = decideWasmTier();
  if (decision.liftoffOnly && !applied) {
    v8.setFlagsFromString("--liftoff-only");
    applied = true;
  }
  return decision;
}

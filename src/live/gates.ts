/**
 * What must be true before a rollback runs, each gate with the option that opens it. Pure: the command
 * prints the refusals (all of them, so one run tells the whole story) and stops when any is closed.
 */
import type { RollbackPlan } from "../history/rollback.js";
import { isDrift, type DriftReport } from "./drift.js";

export interface GateOptions {
  allowDrift: boolean;
  allowIrreversible: boolean;
  /** `--allow-lossy`, or a yes on a TTY after the lossy reasons were shown. */
  allowLossy: boolean;
}

export interface Refusal {
  gate: "drift" | "irreversible" | "lossy";
  message: string;
  details: string[];
}

export function refusals(plan: RollbackPlan, drift: DriftReport | undefined, options: GateOptions): Refusal[] {
  const out: Refusal[] = [];
  if (drift && isDrift(drift) && !options.allowDrift) {
    out.push({
      gate: "drift",
      message: `the live schema differs from the applied history in ${drift.differences.length} place${drift.differences.length === 1 ? "" : "s"} (--allow-drift runs anyway)`,
      details: drift.lines,
    });
  }
  const irreversible = plan.parts.filter((p) => p.class === "irreversible");
  if (irreversible.length && !options.allowIrreversible) {
    out.push({
      gate: "irreversible",
      message: `${irreversible.map((p) => p.migration.id).join(", ")} cannot be fully undone: the down leaves those changes in place (--allow-irreversible runs anyway)`,
      details: irreversible.flatMap((p) => p.reasons.map((r) => `${p.migration.id}: ${r}`)),
    });
  }
  const lossy = plan.parts.filter((p) => p.class === "lossy");
  if (lossy.length && !options.allowLossy) {
    out.push({
      gate: "lossy",
      message: `${lossy.map((p) => p.migration.id).join(", ")} dropped data that does not come back (--allow-lossy, or answer yes on a terminal)`,
      details: lossy.flatMap((p) => p.reasons.map((r) => `${p.migration.id}: ${r}`)),
    });
  }
  return out;
}

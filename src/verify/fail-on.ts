/**
 * `verify --fail-on`: which round-trip results fail the run, on the scale the lint command uses
 * (`irreversible` < `lossy` < `error`, `warning`; the default `error` fails on anything not exact).
 *
 * - `irreversible`: the migration cannot be rolled back at all: its down is missing, empty, or fails
 *   (and an up that fails cannot be judged).
 * - `lossy`: also a down that runs but does not give back the schema (`differs`), or leaves behind what
 *   the up creates (`reup-failed`).
 * - `error` / `warning`: also a column that comes back in another position.
 */
import { isUnverified, type VerifyStatus } from "./verify.js";

export type VerifyFailOn = "irreversible" | "lossy" | "warning" | "error";

const LEVEL: Record<VerifyStatus, 0 | 1 | 2 | 3> = {
  exact: 0,
  "no-down": 0,
  "code-up": 0,
  "exact-except-column-order": 1,
  differs: 2,
  "reup-failed": 2,
  "empty-down": 3,
  "missing-down": 3,
  "down-failed": 3,
  "up-failed": 3,
};

const THRESHOLD: Record<VerifyFailOn, 1 | 2 | 3> = { error: 1, warning: 1, lossy: 2, irreversible: 3 };

/** Does a migration with this result fail a run at `failOn`? */
export function failsAt(status: VerifyStatus, failOn: VerifyFailOn = "error"): boolean {
  return !isUnverified(status) && LEVEL[status] >= THRESHOLD[failOn];
}

/**
 * The rollback range on a live database: the newest N applied migrations, or every applied migration
 * after `--to`, as the journal lists them (never counted in files). Pure; `RangeError`s are for the user.
 */
import { findMigration } from "../history/find.js";
import { planRollbackOf, type DownSource, type RollbackPlan, type RollbackRange } from "../history/rollback.js";
import type { JournalEntry, JournalState } from "../layout/journal.js";
import type { AnalyzedSet } from "../pipeline/analyze.js";
import { appliedEntries } from "./status.js";

export interface AppliedRange {
  /** Newest first, with the journal rows they un-record. */
  entries: JournalEntry[];
  plan: RollbackPlan;
}

export function appliedRange(analyzed: AnalyzedSet, state: JournalState, range: RollbackRange, downs: DownSource, cwd: string): AppliedRange {
  const applied = appliedEntries(state);
  const failed = state.entries.filter((e) => e.state === "failed");
  if (failed.length) {
    throw new RangeError(
      `the journal marks ${failed.map((e) => e.migration?.id ?? e.recorded).join(", ")} as failed${failed[0]!.detail ? ` (${failed[0]!.detail})` : ""}: resolve that with the runner first`,
    );
  }
  let from: number;
  if ("steps" in range) {
    if (!Number.isInteger(range.steps) || range.steps < 1) throw new RangeError(`--steps must be a whole number of at least 1 (got ${range.steps})`);
    if (range.steps > applied.length) {
      throw new RangeError(`--steps ${range.steps}: the database has only ${applied.length} applied migration${applied.length === 1 ? "" : "s"} of ${analyzed.set.root}`);
    }
    from = applied.length - range.steps;
  } else {
    const target = findMigration([analyzed], range.to, cwd, "--to").migration;
    const index = applied.findIndex((e) => e.migration?.id === target.id);
    if (index < 0) throw new RangeError(`--to ${range.to}: ${target.id} is not applied in this database (see migration-lint status)`);
    from = index + 1;
  }
  const chosen = applied.slice(from).reverse();
  const gone = chosen.filter((e) => !e.migration);
  if (gone.length) {
    throw new RangeError(`cannot roll back ${gone.map((e) => e.recorded).join(", ")}: applied, but no file in ${analyzed.set.root} has it (no down can be planned)`);
  }
  const target = from > 0 ? applied[from - 1]!.migration : undefined;
  const plan = planRollbackOf(
    analyzed,
    chosen.map((e) => e.migration!.id),
    downs,
    target,
  );
  return { entries: chosen, plan };
}

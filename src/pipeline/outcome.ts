/**
 * What a set's analysis leaves for the report, the `--fix` writer and the lock checks: per linted
 * migration its down plan and findings. It is plain data, so a worker thread can send it back, and it
 * is small, so a run over many sets does not keep every set's catalogs and syntax trees alive.
 *
 * `restoreSet` turns an outcome back into an `AnalyzedSet`. The parts the outcome leaves out (syntax
 * trees, catalogs, transaction models, the plans of history that is only replayed) are computed again,
 * for the whole set at once, the first time one of them is read; the analysis is a pure function of
 * the set, so they are exactly what the first analysis had.
 */
import type { DownPlan } from "../invert/types.js";
import type { MigrationSet } from "../layout/types.js";
import type { Finding } from "../lint/types.js";
import type { AnalyzedMigration, AnalyzedSet } from "./analyze.js";

export interface LintedOutcome {
  plan: DownPlan;
  findings: Finding[];
}

/** Per migration of the set, in order: its outcome when it was linted, otherwise null. */
export interface SetOutcome {
  migrations: (LintedOutcome | null)[];
}

export function outcomeOf(analyzed: AnalyzedSet): SetOutcome {
  return { migrations: analyzed.migrations.map((m) => (m.linted ? { plan: m.plan, findings: m.findings } : null)) };
}

/** The parts an outcome leaves out. */
type HeavyField = "up" | "down" | "effective" | "catalogBefore" | "catalogAfter" | "transactions";

export function restoreSet(set: MigrationSet, outcome: SetOutcome, analyzeAgain: () => AnalyzedSet): AnalyzedSet {
  let again: AnalyzedSet | undefined;
  const full = (i: number): AnalyzedMigration => (again ??= analyzeAgain()).migrations[i]!;
  if (outcome.migrations.length !== set.migrations.length) throw new Error(`analysis outcome of ${set.root} has ${outcome.migrations.length} migrations, the set ${set.migrations.length}`);
  const migrations = set.migrations.map((migration, i): AnalyzedMigration => {
    const known = outcome.migrations[i] ?? null;
    // Fields a caller replaces (the lock checks add findings) keep the replacement.
    let plan = known?.plan;
    let findings = known?.findings ?? [];
    const overrides: Partial<Pick<AnalyzedMigration, HeavyField>> = {};
    const heavy = <K extends HeavyField>(key: K): AnalyzedMigration[K] => (key in overrides ? (overrides[key] as AnalyzedMigration[K]) : full(i)[key]);
    return {
      migration,
      linted: known !== null,
      get findings() {
        return findings;
      },
      set findings(value) {
        findings = value;
      },
      get plan() {
        return (plan ??= full(i).plan);
      },
      set plan(value) {
        plan = value;
      },
      get up() {
        return heavy("up");
      },
      set up(value) {
        overrides.up = value;
      },
      get down() {
        return heavy("down");
      },
      set down(value) {
        overrides.down = value;
      },
      get effective() {
        return heavy("effective");
      },
      set effective(value) {
        overrides.effective = value;
      },
      get catalogBefore() {
        return heavy("catalogBefore");
      },
      set catalogBefore(value) {
        overrides.catalogBefore = value;
      },
      get catalogAfter() {
        return heavy("catalogAfter");
      },
      set catalogAfter(value) {
        overrides.catalogAfter = value;
      },
      get transactions() {
        return heavy("transactions");
      },
      set transactions(value) {
        overrides.transactions = value;
      },
    };
  });
  return { set, migrations };
}

/**
 * Down planning entry point used by the pipeline. PLACEHOLDER: the down-generator owner replaces it.
 */
import type { Catalog } from "../catalog/types.js";
import type { Migration } from "../layout/types.js";
import type { Statement } from "../parse/types.js";
import type { DownPlan } from "./types.js";

export interface PlanInput {
  migration: Migration;
  /** The statements that run, in order (DO blocks replaced by their parsed bodies). */
  statements: readonly Statement[];
  /** The catalog just before each statement. */
  catalogAt(statement: Statement): Catalog;
  catalogAfter: Catalog;
}

export function planDown(input: PlanInput): DownPlan {
  const statements = input.statements.map((s) => ({
    source: { text: s.text, range: s.range, tag: s.tag },
    class: "irreversible" as const,
    reason: "the down generator is not implemented yet",
    inverse: [],
  }));
  return { migrationId: input.migration.id, class: statements.length ? "irreversible" : "reversible", statements, sql: "" };
}

/**
 * The down generator's output: for each forward statement, the inverse statements and how reversible
 * it is; for a migration, the ordered plan and its rendered down file.
 */
import type { Range } from "../parse/source.js";

export type Reversibility = "reversible" | "lossy" | "irreversible";

/** Worst first: a migration's class is its worst statement's class. */
export const REVERSIBILITY_ORDER: readonly Reversibility[] = ["reversible", "lossy", "irreversible"];

export function worstOf(classes: Iterable<Reversibility>): Reversibility {
  let worst = 0;
  for (const c of classes) worst = Math.max(worst, REVERSIBILITY_ORDER.indexOf(c));
  return REVERSIBILITY_ORDER[worst]!;
}

export interface InverseStatement {
  /** One SQL statement, without the trailing semicolon. */
  sql: string;
  /** False for statements PostgreSQL refuses inside a transaction block (DROP INDEX CONCURRENTLY, …). */
  transactional: boolean;
  /** A comment line put before the statement in the down file (why it is nullable, …). */
  comment?: string;
  /** The column part the statement restores, for ordering across statements (a default after its type). */
  about?: { table: string; column: string; aspect: "type" | "default" };
}

export interface StatementInverse {
  /** The forward statement's text and position. */
  source: { text: string; range: Range; tag: string };
  class: Reversibility;
  /** Why the class is lossy or irreversible (shown in the down header and by the rules). */
  reason?: string;
  /** The inverse statements, in the order they must run. */
  inverse: InverseStatement[];
  /** For irreversible statements: a commented-out recipe a human may adapt. */
  recipe?: string;
  /** Why it is irreversible, when a specific rule owns the case (`enum-add-value`, `transform-requires-shadow-column`). */
  cause?: IrreversibleCause;
}

export type IrreversibleCause = "enum-add-value" | "transform";

export interface DownPlan {
  migrationId: string;
  class: Reversibility;
  /** Per forward statement, in forward order. */
  statements: StatementInverse[];
  /** The down file as it would be written (header, BEGIN/COMMIT as the runner needs, statements). */
  sql: string;
  /** Why the plan misses part of the migration (its up does not parse, planning failed): never written by --fix. */
  incomplete?: string;
}

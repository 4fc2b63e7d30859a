/** What inverting one forward statement can look at, and what it produces. */
import type { Catalog } from "../catalog/types.js";
import type { Migration } from "../layout/types.js";
import type { Statement } from "../parse/types.js";
import type { InverseStatement, IrreversibleCause, Reversibility } from "./types.js";

export interface StatementStep {
  statement: Statement;
  /** The catalog just before / just after the statement. */
  before: Catalog;
  after: Catalog;
}

export interface InvertContext extends StatementStep {
  migration: Migration;
  /** The catalog before the migration: objects absent from it are new in this migration. */
  migrationBefore: Catalog;
  /**
   * The statements before this one that may have copied values, in order: the UPDATEs without a WHERE
   * (shadow columns) and the CREATE TABLE … AS (backup tables), the only ones data flow looks back at
   * (shadow.ts). Every earlier statement would make a data migration of UPDATEs quadratic.
   */
  earlier: readonly StatementStep[];
  searchPath: readonly string[];
  /** May the down use CONCURRENTLY? Only outside a runner's transaction. */
  concurrentAllowed: boolean;
}

export interface Inversion {
  class: Reversibility;
  reason?: string;
  inverse: InverseStatement[];
  recipe?: string;
  cause?: IrreversibleCause;
}

export function reversible(inverse: InverseStatement[]): Inversion {
  return { class: "reversible", inverse };
}

export const transactional = (sql: string, comment?: string): InverseStatement => ({ sql, transactional: true, ...(comment ? { comment } : {}) });

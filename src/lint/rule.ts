/**
 * `defineRule` and the context a rule's `check` receives: one migration, its parsed statements, the
 * catalog replayed up to it, its transaction model and its generated down plan. Rules are pure:
 * they read the context and call `report`; they never read files.
 */
import type { Catalog, ObjectKey } from "../catalog/types.js";
import type { DownPlan } from "../invert/types.js";
import type { Migration, MigrationSet } from "../layout/types.js";
import type { Range } from "../parse/source.js";
import type { ParsedSql, Statement } from "../parse/types.js";
import type { Fix, RuleMeta } from "./types.js";

export interface TransactionState {
  /** Does the statement run inside a transaction block (the runner's or an explicit BEGIN)? */
  inTransaction: boolean;
  /** The runner's wrapping, not an explicit BEGIN. */
  byRunner: boolean;
  /** Statements in the same transaction share this number. */
  block: number;
}

export interface Settings {
  /** Target PostgreSQL major version. */
  pgVersion: number;
  /** The runner (or the role) sets lock_timeout / statement_timeout; timeout rules stay quiet. */
  timeoutsSetByRunner: boolean;
}

export interface Report<M extends string = string> {
  messageId: M;
  /** The statement the finding is about; its range is used unless `range` is given. */
  statement?: Statement;
  range?: Range;
  /** Report in this file instead of the up (a down file, the journal). */
  path?: string;
  data?: Record<string, string | number>;
  fix?: Fix;
}

export interface RuleContext<M extends string = string> {
  readonly set: MigrationSet;
  readonly migration: Migration;
  readonly up: ParsedSql;
  readonly down?: ParsedSql;
  /** Top-level statements of the up. */
  readonly statements: readonly Statement[];
  /** The statements that run: DO blocks with a parsed body are replaced by their body's statements. */
  readonly effective: readonly Statement[];
  /** The catalog before the migration, and before / after a given statement (top-level or DO body). */
  readonly catalogBefore: Catalog;
  readonly catalogAfter: Catalog;
  /** The catalog after the up and then the existing hand-written down (absent without a down). */
  readonly catalogAfterDown?: Catalog;
  catalogAt(statement: Statement): Catalog;
  /**
   * True when the object is new to production: created earlier in this migration, or in a migration
   * not applied yet (`--since`), so lock rules do not apply to it.
   */
  isNew(key: ObjectKey): boolean;
  transactionOf(statement: Statement): TransactionState;
  readonly plan: DownPlan;
  readonly settings: Settings;
  /** This rule's options from the config (already validated against its schema when it has one). */
  readonly options: Readonly<Record<string, unknown>>;
  report(report: Report<M>): void;
}

export interface Rule<M extends string = string> {
  meta: RuleMeta<M>;
  check(ctx: RuleContext<M>): void;
}

export function defineRule<M extends string>(rule: Rule<M>): Rule<M> {
  return rule;
}

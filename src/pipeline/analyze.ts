/**
 * The pipeline for one migration set: parse each migration once, replay the history into the catalog
 * (one pass, immutable catalogs shared by reference), plan each migration's down from the catalog
 * before each statement, and run the rules on the migrations being linted. The downs of migrations
 * that are only replayed are planned (and their down files parsed) when first read.
 */
import { applyStatement, emptyCatalog, type ApplyContext } from "../catalog/replay.js";
import type { Catalog, ObjectKey } from "../catalog/types.js";
import { DownPlanner, planDown } from "../invert/plan.js";
import type { DownPlan } from "../invert/types.js";
import type { Migration, MigrationSet, SqlFile } from "../layout/types.js";
import { internalError, runRules, type ResolvedRule } from "../lint/engine.js";
import type { Settings, TransactionState } from "../lint/rule.js";
import { computeTransactions, type TransactionModel } from "../lint/transactions.js";
import type { Finding } from "../lint/types.js";
import { CHUNK_CHARS, parseSql, type StatementsSeen } from "../parse/parse.js";
import { SourceText } from "../parse/source.js";
import { boundHeapGrowth } from "./heap-growth.js";
import type { ParsedSql, Statement } from "../parse/types.js";

export interface AnalyzeOptions {
  settings: Settings;
  searchPath: readonly string[];
  rules: readonly ResolvedRule[];
  /** Migration ids to lint; undefined = every migration that is not history prelude. */
  selected?: ReadonlySet<string>;
  /** Migration ids not applied in production yet (`--since`): their objects count as new. */
  unapplied?: ReadonlySet<string>;
  /** Skip the rules (down generation only). */
  lint?: boolean;
}

export interface AnalyzedMigration {
  migration: Migration;
  up: ParsedSql;
  down?: ParsedSql;
  /** The statements that run: DO blocks with a parsed body replaced by their body. */
  effective: Statement[];
  catalogBefore: Catalog;
  catalogAfter: Catalog;
  plan: DownPlan;
  transactions: TransactionModel;
  linted: boolean;
  findings: Finding[];
}

export interface AnalyzedSet {
  set: MigrationSet;
  migrations: AnalyzedMigration[];
}

/** `onStatements` sees each chunk's statements while their syntax trees are alive (parseSql). */
export function parseFile(file: SqlFile, onStatements?: StatementsSeen): ParsedSql {
  if (file.text.length > CHUNK_CHARS) boundHeapGrowth();
  const source = new SourceText(file.text, file.path, file.origin);
  const parsed = parseSql(source, file.regions, undefined, undefined, onStatements);
  // A module that does not parse as TypeScript/JavaScript: its errors point into the module.
  for (const e of file.origin?.errors ?? []) {
    const at = source.origin!.source.positionAtIndex(e.index);
    parsed.syntaxErrors.push({ message: e.message, position: { offset: 0, line: at.line, column: at.column } });
  }
  return parsed;
}

/** DO blocks whose body was parsed are represented by the statements inside them. */
export function effectiveStatements(statements: readonly Statement[]): Statement[] {
  const out: Statement[] = [];
  for (const s of statements) {
    if (s.body && s.body.length) out.push(...s.body);
    else out.push(s);
  }
  return out;
}

export function analyzeSet(set: MigrationSet, options: AnalyzeOptions): AnalyzedSet {
  return { set, migrations: analyzeMigrations(set, options, 0, emptyCatalog()) };
}

/**
 * The analysis of the migrations from `first` on, given the catalog before it (a cached history
 * prefix, src/pipeline/prefix-cache.ts; the empty catalog at 0). The migrations before `first` must be
 * neither linted nor unapplied: only their catalog is known.
 */
export function analyzeMigrations(set: MigrationSet, options: AnalyzeOptions, first: number, start: Catalog): AnalyzedMigration[] {
  let catalog = start;
  // Objects that existed before the first unapplied migration are "old" for the lock rules.
  let baseline: Catalog | undefined;
  const migrations: AnalyzedMigration[] = [];
  for (let index = first; index < set.migrations.length; index++) {
    const migration = set.migrations[index]!;
    const ctx: ApplyContext = { migrationId: migration.id, path: migration.up.path, searchPath: options.searchPath };
    const catalogBefore = catalog;
    if (!baseline && options.unapplied?.has(migration.id)) baseline = catalogBefore;
    const before = new Map<Statement, Catalog>();
    const internal: string[] = [];
    const linted = lintsMigration(migration, options);
    // The replay, and the down planner of a migration being linted, read each statement as its chunk is
    // parsed: a large file's trees are dropped after their chunk, and each later read parsed it again.
    const planner = linted ? new DownPlanner(migration, catalogBefore, options.searchPath) : undefined;
    let plannerFailed: { error: unknown } | undefined;
    const up = parseFile(migration.up, (statements) => {
      for (const s of effectiveStatements(statements)) {
        const at = catalog;
        before.set(s, at);
        catalog = safeApply(catalog, s, ctx, internal);
        if (planner && !plannerFailed) {
          try {
            planner.add(s, at, catalog);
          } catch (error) {
            plannerFailed = { error };
          }
        }
      }
    });
    const effective = effectiveStatements(up.statements);
    const catalogAfter = catalog;
    const catalogAt = (s: Statement): Catalog => before.get(s) ?? before.get(s.body?.[0] as Statement) ?? catalogBefore;
    // A code-only up (concourse's Go migrations) only contributes its SQL down.
    const codeUp = migration.external === "up";
    // History that is only replayed (the pre-commit hook lints one migration after hundreds) needs its
    // catalog, not its down plan, down file or transaction model: those are computed when first read.
    const lazyDown = once(() => (migration.down ? parseFile(migration.down) : undefined));
    const lazyPlan = once(() => {
      const plan = safePlan(
        migration.id,
        () => {
          if (plannerFailed) throw plannerFailed.error;
          return planner ? planner.finish(catalogAfter) : planDown({ migration, statements: effective, catalogAt, catalogAfter, searchPath: options.searchPath });
        },
        internal,
      );
      // Planned from the statements that parsed: the rest of the up has no inverse in it.
      if (up.tooLarge && !plan.incomplete) return { ...plan, incomplete: "the up is too large to parse" };
      if (up.syntaxErrors.length && !plan.incomplete) return { ...plan, incomplete: "the up does not parse" };
      // SQL built at run time (a TypeScript migration's interpolation, loop, builder call) is unknown to
      // the catalog: the down cannot cover it, so the migration is never reversible by accident.
      const dynamic = migration.up.dynamic?.length;
      if (dynamic && !plan.incomplete) return { ...plan, class: "irreversible" as const, incomplete: `the up has SQL built at run time (${dynamic} dynamic-sql)` };
      return plan;
    });
    const lazyTransactions = once(() => computeTransactions(up.statements, migration));
    const analyzed: AnalyzedMigration = {
      migration,
      up,
      get down() {
        return lazyDown.get();
      },
      set down(value) {
        lazyDown.set(value);
      },
      effective,
      catalogBefore,
      catalogAfter,
      get plan() {
        return lazyPlan.get();
      },
      set plan(value) {
        lazyPlan.set(value);
      },
      get transactions() {
        return lazyTransactions.get();
      },
      set transactions(value) {
        lazyTransactions.set(value);
      },
      linted,
      findings: [],
    };
    if (linted) {
      // Same order as always: the plan's internal errors are reported before the down's replay's.
      const plan = lazyPlan.get();
      const down = analyzed.down;
      const transactions = analyzed.transactions;
      let catalogAfterDown: Catalog | undefined;
      if (down) {
        catalogAfterDown = catalogAfter;
        const downCtx: ApplyContext = { ...ctx, path: migration.down!.path };
        for (const s of effectiveStatements(down.statements)) catalogAfterDown = safeApply(catalogAfterDown, s, downCtx, internal);
      }
      const oldWorld = baseline ?? catalogBefore;
      const notInTransaction: TransactionState = { inTransaction: false, byRunner: false, block: -1 };
      analyzed.findings = runRules(
        {
          set,
          migration,
          up,
          down,
          statements: up.statements,
          effective,
          catalogBefore,
          catalogAfter,
          catalogAfterDown,
          catalogAt,
          isNew: (key: ObjectKey) => !existsIn(oldWorld, key),
          transactionOf: (s: Statement) => transactions.states.get(s) ?? notInTransaction,
          plan,
          settings: options.settings,
        },
        options.rules,
      ).filter((f) => !codeUp || f.path !== migration.up.path);
      for (const message of internal) analyzed.findings.push(internalError({ migration }, message));
    }
    migrations.push(analyzed);
  }
  return migrations;
}

/** Whether the rules run on this migration (the others are history: replayed only). */
export function lintsMigration(migration: Migration, options: AnalyzeOptions): boolean {
  return options.lint !== false && !migration.prelude && (!options.selected || options.selected.has(migration.id));
}

/** A value computed on first read (and replaceable, as a plain field would be). */
interface Once<T> {
  get(): T;
  set(value: T): void;
}

function once<T>(compute: () => T): Once<T> {
  let state: { value: T } | undefined;
  return {
    get: () => (state ??= { value: compute() }).value,
    set: (value) => {
      state = { value };
    },
  };
}

/** The replay and the planner must not take the run down with them: a failure is recorded instead. */
function safeApply(catalog: Catalog, statement: Statement, ctx: ApplyContext, internal: string[]): Catalog {
  try {
    return applyStatement(catalog, statement, ctx);
  } catch (error) {
    internal.push(`replaying line ${statement.range.start.line} failed: ${(error as Error).message}`);
    return catalog;
  }
}

function safePlan(migrationId: string, plan: () => DownPlan, internal: string[]): DownPlan {
  try {
    return plan();
  } catch (error) {
    internal.push(`planning the down failed: ${(error as Error).message}`);
    return { migrationId, class: "irreversible", statements: [], sql: "", incomplete: "planning the down failed (an internal error)" };
  }
}

function existsIn(catalog: Catalog, key: ObjectKey): boolean {
  return (
    catalog.tables.has(key) ||
    catalog.indexes.has(key) ||
    catalog.views.has(key) ||
    catalog.sequences.has(key) ||
    catalog.types.has(key)
  );
}

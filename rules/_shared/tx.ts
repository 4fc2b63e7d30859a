/**
 * Transaction facts shared by the transaction rules: which statements PostgreSQL refuses to run in a
 * transaction block, how to say why a statement is in one (the runner, BEGIN, an implicit block), and
 * how each runner lets a migration run outside a transaction.
 */
import type { RuleContext } from "../../src/lint/rule.js";
import { transactionModeOf } from "../../src/lint/transactions.js";
import { asNode } from "../../src/parse/ast.js";
import type { Statement } from "../../src/parse/types.js";
import { alterTable } from "./sql.js";

/** What the statement is, when PostgreSQL refuses to run it inside a transaction block or a function. */
export function nonTransactional(stmt: Statement): string | undefined {
  const n = stmt.node;
  const index = asNode(n, "IndexStmt");
  if (index?.concurrent) return "CREATE INDEX CONCURRENTLY";
  const drop = asNode(n, "DropStmt");
  if (drop?.concurrent) return "DROP INDEX CONCURRENTLY";
  if (drop?.removeType === "OBJECT_DATABASE") return "DROP DATABASE";
  if (drop?.removeType === "OBJECT_TABLESPACE") return "DROP TABLESPACE";
  const reindex = asNode(n, "ReindexStmt");
  if (reindex && (reindex.params ?? []).some((p) => asNode(p, "DefElem")?.defname === "concurrently")) return "REINDEX CONCURRENTLY";
  if (reindex && (reindex.kind === "REINDEX_OBJECT_SYSTEM" || reindex.kind === "REINDEX_OBJECT_DATABASE" || reindex.kind === "REINDEX_OBJECT_SCHEMA")) return `REINDEX ${reindex.kind.slice("REINDEX_OBJECT_".length)}`;
  const alter = alterTable(stmt);
  if (alter?.cmds.some((c) => c.subtype === "AT_DetachPartition" && asNode(c.def, "PartitionCmd")?.concurrent)) return "DETACH PARTITION CONCURRENTLY";
  const vacuum = asNode(n, "VacuumStmt");
  if (vacuum?.is_vacuumcmd) return "VACUUM";
  if (stmt.tag === "CreatedbStmt") return "CREATE DATABASE";
  if (stmt.tag === "AlterSystemStmt") return "ALTER SYSTEM";
  if (stmt.tag === "CreateTableSpaceStmt") return "CREATE TABLESPACE";
  return undefined;
}

export function isTransactionControl(stmt: Statement): boolean {
  return stmt.tag === "TransactionStmt";
}

type Ctx = Pick<RuleContext, "migration" | "statements" | "transactionOf" | "set">;

/** Why `stmt` runs inside a transaction block, for messages ("the runner wraps …", "BEGIN on line 3"). */
export function whyInTransaction(ctx: Ctx, stmt: Statement): string {
  const state = ctx.transactionOf(stmt);
  if (state.byRunner) {
    const mode = transactionModeOf(ctx.migration);
    if (mode === "single-query") return "the runner sends this file as one query, which PostgreSQL runs as one implicit transaction";
    if (mode === "all-pending") return "the runner runs all pending migrations in one transaction";
    return `the runner wraps this migration in a transaction (${ctx.migration.transactionReason})`;
  }
  const top = ctx.statements[stmt.index];
  let begin: Statement | undefined;
  for (const s of ctx.statements) {
    if (s === top) break;
    const kind = asNode(s.node, "TransactionStmt")?.kind;
    if (kind === "TRANS_STMT_BEGIN" || kind === "TRANS_STMT_START") begin = s;
  }
  return begin ? `it follows BEGIN on line ${begin.range.start.line}` : "it runs in a transaction block";
}

/** How to make this migration run outside a transaction, for the layout at hand. */
export function outsideTransactionHint(ctx: Pick<RuleContext, "set" | "migration">): string {
  const mode = transactionModeOf(ctx.migration);
  switch (ctx.set.layout) {
    case "diesel":
      return "give it its own migration with `run_in_transaction = false` in that migration's metadata.toml";
    case "pop":
      return "give it its own migration named `….autocommit.up.sql`, which pop runs outside a transaction";
    case "dbmate":
      return "give it its own migration with `-- migrate:up transaction:false`";
    case "flyway":
      return "give it its own migration with `executeInTransaction=false` in the script's .conf file";
    case "sqlx":
      return "give it its own migration whose first line is `-- no-transaction`";
    case "drizzle":
      return "drizzle runs every pending migration in one transaction: run this statement outside drizzle (a separate script)";
    default:
      if (mode === "single-query") return "make it the only statement of its own migration file: a one-statement query runs outside any transaction block";
      return "give it its own migration that the runner does not wrap in a transaction";
  }
}

/**
 * Where a CONCURRENTLY statement has to go, for the help of the rules that ask for one: nothing to
 * add when the statement already runs outside a transaction, the runner's way out otherwise.
 */
export function concurrentlyWhere(ctx: Ctx, stmt: Statement): string {
  if (!ctx.transactionOf(stmt).inTransaction && !stmt.guard) return "";
  return `; it cannot run in a transaction block, and ${whyInTransaction(ctx, stmt)}: ${outsideTransactionHint(ctx)}`;
}

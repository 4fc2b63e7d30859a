/**
 * Which statements of a migration run inside a transaction block. The runner's behaviour comes from
 * the layout (never guessed from the file); explicit BEGIN / COMMIT / ROLLBACK in the file open and
 * close blocks on top of it, the way PostgreSQL itself treats them:
 *
 * - `per-migration` / `all-pending`: the runner opened a transaction before the first statement. A
 *   BEGIN inside it is ignored with a WARNING, and a COMMIT ends the runner's transaction early, so the
 *   rest of the file runs in autocommit.
 * - `single-query`: the runner sends the file as one simple-protocol query. PostgreSQL runs a string
 *   of several statements as one implicit transaction block (so CREATE INDEX CONCURRENTLY fails in
 *   it) and a string of one statement outside any block. BEGIN turns the implicit block into an
 *   explicit one without a warning; COMMIT ends it, and the statements after it start a new implicit
 *   block.
 * - `per-statement`: autocommit; only explicit BEGIN opens a block.
 */
import type { Migration, TransactionMode } from "../layout/types.js";
import { asNode } from "../parse/ast.js";
import type { Statement } from "../parse/types.js";
import type { TransactionState } from "./rule.js";

export type TransactionEvent =
  | { kind: "begin-nested"; statement: Statement; byRunner: boolean }
  | { kind: "commit-without-begin"; statement: Statement }
  | { kind: "commit-ends-runner-transaction"; statement: Statement }
  | { kind: "unclosed"; statement: Statement };

export interface TransactionModel {
  states: Map<Statement, TransactionState>;
  events: TransactionEvent[];
  mode: TransactionMode;
}

type Control = "begin" | "end" | "other";

export function transactionControl(statement: Statement): Control {
  const kind = asNode(statement.node, "TransactionStmt")?.kind;
  if (kind === "TRANS_STMT_BEGIN" || kind === "TRANS_STMT_START") return "begin";
  if (kind === "TRANS_STMT_COMMIT" || kind === "TRANS_STMT_ROLLBACK" || kind === "TRANS_STMT_PREPARE") return "end";
  return "other";
}

/** The runner's transaction mode: the layout's, or derived from the plain `transactional` flag. */
export function transactionModeOf(runner: boolean | Pick<Migration, "transactional" | "transactionMode">): TransactionMode {
  if (typeof runner === "boolean") return runner ? "per-migration" : "per-statement";
  return runner.transactionMode ?? (runner.transactional ? "per-migration" : "per-statement");
}

/**
 * `statements` are the top-level statements in order; DO-body statements get their DO's state.
 * `runner` is the migration (its `transactionMode`, else `transactional`) or just the flag.
 */
export function computeTransactions(
  statements: readonly Statement[],
  runner: boolean | Pick<Migration, "transactional" | "transactionMode">,
): TransactionModel {
  const mode = transactionModeOf(runner);
  const states = new Map<Statement, TransactionState>();
  const events: TransactionEvent[] = [];
  const runnerWraps = mode === "per-migration" || mode === "all-pending";
  // A single-query file of one statement runs outside any block; of several, inside an implicit one.
  const implicit = mode === "single-query" && statements.length > 1;
  let open = runnerWraps || implicit;
  /** The open block is the runner's (or the implicit one), not an explicit BEGIN. */
  let byRunner = open;
  let block = open ? 1 : 0;
  let opener: Statement | undefined;
  let last: TransactionState | undefined;
  for (const s of statements) {
    const control = transactionControl(s);
    if (control === "begin") {
      if (open && byRunner && implicit) {
        // BEGIN inside an implicit block makes it explicit (no warning); the statements so far belong to it.
        byRunner = false;
        opener = s;
      } else if (open) events.push({ kind: "begin-nested", statement: s, byRunner });
      else {
        open = true;
        byRunner = false;
        block++;
        opener = s;
      }
    }
    // Consecutive statements of one block share one state: a data migration's 500,000 INSERTs hold one.
    const blockOf = open ? block : -1;
    const state: TransactionState =
      last && last.inTransaction === open && last.byRunner === (open && byRunner) && last.block === blockOf ? last : { inTransaction: open, byRunner: open && byRunner, block: blockOf };
    last = state;
    states.set(s, state);
    for (const inner of s.body ?? []) states.set(inner, state);
    if (control === "end") {
      if (!open) events.push({ kind: "commit-without-begin", statement: s });
      else if (byRunner && !implicit) events.push({ kind: "commit-ends-runner-transaction", statement: s });
      open = false;
      byRunner = false;
      opener = undefined;
      if (implicit && s !== statements[statements.length - 1]) {
        // The rest of the query string runs in a new implicit block.
        open = true;
        byRunner = true;
        block++;
      }
    }
  }
  if (open && !byRunner && opener) events.push({ kind: "unclosed", statement: opener });
  return { states, events, mode };
}

/**
 * Which statements of a migration run inside a transaction block. The runner's wrapping comes from
 * the layout (never guessed from the file); explicit BEGIN / COMMIT / ROLLBACK in the file open and
 * close blocks on top of it, the way PostgreSQL itself would treat them.
 */
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
}

type Control = "begin" | "end" | "other";

export function transactionControl(statement: Statement): Control {
  const kind = asNode(statement.node, "TransactionStmt")?.kind;
  if (kind === "TRANS_STMT_BEGIN" || kind === "TRANS_STMT_START") return "begin";
  if (kind === "TRANS_STMT_COMMIT" || kind === "TRANS_STMT_ROLLBACK" || kind === "TRANS_STMT_PREPARE") return "end";
  return "other";
}

/**
 * `statements` are the top-level statements in order; DO-body statements inherit their DO's state
 * (the caller looks them up through the DO statement).
 */
export function computeTransactions(statements: readonly Statement[], runnerWraps: boolean): TransactionModel {
  const states = new Map<Statement, TransactionState>();
  const events: TransactionEvent[] = [];
  let open = runnerWraps;
  let byRunner = runnerWraps;
  let block = 0;
  let opener: Statement | undefined;
  for (const s of statements) {
    const control = transactionControl(s);
    if (control === "begin") {
      if (open) events.push({ kind: "begin-nested", statement: s, byRunner });
      else {
        open = true;
        byRunner = false;
        block++;
        opener = s;
      }
    }
    states.set(s, { inTransaction: open, byRunner: open && byRunner, block: open ? block : -1 });
    for (const inner of s.body ?? []) states.set(inner, states.get(s)!);
    if (control === "end") {
      if (!open) events.push({ kind: "commit-without-begin", statement: s });
      else if (byRunner) events.push({ kind: "commit-ends-runner-transaction", statement: s });
      open = false;
      byRunner = false;
      opener = undefined;
    }
  }
  if (open && !byRunner && opener) events.push({ kind: "unclosed", statement: opener });
  return { states, events };
}

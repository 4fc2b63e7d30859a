import { defineRule } from "../src/lint/rule.js";
import type { Statement } from "../src/parse/types.js";
import { blocksWrites, effectOf, type LockOn } from "./_shared/locks.js";
import { display } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "statement-after-access-exclusive",
    description: "Slow work (a scan, an index build, a rewrite, a data change, a lock on another table) after an ACCESS EXCLUSIVE lock in the same transaction, which keeps the table blocked meanwhile.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      slowWork: "{{table}} has been locked ACCESS EXCLUSIVE since line {{line}}, and this statement {{reason}} in the same transaction: every read and write of {{table}} waits until it commits.",
      anotherLock:
        "{{table}} has been locked ACCESS EXCLUSIVE since line {{line}}, and this statement waits to lock {{other}} in {{mode}} mode in the same transaction: while it waits, every query on {{table}} waits too.",
    },
    help: {
      slowWork: "Commit right after the statement that takes the ACCESS EXCLUSIVE lock (put the slow step in its own migration), or do the slow step first.",
      anotherLock: "Lock one table per transaction: split the migration, or take the locks in a consistent order with a short lock_timeout.",
    },
    docs: {
      rationale:
        "Locks are held until the transaction ends. Once a statement has taken an ACCESS EXCLUSIVE lock (ADD COLUMN, SET DEFAULT, a rename…), the table is unreadable until COMMIT, however quick that statement was. Anything slow after it in the same transaction (an index build, a constraint validation, a backfill, a rewrite) or any wait for another table's lock extends the outage to its full length.\n\nCheap catalog-only changes after the lock are fine and not flagged. The transaction boundaries come from the runner's layout and explicit BEGIN/COMMIT, and tables created in the same migration are not counted.",
      bad: "ALTER TABLE orders ADD COLUMN shipped_at timestamptz;\nCREATE INDEX orders_shipped_at_idx ON orders (shipped_at);",
      good: "ALTER TABLE orders ADD COLUMN shipped_at timestamptz;\nALTER TABLE orders ADD COLUMN shipped_by bigint;",
      peers: { eugene: ["E4"], strong_migrations: ["validate_foreign_key", "validate_check_constraint"], pgfence: ["statement-after-access-exclusive", "wide-lock-window"] },
    },
  },
  check(ctx) {
    const holders = new Map<number, { statement: Statement; lock: LockOn }>();
    const reported = new Set<number>();
    for (const stmt of ctx.effective) {
      const state = ctx.transactionOf(stmt);
      if (!state.inTransaction || reported.has(state.block)) continue;
      const effect = effectOf(ctx, stmt);
      const holder = holders.get(state.block);
      if (holder) {
        const same = (l: LockOn): boolean => l.name.name === holder.lock.name.name && (l.name.schema ?? "") === (holder.lock.name.schema ?? "");
        const existing = effect.locks.filter((l) => !l.isNew);
        const data = { table: display(holder.lock.name), line: holder.statement.range.start.line };
        if (effect.work !== "instant" && existing.length && effect.reason) {
          ctx.report({ messageId: "slowWork", statement: stmt, data: { ...data, reason: effect.reason } });
          reported.add(state.block);
          continue;
        }
        const other = existing.find((l) => !same(l) && blocksWrites(l.mode));
        if (other) {
          ctx.report({ messageId: "anotherLock", statement: stmt, data: { ...data, mode: other.mode, other: display(other.name) } });
          reported.add(state.block);
          continue;
        }
      }
      if (!holder) {
        const lock = effect.locks.find((l) => !l.isNew && l.mode === "ACCESS EXCLUSIVE");
        if (lock) holders.set(state.block, { statement: stmt, lock });
      }
    }
  },
});

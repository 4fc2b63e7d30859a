/**
 * Advisory locks held for the whole rollback, on the rollback's own connection (session locks, released
 * when it ends or the connection closes): migration-lint's own key, so two rollbacks never run at once,
 * and the runner's key where it takes one, so the runner cannot migrate meanwhile. Taken with
 * `pg_try_advisory_lock` polled until the wait limit: a busy lock ends in a clear message naming who holds
 * it, never in a rollback queued indefinitely.
 */
import type { JournalLocation, RunnerJournal, SqlClient } from "../layout/journal.js";

/** migration-lint's own key: the bytes of "mlrbk" (no runner uses it). */
export const ROLLBACK_LOCK_KEY = 0x6d6c72626bn;

export interface HeldLock {
  key: bigint;
  /** Whose key it is, for messages: `migration-lint`, `prisma (prisma-engines flavour/postgres.rs)`. */
  owner: string;
}

export class LockBusyError extends Error {}

function signed(key: bigint): string {
  return BigInt.asIntN(64, key).toString();
}

/** Who holds an advisory lock on `key` in this database (pid, application, state), for the message. */
async function holders(client: SqlClient, key: bigint): Promise<string> {
  const k = BigInt.asUintN(64, key);
  const rows = await client.query<{ pid: number; app: string | null; state: string | null }>(
    `SELECT l.pid, a.application_name AS app, a.state FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid = $1 AND l.objid = $2 AND l.objsubid = 1`,
    [Number(k >> 32n), Number(k & 0xffffffffn)],
  );
  return rows.map((r) => `pid ${r.pid}${r.app ? ` (${r.app}${r.state ? `, ${r.state}` : ""})` : ""}`).join(", ") || "another session";
}

export function locksFor(journal: RunnerJournal, database: string, location: JournalLocation): HeldLock[] {
  const locks: HeldLock[] = [{ key: ROLLBACK_LOCK_KEY, owner: "migration-lint" }];
  if (journal.lock) locks.push({ key: journal.lock.key(database, location), owner: `${journal.runner} (${journal.lock.source})` });
  return locks;
}

/** Takes every lock or none: on a timeout the ones already taken are released. */
export async function takeLocks(client: SqlClient, locks: readonly HeldLock[], waitMs: number, pollMs = 200): Promise<void> {
  const taken: HeldLock[] = [];
  const deadline = Date.now() + waitMs;
  try {
    for (const lock of locks) {
      for (;;) {
        const [row] = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS ok", [signed(lock.key)]);
        if (row?.ok) break;
        if (Date.now() >= deadline) {
          throw new LockBusyError(
            `the ${lock.owner} advisory lock (key ${signed(lock.key)}) is held by ${await holders(client, lock.key)}: waited ${Math.round(waitMs / 1000)}s (--lock-wait); nothing was rolled back`,
          );
        }
        await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(1, deadline - Date.now()))));
      }
      taken.push(lock);
    }
  } catch (error) {
    await releaseLocks(client, taken);
    throw error;
  }
}

export async function releaseLocks(client: SqlClient, locks: readonly HeldLock[]): Promise<void> {
  for (const lock of locks) await client.query("SELECT pg_advisory_unlock($1::bigint)", [signed(lock.key)]).catch(() => undefined);
}

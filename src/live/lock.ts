/**
 * Advisory locks held for the whole rollback, on the rollback's own connection (session locks, released
 * when it ends or the connection closes): migration-lint's own key, so two rollbacks never run at once,
 * and the runner's key where it takes one, so the runner cannot migrate meanwhile. Taken with
 * `pg_try_advisory_lock` polled until the wait limit: a busy lock ends in a clear message naming who holds
 * it, never in a rollback queued indefinitely.
 *
 * A runner that locks with a row instead of a key (knex's `<table>_lock.is_locked`) gets its row set the
 * way it sets it itself, for the same span: its own migrate then fails with its "already locked" error.
 */
import type { JournalLocation, RunnerJournal, SqlClient, Statement } from "../layout/journal.js";
import { tableExists } from "../layout/journal-support.js";

/** migration-lint's own key: the bytes of "mlrbk" (no runner uses it). */
export const ROLLBACK_LOCK_KEY = 0x6d6c72626bn;

export interface HeldLock {
  key: bigint;
  /** Whose key it is, for messages: `migration-lint`, `prisma (prisma-engines flavour/postgres.rs)`. */
  owner: string;
  /** Set for a runner's lock row: taken and released with these statements instead of the advisory key. */
  row?: { table: JournalLocation; take: Statement; release: Statement };
  /** Set for a runner's table lock: probed here, taken by the executor in each part's transaction. */
  table?: { table: JournalLocation; statement: Statement };
}

/** The lock as `--dry-run` and the report list it. */
export function describeLock(lock: HeldLock): string {
  if (lock.row) return `${lock.owner}: ${lock.row.take.text}`;
  if (lock.table) return `${lock.owner}: ${lock.table.statement.text} (first in each part's transaction)`;
  return `${lock.owner}: pg_advisory_lock(${BigInt.asIntN(64, lock.key)})`;
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
  if (journal.rowLock) {
    const r = journal.rowLock;
    locks.push({ key: 0n, owner: `${journal.runner} (${r.source})`, row: { table: r.table(location), take: r.takeSql(location), release: r.releaseSql(location) } });
  }
  if (journal.tableLock) {
    locks.push({ key: 0n, owner: `${journal.runner} (${journal.tableLock.source})`, table: { table: location, statement: journal.tableLock.statement(location) } });
  }
  return locks;
}

/** SQLSTATE 55P03: lock_timeout ran out (the runner's transaction holds the lock row). */
const LOCK_NOT_AVAILABLE = "55P03";

/**
 * One try at a lock row, committed at once as the runner commits its own: true when taken. The wait for
 * the row itself (a runner's open transaction holding it) is bounded by what is left of the wait limit.
 */
async function tryRow(client: SqlClient, row: NonNullable<HeldLock["row"]>, leftMs: number): Promise<boolean> {
  await client.query("BEGIN");
  try {
    await client.query(`SET LOCAL lock_timeout = '${Math.max(1, Math.round(leftMs))}ms'`);
    const taken = (await client.query(row.take.text, row.take.params)).length > 0;
    await client.query("COMMIT");
    return taken;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => undefined);
    if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) return false;
    throw error;
  }
}

/** Who holds a lock on the table (pid, application, state), for the message. */
async function tableHolders(client: SqlClient, table: JournalLocation): Promise<string> {
  const rows = await client.query<{ pid: number; app: string | null; state: string | null; mode: string }>(
    `SELECT l.pid, a.application_name AS app, a.state, l.mode FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'relation' AND l.granted AND l.pid <> pg_backend_pid()
        AND l.relation = (SELECT c.oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = $1 AND c.relname = $2)`,
    [table.schema, table.table],
  );
  return rows.map((r) => `pid ${r.pid}${r.app ? ` (${r.app}${r.state ? `, ${r.state}` : ""})` : ""} in ${r.mode}`).join(", ") || "another session";
}

/**
 * Runs a read (`status`'s journal read) that waits at most `waitMs` for a lock on the journal table: a
 * runner that locks its table while it migrates (authelia's LOCK TABLE … ACCESS EXCLUSIVE) blocks even a
 * SELECT of it, and a status must not hang for the length of someone's migration. The read takes no
 * lock stronger than the SELECT's own; on a timeout the message names who holds the table.
 */
export async function readWithin<T>(client: SqlClient, table: JournalLocation, waitMs: number, read: () => Promise<T>, runner: string): Promise<T> {
  await client.query(`SET lock_timeout = '${Math.max(1, Math.round(waitMs))}ms'`);
  try {
    return await read();
  } catch (error) {
    if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw error;
    const by = await tableHolders(client, table);
    throw new LockBusyError(`the ${runner} journal ${table.schema}.${table.table} is locked by ${by} (a migration is running?): waited ${Math.round(waitMs / 1000)}s (--lock-wait); try again when it is done`);
  } finally {
    await client.query("RESET lock_timeout").catch(() => undefined);
  }
}

/** One probe of a table lock: taken within what is left of the wait limit, and let go at once. */
async function tryTable(client: SqlClient, table: NonNullable<HeldLock["table"]>, leftMs: number): Promise<boolean> {
  await client.query("BEGIN");
  try {
    await client.query(`SET LOCAL lock_timeout = '${Math.max(1, Math.round(leftMs))}ms'`);
    await client.query(table.statement.text, table.statement.params);
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) return false;
    throw error;
  } finally {
    await client.query("ROLLBACK").catch(() => undefined);
  }
}

async function tryLock(client: SqlClient, lock: HeldLock, leftMs: number): Promise<boolean> {
  if (lock.table) return tryTable(client, lock.table, leftMs);
  if (!lock.row) {
    const [row] = await client.query<{ ok: boolean }>("SELECT pg_try_advisory_lock($1::bigint) AS ok", [signed(lock.key)]);
    return row?.ok === true;
  }
  return tryRow(client, lock.row, leftMs);
}

function busyMessage(lock: HeldLock, by: string, waitMs: number): string {
  const waited = `waited ${Math.round(waitMs / 1000)}s (--lock-wait); nothing was rolled back`;
  if (lock.row) {
    const t = lock.row.table;
    return `the ${lock.owner} lock row in ${t.schema}.${t.table} is taken (a migration is running, or one died holding it): ${waited}`;
  }
  if (lock.table) {
    const t = lock.table.table;
    return `the ${lock.owner} table lock on ${t.schema}.${t.table} is held by ${by}: ${waited}`;
  }
  return `the ${lock.owner} advisory lock (key ${signed(lock.key)}) is held by ${by}: ${waited}`;
}

/** Takes every lock or none: on a timeout the ones already taken are released. Returns the ones taken (to release). */
export async function takeLocks(client: SqlClient, locks: readonly HeldLock[], waitMs: number, pollMs = 200): Promise<HeldLock[]> {
  const taken: HeldLock[] = [];
  const deadline = Date.now() + waitMs;
  try {
    for (const lock of locks) {
      // A runner that has never run has no lock table yet: nothing holds it, and it makes one before migrating.
      if (lock.row && !(await tableExists(client, lock.row.table))) continue;
      if (lock.table && !(await tableExists(client, lock.table.table))) continue;
      for (;;) {
        if (await tryLock(client, lock, deadline - Date.now())) break;
        if (Date.now() >= deadline) {
          const by = lock.table ? await tableHolders(client, lock.table.table) : lock.row ? "" : await holders(client, lock.key);
          throw new LockBusyError(busyMessage(lock, by, waitMs));
        }
        await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(1, deadline - Date.now()))));
      }
      taken.push(lock);
    }
    return taken;
  } catch (error) {
    await releaseLocks(client, taken);
    throw error;
  }
}

export async function releaseLocks(client: SqlClient, locks: readonly HeldLock[]): Promise<void> {
  for (const lock of locks) {
    // A table lock was only probed: each part's transaction took (and let go of) its own.
    if (lock.table) continue;
    if (lock.row) await client.query(lock.row.release.text, lock.row.release.params).catch(() => undefined);
    else await client.query("SELECT pg_advisory_unlock($1::bigint)", [signed(lock.key)]).catch(() => undefined);
  }
}

/**
 * The database the round trip runs on. Two implementations: embedded PGlite (default, `pglite.ts`) and a
 * real server through node-postgres (`server.ts`). Everything above this file talks to `Engine` only.
 *
 * Transaction control goes through the engine rather than through `exec("BEGIN")` so that an engine can
 * change what a transaction means: the server engine running in place (no throw-away database) turns
 * `commit()` into releasing a savepoint of one outer transaction that `close()` rolls back.
 */
import { alwaysQuoted } from "../catalog/render.js";
import { readSnapshot, reduceToPlatformDelta, type Snapshot } from "./snapshot.js";

export interface Engine {
  /** For messages and reports: `PGlite 0.5.16 (PostgreSQL 18.6)`, `server 15.18 (throw-away database mlv_…)`. */
  readonly description: string;
  /** Runs one or more statements (simple query protocol); throws `EngineSqlError` when PostgreSQL refuses. */
  exec(sql: string): Promise<void>;
  /** Runs one statement with optional `$n` parameters and returns its rows. */
  query<R extends object>(sql: string, params?: unknown[]): Promise<R[]>;
  /** The catalog of all user schemas, without the platform shim's own objects. */
  snapshot(): Promise<Snapshot>;
  begin(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  savepoint(name: string): Promise<void>;
  rollbackTo(name: string): Promise<void>;
  release(name: string): Promise<void>;
  /**
   * Marks objects as the platform's (`<collection>:<key>` → value when installed, see `objectValues`):
   * later snapshots show only what migrations changed about them (`reduceToPlatformDelta`).
   */
  addPlatform(baseline: ReadonlyMap<string, unknown>): void;
  /** Adds a statement run after every session reset (the platform's `SET search_path …`). */
  addSessionDefault(sql: string): void;
  /** `RESET ALL`, then the session defaults: each phase of a round trip starts from the same session state. */
  resetSession(): Promise<void>;
  /**
   * Back to an empty database, as the engine was created: everything committed is gone, and so are the
   * platform marks and session defaults (the caller installs its platform again). The round trip's
   * committed mode restores the state after an up with it, by replaying the history.
   */
  reset(): Promise<void>;
  /** Shuts the engine down; the server engine drops everything it created. Safe to call twice. */
  close(): Promise<void>;
}

/** Transaction control and snapshots on top of `exec`/`query`, shared by both engines. */
export abstract class BaseEngine implements Engine {
  abstract readonly description: string;
  private readonly platform = new Map<string, unknown>();
  private readonly sessionDefaults: string[] = [];

  abstract exec(sql: string): Promise<void>;
  abstract query<R extends object>(sql: string, params?: unknown[]): Promise<R[]>;
  abstract close(): Promise<void>;
  abstract reset(): Promise<void>;

  /** For `reset()`: the platform and session defaults belong to the database that is gone. */
  protected forgetPlatform(): void {
    this.platform.clear();
    this.sessionDefaults.length = 0;
  }

  async snapshot(): Promise<Snapshot> {
    return reduceToPlatformDelta(await readSnapshot(this), this.platform);
  }

  addPlatform(baseline: ReadonlyMap<string, unknown>): void {
    for (const [key, value] of baseline) this.platform.set(key, value);
  }

  addSessionDefault(sql: string): void {
    this.sessionDefaults.push(sql);
  }

  async resetSession(): Promise<void> {
    await this.exec("RESET ALL");
    for (const sql of this.sessionDefaults) await this.exec(sql);
  }

  begin(): Promise<void> {
    return this.exec("BEGIN");
  }
  commit(): Promise<void> {
    return this.exec("COMMIT");
  }
  rollback(): Promise<void> {
    return this.exec("ROLLBACK");
  }
  savepoint(name: string): Promise<void> {
    return this.exec(`SAVEPOINT ${alwaysQuoted(name)}`);
  }
  rollbackTo(name: string): Promise<void> {
    return this.exec(`ROLLBACK TO SAVEPOINT ${alwaysQuoted(name)}`);
  }
  release(name: string): Promise<void> {
    return this.exec(`RELEASE SAVEPOINT ${alwaysQuoted(name)}`);
  }
}

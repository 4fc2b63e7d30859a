/**
 * A runner's journal: the table of applied migrations it keeps in the database it migrates. One module per
 * runner (`<runner>-journal.ts`, beside its layout) knows the table exactly as that runner creates it, how
 * to read which migrations are applied, and how the runner itself would un-record one. `status` and
 * `rollback` talk to this interface only; `verify` uses `createSql` so the table exists during a round trip
 * as it does under the real runner.
 *
 * Everything here is read with the caller's connection: a journal never opens, commits or rolls back a
 * transaction itself, so a rollback can un-record a migration in the same transaction as its down.
 */
import type { Migration, MigrationSet } from "./types.js";

/** One connection, node-postgres style (a `pg.Client`, a PGlite instance wrapped to return `rows`). */
export interface SqlClient {
  query<R extends object = Record<string, unknown>>(text: string, params?: unknown[]): Promise<R[]>;
}

/** A statement with its parameters, run by the caller (inside the transaction of the part it belongs to). */
export interface Statement {
  text: string;
  params?: unknown[];
}

/** Where the runner keeps its journal, after the config's overrides (sqlx, dbmate, flyway, golang-migrate let users move it). */
export interface JournalLocation {
  schema: string;
  table: string;
}

/** The configurable journal of a hand-made runner (config key `journal`). */
export interface CustomJournalSettings {
  schema?: string;
  table: string;
  /** The column holding the migration's id (matched against `Migration.id`, then its file name, then `version`). */
  idColumn: string;
  /** Orders the rows when present (else the id column). */
  appliedAtColumn?: string;
  /** A status column: rows whose value is in `appliedValues` count as applied, `failedValues` as failed. */
  statusColumn?: string;
  appliedValues?: string[];
  failedValues?: string[];
  /** A column set instead of deleting the row on rollback (`rollback_at`): set to now(). */
  rolledBackAtColumn?: string;
}

export interface JournalSettings {
  /** Overrides of the runner's default schema / table. */
  schema?: string;
  table?: string;
  /** The lock table's name where the runner lets users change it apart from the journal (Kysely's `migrationLockTableName`). */
  lockTable?: string;
  custom?: CustomJournalSettings;
}

/** One applied (or failed) row, in the order the runner applied them. */
export interface JournalEntry {
  /** The migration of the set this row records; absent when the folder no longer has it. */
  migration?: Migration;
  /** What the row says identifies the migration (version, name, hash…), shown for rows with no file. */
  recorded: string;
  appliedAt?: Date;
  /** The runner's hash of the file as applied, in `hashOf`'s format, when the runner keeps one. */
  hash?: string;
  /** `failed`: prisma unfinished/failed rows, golang-migrate dirty, sqlx / flyway success = false, a custom failed status. */
  state: "applied" | "failed";
  /** Why it is failed, or other facts worth a column in `status` (`dirty`, `logs: …`). */
  detail?: string;
}

export interface JournalState {
  location: JournalLocation;
  /** False when the table (or schema) does not exist: nothing is applied. */
  exists: boolean;
  /** Oldest first. */
  entries: JournalEntry[];
}

/** The runner's advisory lock: taken by `rollback` so the runner cannot migrate at the same time. */
export interface RunnerLock {
  /** The key as the runner computes it (some depend on the database name or the journal's table). */
  key(database: string, location: JournalLocation): bigint;
  /** `try`: the runner polls `pg_try_advisory_lock` (flyway, sqitch); `wait`: it blocks in `pg_advisory_lock`. */
  mode: "wait" | "try";
  /** Where the key comes from (`prisma-engines flavour/postgres.rs`), for the docs and `--dry-run`. */
  source: string;
}

/**
 * A lock the runner keeps as a row of a table rather than an advisory key (knex's
 * `knex_migrations_lock.is_locked`): `rollback` sets it the way the runner does, so the runner's own
 * migrate fails with its "already locked" error meanwhile, and clears it at the end.
 */
export interface RowLock {
  /** The lock table, beside the journal at `location`. */
  table(location: JournalLocation): JournalLocation;
  /** Marks the row locked when it is free; returns a row when taken, none when someone holds it. */
  takeSql(location: JournalLocation): Statement;
  releaseSql(location: JournalLocation): Statement;
  /** Where the convention comes from, for the docs and `--dry-run`. */
  source: string;
}

/**
 * A lock the runner takes as a table lock inside its migration transaction rather than a session-wide key
 * (authelia's `LOCK TABLE migrations IN ACCESS EXCLUSIVE MODE`): `rollback` takes it first in every
 * transaction it opens, so the runner's own migrate queues behind each part.
 */
export interface TableLock {
  /** The LOCK TABLE statement for the journal at `location`. */
  statement(location: JournalLocation): Statement;
  /** Where the convention comes from, for the docs and `--dry-run`. */
  source: string;
}

export interface RunnerJournal {
  /** The runner's name as users know it: `drizzle`, `prisma`, `golang-migrate`, `custom`… */
  runner: string;
  /** Which layouts use this journal. */
  layouts: readonly string[];
  location(settings: JournalSettings): JournalLocation;
  /** The DDL the runner runs before its first migration, verbatim where the research quotes it. */
  createSql(settings: JournalSettings): string[];
  /** The statements that record `migration` as applied the way the runner does (tests, verify). */
  recordSql(migration: Migration, set: MigrationSet, settings: JournalSettings): Statement[];
  /** Which migrations are applied, oldest first, matched to the set's migrations. Read-only. */
  read(client: SqlClient, set: MigrationSet, settings: JournalSettings): Promise<JournalState>;
  /** The runner's hash of a migration's file (absent: the runner keeps none; `status` then uses the lock file). */
  hashOf?(migration: Migration): string;
  /**
   * The statements that un-record `entry` exactly as the runner would (DELETE its row, write the previous
   * version, insert a revert event…), given the journal as it was read before this rollback (a rollback
   * un-records the newest entries one by one, so the entry before `entry` in `state` is what remains
   * applied). Run in the same transaction as the entry's down.
   */
  unrecordSql(entry: JournalEntry, state: JournalState, settings: JournalSettings): Statement[];
  lock?: RunnerLock;
  /** The runner's lock row, for runners that lock with a table instead of an advisory key (knex). */
  rowLock?: RowLock;
  /** The runner's table lock, for runners that lock their journal table inside the migration transaction (authelia). */
  tableLock?: TableLock;
  /** Relations and schemas of the journal itself: left out of the drift check. */
  ownedObjects(settings: JournalSettings): { schemas: string[]; relations: string[] };
}

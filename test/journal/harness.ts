/**
 * The two databases every journal test runs on: one PGlite per test file, and a fresh database on the
 * real PostgreSQL server when `MIGRATION_LINT_TEST_DATABASE_URL` is set (`.ci/postgres.sh start`), dropped
 * afterwards. Both are handed to the journals as the `SqlClient` they take in production.
 */
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { discover, memoryFs, nodeFs } from "../../src/layout/index.js";
import type { JournalSettings, RunnerJournal, SqlClient } from "../../src/layout/journal.js";
import type { LayoutId, MigrationSet } from "../../src/layout/types.js";
import { loadParser } from "../../src/parse/index.js";

export const SERVER_URL = process.env["MIGRATION_LINT_TEST_DATABASE_URL"];
export const NO_SERVER = "MIGRATION_LINT_TEST_DATABASE_URL is not set (eval \"$(bash .ci/postgres.sh start)\")";

export interface TestDatabase {
  name: string;
  client: SqlClient;
  /** The database's URL (server only), for real runners. */
  url?: string;
  close(): Promise<void>;
}

export async function pgliteDatabase(): Promise<TestDatabase> {
  const db = await PGlite.create();
  const client: SqlClient = {
    async query<R extends object>(text: string, params?: unknown[]): Promise<R[]> {
      if (params?.length) return (await db.query<R>(text, params)).rows;
      const results = await db.exec(text);
      return (results.at(-1)?.rows ?? []) as R[];
    },
  };
  return { name: "pglite", client, close: () => db.close() };
}

/** A fresh database on the server, named after the test file so parallel files never meet. */
export async function serverDatabase(label: string): Promise<TestDatabase> {
  const admin = new pg.Client({ connectionString: SERVER_URL });
  await admin.connect();
  const name = `journal_${label.replace(/\W/g, "_")}_${process.pid}_${Date.now() % 100000}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(SERVER_URL!);
  url.pathname = `/${name}`;
  const conn = new pg.Client({ connectionString: url.toString() });
  await conn.connect();
  const client: SqlClient = {
    async query<R extends object>(text: string, params?: unknown[]): Promise<R[]> {
      const result = await conn.query(text, params);
      const last = Array.isArray(result) ? result.at(-1) : result;
      return (last?.rows ?? []) as R[];
    },
  };
  return {
    name,
    client,
    url: url.toString(),
    async close() {
      await conn.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** What each journal test starts from: an empty `public`, and none of the `dropped` schemas. */
export async function resetSchemas(db: TestDatabase, dropped: readonly string[] = []): Promise<void> {
  for (const schema of ["public", ...dropped]) await db.client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await db.client.query("CREATE SCHEMA public");
}

/**
 * The database of a test file (or of the describe block it is called in): opened once, with the parser
 * loaded, closed after; `resetSchemas(db, dropped)` before each test. The handle is usable from the
 * first hook on (it forwards to the database `open` gives).
 */
export function useDatabase(open: () => Promise<TestDatabase>, dropped: readonly string[] = []): TestDatabase {
  let db: TestDatabase | undefined;
  const opened = (): TestDatabase => {
    if (!db) throw new Error("the test database is opened in beforeAll");
    return db;
  };
  beforeAll(async () => {
    await loadParser();
    db = await open();
  });
  afterAll(async () => db?.close());
  beforeEach(async () => resetSchemas(opened(), dropped));
  return {
    get name() {
      return opened().name;
    },
    get url() {
      return opened().url;
    },
    client: { query: (text, params) => opened().client.query(text, params) },
    close: () => opened().close(),
  };
}

/** The one set discovery finds in an in-memory tree, loaded by the real layout. */
export async function setFromTree(tree: Record<string, string>, layout: LayoutId, root = "."): Promise<MigrationSet> {
  const sets = await discover([root], { cwd: "/repo", fs: memoryFs(tree, "/repo"), layout });
  if (sets.length !== 1) throw new Error(`expected one set, found ${sets.length}`);
  return sets[0]!.set;
}

/** The one set discovery finds in a real folder. */
export async function setFromFolder(dir: string, layout: LayoutId): Promise<MigrationSet> {
  const sets = await discover([dir], { cwd: dir, fs: nodeFs(dir), layout });
  if (sets.length !== 1) throw new Error(`expected one set, found ${sets.length}`);
  return sets[0]!.set;
}

/** Create the journal and record `count` migrations (all by default) the way the runner does. */
export async function recordApplied(db: TestDatabase, journal: RunnerJournal, set: MigrationSet, settings: JournalSettings = {}, count = set.migrations.length): Promise<void> {
  for (const sql of journal.createSql(settings)) await db.client.query(sql);
  for (const m of set.migrations.slice(0, count)) {
    for (const s of journal.recordSql(m, set, settings)) await db.client.query(s.text, s.params);
  }
}

/** Read the journal and un-record its newest entry as `rollback` would. */
export async function unrecordNewest(db: TestDatabase, journal: RunnerJournal, set: MigrationSet, settings: JournalSettings = {}): Promise<void> {
  const state = await journal.read(db.client, set, settings);
  const newest = state.entries.at(-1);
  if (!newest) throw new Error("nothing to un-record");
  for (const s of journal.unrecordSql(newest, state, settings)) await db.client.query(s.text, s.params);
}

/** Entries in a shape a table assertion can compare. */
export function summary(entries: { migration?: { id: string }; recorded: string; state: string; hash?: string; detail?: string }[]) {
  return entries.map((e) => ({ id: e.migration?.id ?? null, recorded: e.recorded, state: e.state, ...(e.hash !== undefined ? { hash: e.hash } : {}) }));
}

/**
 * Shared steps of the real-runner tests: copy a fixture project under node_modules/.cache (so its
 * imports of the libraries resolve), fill its empty or missing downs with the real `--fix` writer, and
 * read back what migration-lint extracted from each migration: the SQL of each sink call, as sent.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect } from "vitest";
import { lintFiles } from "../../../src/api.js";
import { writeDowns, type WriteResult } from "../../../src/fix/write-downs.js";
import type { SqlFile } from "../../../src/layout/types.js";
import { readSnapshot, type Queryable, type Snapshot } from "../../../src/verify/snapshot.js";
import { startPostgres, type TestServer } from "../../setup/postgres.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");

export type FixtureProject = { dir: string; migrations: string; remove(): void };

export function copyFixture(lib: string): FixtureProject {
  const base = path.join(ROOT, "node_modules/.cache/migration-lint-ts");
  mkdirSync(base, { recursive: true });
  const dir = mkdtempSync(path.join(base, `${lib}-`));
  cpSync(path.join(ROOT, "fixtures/ts", lib), dir, { recursive: true });
  return { dir, migrations: path.join(dir, "migrations"), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The SQL of each sink call of one direction, in call order: what the runner is expected to send. */
export function sentBy(file: SqlFile | undefined): string[] {
  if (!file) return [];
  return (file.regions ?? [{ start: 0, end: file.text.length }]).map((r) => file.text.slice(r.start, r.end));
}

export interface Extracted {
  layout: string;
  migrations: { id: string; up: string[]; down: string[]; dynamic: number }[];
}

export async function extract(dir: string): Promise<Extracted> {
  const result = await lintFiles([dir], { cwd: dir, runRules: false, workers: 0 });
  const set = result.sets[0]!;
  return {
    layout: set.set.layout,
    migrations: set.set.migrations.map((m) => ({ id: m.id, up: sentBy(m.up), down: sentBy(m.down), dynamic: (m.up.dynamic?.length ?? 0) + (m.down?.dynamic?.length ?? 0) })),
  };
}

/** `migration-lint --fix` on the project: writes the generated downs (never over a hand-written one). */
export async function fixDowns(dir: string): Promise<WriteResult[]> {
  const result = await lintFiles([dir], { cwd: dir, workers: 0 });
  return writeDowns(result.sets, { cwd: dir });
}

/** The runner's own bookkeeping (journal, locks, transactions), left out when comparing statements. */
export function isRunnerBookkeeping(sql: string, journal: RegExp): boolean {
  return journal.test(sql) || /^\s*(begin|commit|rollback|start transaction|savepoint|release savepoint|set |select (version|current_schema|1\b))/i.test(sql) || /pg_(try_)?advisory/i.test(sql) || /information_schema|pg_catalog|pg_namespace|pg_class|pg_tables/i.test(sql);
}

export function queryable(run: (sql: string, params?: unknown[]) => Promise<{ rows: unknown[] }>): Queryable {
  return { query: async <R extends object>(sql: string, params?: unknown[]) => (await run(sql, params)).rows as R[] };
}

/** A fresh database of its own on the test server (dropped by `drop`), so runner tests never share state. */
export async function freshDatabase(serverUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  const db = `ml_ts_${name}_${process.pid}`;
  await admin.query(`DROP DATABASE IF EXISTS ${db}`);
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${db}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await c.end();
    },
  };
}

/**
 * The fixture project on a database of its own on the test server, for a file whose runner needs the
 * server: set up before the file's tests and removed after them (the file's own hooks, registered later,
 * run inside these: vitest stacks after-hooks). `skip` says why when there is no server.
 */
export function onServer(lib: string, name: string): { project: FixtureProject; readonly skip: string; readonly url: string } {
  const project = copyFixture(lib);
  let server: TestServer | undefined;
  let database: { url: string; drop(): Promise<void> } | undefined;
  beforeAll(async () => {
    server = await startPostgres();
    if (!("skip" in server)) database = await freshDatabase(server.url, name);
  }, 120_000);
  afterAll(async () => {
    await database?.drop();
    if (server && !("skip" in server)) await server.stop();
    project.remove();
  });
  return {
    project,
    get skip() {
      return server && "skip" in server ? server.skip : "";
    },
    get url() {
      return database!.url;
    },
  };
}

/** The catalog of the database at `url`, read through a connection of its own (closed by `end`). */
export async function catalogReader(url: string): Promise<{ snapshot(): Promise<Snapshot>; end(): Promise<void> }> {
  const reader = new pg.Client({ connectionString: url });
  await reader.connect();
  return { snapshot: () => readSnapshot(queryable((sql, params) => reader.query(sql, params))), end: () => reader.end() };
}

/**
 * `--fix` on the project, checked (each file's action, and the text a written down starts with), then
 * what migration-lint extracts from the fixed project under `layout`.
 */
export async function fixThenExtract(
  project: FixtureProject,
  expected: { layout: string; actions: [file: string, action: string][]; written: [file: string, text: string | RegExp] },
): Promise<Extracted["migrations"]> {
  const results = await fixDowns(project.dir);
  expect(results.map((r) => [path.basename(r.path), r.action])).toEqual(expected.actions);
  const [file, text] = expected.written;
  const fixed = readFileSync(path.join(project.migrations, file), "utf8");
  if (typeof text === "string") expect(fixed).toContain(text);
  else expect(fixed).toMatch(text);
  const extracted = await extract(project.dir);
  expect(extracted.layout).toBe(expected.layout);
  return extracted.migrations;
}

/** A runner's own calls for `expectRoundTrip`, and how to see what it did. */
export interface RunnerSteps {
  /** Apply the first migration alone (a project at its first release). */
  upFirst(): Promise<void>;
  /** Apply the rest (the next release brings the second). */
  upRest(): Promise<void>;
  /** Undo the newest migration. */
  downLast(): Promise<void>;
  /** The statements sent since the last call, the runner's bookkeeping left out. */
  sent(): string[];
  snapshot(): Promise<Snapshot>;
}

/**
 * The round trip of a two-migration fixture, run by the runner itself: each step sends exactly the SQL
 * migration-lint extracted, the down `--fix` generated for the second restores the catalog of the first,
 * and the runner re-applies the second.
 */
export async function expectRoundTrip(run: RunnerSteps, first: Extracted["migrations"][number], second: Extracted["migrations"][number]): Promise<void> {
  await run.upFirst();
  expect(run.sent()).toEqual(first.up);
  const afterFirst = await run.snapshot();

  await run.upRest();
  expect(run.sent()).toEqual(second.up);
  const afterSecond = await run.snapshot();
  expect(afterSecond).not.toEqual(afterFirst);

  await run.downLast();
  expect(run.sent()).toEqual(second.down);
  expect(await run.snapshot()).toEqual(afterFirst);

  await run.upRest();
  expect(await run.snapshot()).toEqual(afterSecond);
}

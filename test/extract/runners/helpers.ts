/**
 * Shared steps of the real-runner tests: copy a fixture project under node_modules/.cache (so its
 * imports of the libraries resolve), fill its empty or missing downs with the real `--fix` writer, and
 * read back what migration-lint extracted from each migration: the SQL of each sink call, as sent.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import path from "node:path";
import { lintFiles } from "../../../src/api.js";
import { writeDowns, type WriteResult } from "../../../src/fix/write-downs.js";
import type { SqlFile } from "../../../src/layout/types.js";
import type { Queryable } from "../../../src/verify/snapshot.js";

const ROOT = path.resolve(import.meta.dirname, "../../..");

export function copyFixture(lib: string): { dir: string; migrations: string; remove(): void } {
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
  const { default: pg } = await import("pg");
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

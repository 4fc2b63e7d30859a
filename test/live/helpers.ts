/**
 * A fresh database per test on the real server (`CREATE DATABASE` on MIGRATION_LINT_TEST_DATABASE_URL or a
 * private cluster, see test/setup/postgres.ts), a temporary copy of examples/drizzle-app, and drizzle-orm's
 * real migrator (`drizzle-orm/node-postgres/migrator`) to apply it.
 */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import { readSnapshot, type Snapshot } from "../../src/verify/snapshot.js";

export const ROOT = path.resolve(import.meta.dirname, "../..");

let counter = 0;

/** A new, empty database on the server; its URL. */
export async function freshDatabase(serverUrl: string, prefix = "mlrb"): Promise<string> {
  const name = `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE template0`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(serverUrl: string, url: string): Promise<void> {
  const name = decodeURIComponent(new URL(url).pathname.slice(1));
  await withClient(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`)).catch(() => undefined);
}

export async function withClient<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  c.on("notice", () => undefined);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A temporary copy of examples/drizzle-app; returns the folder holding its migrations (`…/drizzle`). */
export function drizzleAppCopy(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "mlrb-drizzle-"));
  cpSync(path.join(ROOT, "examples/drizzle-app"), dir, { recursive: true });
  return path.join(dir, "drizzle");
}

/** drizzle-orm's own migrator, exactly as an app runs it. */
export async function drizzleMigrate(url: string, folder: string): Promise<void> {
  await withClient(url, (c) => migrate(drizzle(c), { migrationsFolder: folder }));
}

/** Keeps only the first `n` journal entries (the migrator then applies only those). */
export function truncateJournal(folder: string, n: number): () => void {
  const file = path.join(folder, "meta/_journal.json");
  const original = readFileSync(file, "utf8");
  const journal = JSON.parse(original) as { entries: unknown[] };
  writeFileSync(file, JSON.stringify({ ...journal, entries: journal.entries.slice(0, n) }, null, 2));
  return () => writeFileSync(file, original);
}

export async function drizzleRows(url: string): Promise<{ id: number; hash: string; created_at: string }[]> {
  return withClient(url, async (c) => (await c.query("SELECT id, hash, created_at::text AS created_at FROM drizzle.__drizzle_migrations ORDER BY id")).rows);
}

export async function liveSnapshot(url: string): Promise<Snapshot> {
  return withClient(url, (c) => readSnapshot({ query: async (sql, params) => (await c.query(sql, params)).rows }));
}

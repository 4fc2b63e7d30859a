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
import { afterAll } from "vitest";
import { readSnapshot, type Snapshot } from "../../src/verify/snapshot.js";
import { startPostgres } from "../setup/postgres.js";

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

/** Fresh databases on `serverUrl` for one test file, every one dropped after the file's tests. */
export function liveDatabases(serverUrl: string | undefined, prefix?: string): () => Promise<string> {
  const created: string[] = [];
  afterAll(async () => {
    for (const url of created) await dropDatabase(serverUrl!, url);
  });
  return async () => {
    const url = await freshDatabase(serverUrl!, prefix);
    created.push(url);
    return url;
  };
}

/**
 * The test server (test/setup/postgres.ts) for a file of live tests, and its fresh databases; `serverUrl`
 * is undefined (and a warning names why) when there is none. Stopped after the file's tests.
 */
export async function liveServer(what: string): Promise<{ serverUrl: string | undefined; database: () => Promise<string> }> {
  const server = await startPostgres();
  const serverUrl = "url" in server ? server.url : undefined;
  if ("skip" in server) console.warn(`${what} skipped: ${server.skip}`);
  afterAll(async () => {
    if ("stop" in server) await server.stop();
  });
  // Registered after the server's stop, so it runs first (vitest stacks after-hooks).
  return { serverUrl, database: liveDatabases(serverUrl) };
}

/** A fresh database with a copy of examples/drizzle-app applied by drizzle-orm's migrator. */
export async function drizzleAppApplied(database: () => Promise<string>): Promise<{ url: string; folder: string }> {
  const url = await database();
  const folder = drizzleAppCopy();
  await drizzleMigrate(url, folder);
  return { url, folder };
}

/** Does the relation (`schema.name`) exist in the database at `url`? */
export async function relationExists(url: string, name: string): Promise<boolean> {
  return withClient(url, async (c) => (await c.query<{ present: boolean }>("SELECT to_regclass($1) IS NOT NULL AS present", [name])).rows[0]!.present);
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

/**
 * A private cluster that checks passwords (scram-sha-256), for the wrong-password case: the shared test
 * server trusts every connection. Undefined when no server binaries are installed.
 */
export async function startPasswordCluster(password: string): Promise<{ port: number; stop(): Promise<void> } | undefined> {
  const { execFile } = await import("node:child_process");
  const { promisify } = await import("node:util");
  const { chmodSync, chownSync, existsSync, readdirSync, rmSync } = await import("node:fs");
  const { createServer } = await import("node:net");
  const run = promisify(execFile);
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const version = readdirSync(root).filter((v) => existsSync(path.join(root, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a))[0];
  if (!version) return undefined;
  const bin = path.join(root, version, "bin");
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(path.join(tmpdir(), "mlrb-pw-"));
  chmodSync(dir, 0o755);
  const sh = async (cmd: string, args: string[]) => {
    const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
    await run(file, argv, { timeout: 60_000 });
  };
  if (asRoot) {
    const id = async (flag: string) => Number((await run("id", [flag, "postgres"])).stdout.trim());
    chownSync(dir, await id("-u"), await id("-g"));
  }
  const pwfile = path.join(dir, "pw");
  writeFileSync(pwfile, `${password}\n`);
  if (asRoot) chownSync(pwfile, Number((await run("id", ["-u", "postgres"])).stdout.trim()), 0);
  const port = await new Promise<number>((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const a = s.address();
      s.close(() => (typeof a === "object" && a ? resolve(a.port) : reject(new Error("no port"))));
    });
  });
  const data = path.join(dir, "data");
  await sh(path.join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=scram-sha-256", `--pwfile=${pwfile}`, "-E", "UTF8", "--no-sync", "--locale=C"]);
  await sh(path.join(bin, "pg_ctl"), ["-D", data, "-l", path.join(dir, "log"), "-w", "-o", `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, "start"]);
  return {
    port,
    stop: async () => {
      await sh(path.join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

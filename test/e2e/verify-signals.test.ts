/**
 * `verify --database-url` stopped by a signal (Ctrl-C, or SIGTERM from CI cancellation and `timeout`)
 * drops its throw-away database before exiting. A real `migration-lint` child process on a real server,
 * stopped while a migration runs.
 */
import { spawn } from "node:child_process";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgres, type TestServer } from "../setup/postgres.js";
import { Repo } from "./helpers.js";

const server: TestServer = await startPostgres();
const url = "url" in server ? server.url : undefined;
if (!url) console.warn(`verify signal tests skipped: ${"skip" in server ? server.skip : ""}`);

async function query<R extends object>(sql: string, params: unknown[] = []): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query<R & pg.QueryResultRow>(sql, params)).rows;
  } finally {
    await c.end();
  }
}

async function until(what: string, check: () => Promise<boolean>, ms = 120_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.skipIf(!url)("verify stopped by a signal", () => {
  let repo: Repo;
  beforeAll(() => {
    repo = new Repo();
    repo.write("migrations/2024-01-01-000000_t/up.sql", "CREATE TABLE t (a int);\n");
    repo.write("migrations/2024-01-01-000000_t/down.sql", "DROP TABLE t;\n");
    // Long enough to be caught running.
    repo.write("migrations/2024-01-02-000000_slow/up.sql", "SELECT pg_sleep(120);\n");
    repo.write("migrations/2024-01-02-000000_slow/down.sql", "SELECT 1;\n");
  });
  afterAll(async () => {
    repo.cleanup();
    if ("stop" in server) await server.stop();
  });

  it.each([
    ["SIGTERM", 143],
    ["SIGINT", 130],
  ] as const)("%s during a migration drops the throw-away database and exits %i", async (signal, expected) => {
    const child = spawn(path.join(repo.bin, "migration-lint"), ["verify", "migrations", "--database-url", url!], {
      cwd: repo.dir,
      env: { ...process.env, CI: "1", NO_COLOR: "1" },
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += String(d)));
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    const scratch = `migration_lint_${child.pid}_%`;
    await until("the slow migration to run", async () => {
      const rows = await query<{ n: string }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname LIKE $1 AND query LIKE '%pg_sleep%'", [scratch]);
      return Number(rows[0]!.n) > 0;
    });
    child.kill(signal);
    expect(await exited).toBe(expected);
    expect(stderr).toContain(`${signal}: stopping, dropping what the run created`);
    expect(stderr).not.toMatch(/internal error/);
    expect(await query("SELECT datname FROM pg_database WHERE datname LIKE $1", [scratch])).toEqual([]);
  }, 240_000);
});

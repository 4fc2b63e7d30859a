/**
 * The one connection `status` and `rollback` use, through node-postgres. Everything that can go wrong
 * before the first query is the user's to fix (a mistyped URL, a server that is down, a wrong password),
 * so it ends as one `InputError` line naming the URL without its password: exit 2, never a stack trace.
 */
import pg from "pg";
import { InputError } from "../errors.js";
import type { SqlClient } from "../layout/journal.js";
import { toSqlError } from "../verify/errors.js";
import { redact } from "../verify/server.js";

export interface LiveConnection extends SqlClient {
  readonly client: pg.Client;
  /** `db` on `host:port` as user `u`, for messages. */
  readonly description: string;
  readonly database: string;
  /** Cancels the statement this connection is running (pg_cancel_backend from a second connection). */
  cancel(): Promise<void>;
  end(): Promise<void>;
}

/** The URL given, else `DATABASE_URL`; a missing one is a usage error. */
export function databaseUrl(given: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const url = given ?? env["DATABASE_URL"];
  if (!url) throw new InputError("no database: pass --database-url postgres://user:password@host:port/database or set DATABASE_URL");
  return url;
}

function parse(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError(`--database-url: expected postgres://user:password@host:port/database, got ${redact(url)}`);
  }
  if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") {
    throw new InputError(`--database-url: expected a postgres:// or postgresql:// URL, got ${redact(url)}`);
  }
  return parsed;
}

/** Why a connection failed, in words: socket errors carry only a code, server errors a message. */
function reason(error: unknown, url: URL): string {
  const sql = toSqlError(error);
  if (sql) return sql.message;
  const code = (error as { code?: unknown } | null)?.code;
  const where = `${url.hostname || "localhost"}:${url.port || "5432"}`;
  if (code === "ECONNREFUSED") return `connection refused (is PostgreSQL running on ${where}?)`;
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") return `host ${url.hostname} not found`;
  if (code === "ETIMEDOUT") return `timed out reaching ${where}`;
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0] || String(code ?? "unknown error");
}

export async function connectLive(url: string, options: { connectTimeoutMs?: number; applicationName?: string } = {}): Promise<LiveConnection> {
  const parsed = parse(url);
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    application_name: options.applicationName ?? "migration-lint",
  });
  // A socket error on an idle client (server restarted) must not crash the process; queries still fail.
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    throw new InputError(`cannot connect to ${redact(url)}: ${reason(error, parsed)}`);
  }
  client.on("notice", () => undefined);
  const [who] = (await client.query<{ db: string; usr: string; pid: number }>("SELECT current_database() AS db, current_user AS usr, pg_backend_pid() AS pid")).rows;
  const database = who?.db ?? decodeURIComponent(parsed.pathname.slice(1));
  return {
    client,
    database,
    description: `database ${database} on ${parsed.hostname || "localhost"}:${parsed.port || "5432"} as ${who?.usr ?? "?"}`,
    query: async <R extends object>(text: string, params?: unknown[]) => (await client.query<R & pg.QueryResultRow>(text, params)).rows,
    cancel: async () => {
      const other = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
      other.on("error", () => undefined);
      try {
        await other.connect();
        await other.query("SELECT pg_cancel_backend($1)", [who?.pid]);
      } catch {
        // The connection itself closing (the process ends) rolls the open transaction back just the same.
      } finally {
        await other.end().catch(() => undefined);
      }
    },
    end: () => client.end().catch(() => undefined),
  };
}

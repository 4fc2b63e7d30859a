/**
 * A real PostgreSQL server through node-postgres (`--database-url`, or `DATABASE_URL`).
 *
 * It never leaves changes behind:
 * - By default it creates a throw-away database (`CREATE DATABASE … TEMPLATE template0`), runs everything
 *   there and drops it on close, together with any role created during the run (roles are cluster-wide:
 *   the platform shim's, and those a migration creates).
 * - When the user may not create databases (or asks for `inPlace`), it runs in the given database inside
 *   one transaction that is never committed: the round trip's per-migration commits become savepoint
 *   releases and close() rolls everything back. That database must have no user tables, unless
 *   `allowNonempty` says the user knows (their data would be read by migrations, and is never changed).
 */
import pg from "pg";
import { alwaysQuoted } from "../catalog/render.js";
import { BaseEngine } from "./engine.js";
import { rethrow, toSqlError, VerifyUsageError } from "./errors.js";

export interface ServerEngineOptions {
  url: string;
  /** Run in the given database, in one transaction rolled back at close (default: a throw-away database). */
  inPlace?: boolean;
  /** Run in place even when the database has user tables. */
  allowNonempty?: boolean;
}

/** SQLSTATE 42501: insufficient privilege (here: may not CREATE DATABASE). */
const INSUFFICIENT_PRIVILEGE = "42501";
const OUTER = "migration_lint_outer";

export class ServerEngine extends BaseEngine {
  readonly description: string;
  private client: pg.Client;
  private readonly admin: pg.Client | undefined;
  private readonly scratchDatabase: string | undefined;
  /** How to connect to the throw-away database again after `reset()`. */
  private readonly scratchUrl: string | undefined;
  private readonly rolesBefore: Set<string>;
  private closed = false;
  /** In place: begin()/commit() become a savepoint of the one outer transaction and its release. */
  private readonly inPlace: boolean;

  private constructor(init: {
    client: pg.Client;
    admin?: pg.Client;
    scratchDatabase?: string;
    scratchUrl?: string;
    rolesBefore: Set<string>;
    inPlace: boolean;
    description: string;
  }) {
    super();
    this.client = init.client;
    this.admin = init.admin;
    this.scratchDatabase = init.scratchDatabase;
    this.scratchUrl = init.scratchUrl;
    this.rolesBefore = init.rolesBefore;
    this.inPlace = init.inPlace;
    this.description = init.description;
  }

  static async create(options: ServerEngineOptions): Promise<ServerEngine> {
    const target = parseUrl(options.url);
    const admin = await connect(options.url);
    try {
      const version = await serverVersion(admin);
      const rolesBefore = await roleNames(admin);
      if (!options.inPlace) {
        const name = `migration_lint_${process.pid}_${Date.now().toString(36)}`;
        try {
          await admin.query(`CREATE DATABASE ${alwaysQuoted(name)} TEMPLATE template0`);
        } catch (error) {
          if (toSqlError(error)?.code !== INSUFFICIENT_PRIVILEGE) rethrow(error);
          return await ServerEngine.createInPlace(options, admin, version, rolesBefore, "may not create a database");
        }
        target.pathname = `/${encodeURIComponent(name)}`;
        let client: pg.Client;
        try {
          client = await connect(target.toString());
        } catch (error) {
          await admin.query(`DROP DATABASE IF EXISTS ${alwaysQuoted(name)}`).catch(() => undefined);
          throw error;
        }
        return new ServerEngine({
          client,
          admin,
          scratchDatabase: name,
          scratchUrl: target.toString(),
          rolesBefore,
          inPlace: false,
          description: `PostgreSQL ${version} server (throw-away database ${name})`,
        });
      }
      return await ServerEngine.createInPlace(options, admin, version, rolesBefore, "asked to run in place");
    } catch (error) {
      await admin.end().catch(() => undefined);
      throw error;
    }
  }

  private static async createInPlace(
    options: ServerEngineOptions,
    client: pg.Client,
    version: string,
    rolesBefore: Set<string>,
    why: string,
  ): Promise<ServerEngine> {
    const tables = await userTables(client);
    if (tables.length > 0 && !options.allowNonempty) {
      const shown = tables.slice(0, 5).join(", ") + (tables.length > 5 ? `, … (${tables.length} in all)` : "");
      throw new VerifyUsageError(
        `refusing to verify in database ${await currentDatabase(client)}: it has user tables (${shown}). ` +
          "Point --database-url at an empty database, grant CREATEDB so a throw-away database can be used, " +
          "or pass --allow-nonempty (everything still runs in one transaction that is rolled back).",
      );
    }
    await client.query("BEGIN");
    return new ServerEngine({
      client,
      rolesBefore,
      inPlace: true,
      description: `PostgreSQL ${version} server (database ${await currentDatabase(client)}, in one transaction rolled back at the end: ${why})`,
    });
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.client.query(sql);
    } catch (error) {
      rethrow(error);
    }
  }

  async query<R extends object>(sql: string, params?: unknown[]): Promise<R[]> {
    try {
      return (await this.client.query<R & pg.QueryResultRow>(sql, params)).rows;
    } catch (error) {
      rethrow(error);
    }
  }

  override begin(): Promise<void> {
    return this.inPlace ? this.savepoint(OUTER) : super.begin();
  }
  override commit(): Promise<void> {
    return this.inPlace ? this.release(OUTER) : super.commit();
  }
  override async rollback(): Promise<void> {
    if (!this.inPlace) return super.rollback();
    await this.rollbackTo(OUTER);
    await this.release(OUTER);
  }

  async reset(): Promise<void> {
    this.forgetPlatform();
    if (this.inPlace) {
      // Everything since the start is inside the one outer transaction.
      await this.exec("ROLLBACK");
      await this.exec("BEGIN");
      return;
    }
    const admin = this.admin!;
    const name = alwaysQuoted(this.scratchDatabase!);
    await this.client.end().catch(() => undefined);
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await this.dropNewRoles(admin);
      await admin.query(`CREATE DATABASE ${name} TEMPLATE template0`);
    } catch (error) {
      rethrow(error);
    }
    this.client = await connect(this.scratchUrl!);
  }

  private async dropNewRoles(admin: pg.Client): Promise<void> {
    for (const role of await roleNames(admin)) {
      if (!this.rolesBefore.has(role)) await admin.query(`DROP ROLE IF EXISTS ${alwaysQuoted(role)}`).catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.inPlace) {
      // Everything, roles included, was created inside the outer transaction: one ROLLBACK undoes it.
      await this.client.query("ROLLBACK").catch(() => undefined);
      await this.client.end().catch(() => undefined);
      return;
    }
    await this.client.end().catch(() => undefined);
    const admin = this.admin!;
    try {
      await admin.query(`DROP DATABASE IF EXISTS ${alwaysQuoted(this.scratchDatabase!)} WITH (FORCE)`);
      await this.dropNewRoles(admin);
    } finally {
      await admin.end().catch(() => undefined);
    }
  }
}

function parseUrl(url: string): URL {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "postgres:" && parsed.protocol !== "postgresql:") throw new Error("not a postgres URL");
    return parsed;
  } catch {
    throw new VerifyUsageError(`--database-url: expected postgres://user:password@host:port/database, got ${redact(url)}`);
  }
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/(\/\/[^:/@]*:)[^@]*@/, "$1***@");
}

async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  // An idle client's socket errors (server restarted) would otherwise crash the process.
  client.on("error", () => undefined);
  try {
    await client.connect();
  } catch (error) {
    await client.end().catch(() => undefined);
    const reason = toSqlError(error)?.message ?? (error instanceof Error ? error.message : String(error));
    throw new VerifyUsageError(`cannot connect to ${redact(url)}: ${reason}${connectAdvice(error)}`);
  }
  // Notices (`… does not exist, skipping`) are part of normal migrations; don't let pg print them.
  client.on("notice", () => undefined);
  return client;
}

/** What to check, by the reason the server (or the socket) gave. */
function connectAdvice(error: unknown): string {
  const code = (error as { code?: unknown } | undefined)?.code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EHOSTUNREACH" || code === "ETIMEDOUT") return " (is the server running, and is that its host and port?)";
  if (code === "28000" || code === "3D000" || code === "28P01") return " (check the user, password and database name in --database-url)";
  return "";
}

async function serverVersion(client: pg.Client): Promise<string> {
  const r = await client.query<{ v: string }>("SELECT current_setting('server_version') AS v");
  return r.rows[0]?.v ?? "?";
}

async function currentDatabase(client: pg.Client): Promise<string> {
  const r = await client.query<{ d: string }>("SELECT current_database() AS d");
  return r.rows[0]?.d ?? "?";
}

async function roleNames(client: pg.Client): Promise<Set<string>> {
  const r = await client.query<{ rolname: string }>("SELECT rolname FROM pg_roles");
  return new Set(r.rows.map((x) => x.rolname));
}

async function userTables(client: pg.Client): Promise<string[]> {
  const r = await client.query<{ t: string }>(
    `SELECT n.nspname || '.' || c.relname AS t FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%'
      ORDER BY 1`,
  );
  return r.rows.map((x) => x.t);
}

/**
 * Errors of the verify engine. `SqlError` is what PostgreSQL said about a statement, normalised from
 * PGlite's and node-postgres' error objects (they carry the same ErrorResponse fields under the same
 * names). `VerifyUsageError` is a problem the user can fix (bad URL, non-empty database, …): the CLI prints
 * its message alone and exits 2.
 */
import { InputError } from "../errors.js";

export interface SqlError {
  message: string;
  /** SQLSTATE, e.g. `42P07`. */
  code?: string;
  /** 1-based character position in the statement text, when PostgreSQL pointed at one. */
  position?: number;
  detail?: string;
  hint?: string;
  /** PL/pgSQL context (`PL/pgSQL function inline_code_block line 3 at SQL statement`). */
  where?: string;
}

/** An `InputError`: the CLI prints it in one line and exits 2 (never "internal error"). */
export class VerifyUsageError extends InputError {
  override readonly name = "VerifyUsageError";
}

/** Thrown by `Engine.exec`/`query` when PostgreSQL rejects a statement. */
export class EngineSqlError extends Error {
  override readonly name = "EngineSqlError";
  readonly sql: SqlError;
  constructor(sql: SqlError) {
    super(sql.message);
    this.sql = sql;
  }
}

function field(error: object, key: string): string | undefined {
  const v = (error as Record<string, unknown>)[key];
  if (typeof v === "string" && v !== "") return v;
  if (typeof v === "number") return String(v);
  return undefined;
}

/** Normalises whatever a driver threw into `SqlError`, or undefined when it is not a database error. */
export function toSqlError(error: unknown): SqlError | undefined {
  if (error instanceof EngineSqlError) return error.sql;
  if (!error || typeof error !== "object") return undefined;
  const code = field(error, "code");
  // Database errors carry a five-character SQLSTATE; socket errors carry ECONNREFUSED and the like.
  if (!code || !/^[0-9A-Z]{5}$/.test(code)) return undefined;
  const position = Number(field(error, "position"));
  const out: SqlError = { message: error instanceof Error ? error.message : String(error), code };
  if (Number.isFinite(position) && position > 0) out.position = position;
  const detail = field(error, "detail");
  const hint = field(error, "hint");
  const where = field(error, "where");
  if (detail) out.detail = detail;
  if (hint) out.hint = hint;
  if (where) out.where = where;
  return out;
}

/** Rethrows driver errors as `EngineSqlError`, everything else unchanged. */
export function rethrow(error: unknown): never {
  const sql = toSqlError(error);
  if (sql) throw new EngineSqlError(sql);
  throw error;
}

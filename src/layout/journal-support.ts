/**
 * Pieces every runner's journal module uses: quoting the way each runner quotes, the hashes the
 * runners keep, whether the journal table exists, and matching journal rows to the set's migrations.
 * The runner-specific facts (DDL, keys, un-record statements) stay in `<runner>-journal.ts`.
 */
import { createHash } from "node:crypto";
import type * as Zlib from "node:zlib";
import { quoteName } from "../catalog/render.js";
import { lazyBuiltin } from "../lazy-builtin.js";
import type { JournalEntry, JournalLocation, JournalSettings, JournalState, SqlClient } from "./journal.js";
import type { Migration, MigrationSet } from "./types.js";

/** `"name"` always (pq.QuoteIdentifier, Flyway's `doQuote`, Prisma's quoting): the one routine is the catalog's. */
export { alwaysQuoted } from "../catalog/render.js";

/** Quoted only when needed, as PostgreSQL's `quote_ident` does (dbmate asks the server for this). */
export function quotedIfNeeded(name: string): string {
  return quoteName(name);
}

/**
 * `table` or `schema.table` as runners write a name that resolves in the connection's current schema
 * (diesel, pop, sqlx): unqualified in `public`.
 */
export function inCurrentSchema(location: JournalLocation, quote: (name: string) => string = quotedIfNeeded): string {
  return location.schema === "public" ? quote(location.table) : `${quote(location.schema)}.${quote(location.table)}`;
}

/** The journal's own relations when its DDL makes one table with a primary key: the table and `<table>_pkey`. */
export function tableWithPrimaryKey(location: JournalLocation): { schemas: string[]; relations: string[] } {
  const table = `${location.schema}.${location.table}`;
  return { schemas: [], relations: [table, `${table}_pkey`] };
}

/** The location after the config's overrides. */
export function locate(settings: JournalSettings, schema: string, table: string): JournalLocation {
  return { schema: settings.schema ?? schema, table: settings.table ?? table };
}

export function sha256Hex(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

export function sha384Hex(text: string): string {
  return createHash("sha384").update(text, "utf8").digest("hex");
}

export function sha1Hex(text: string): string {
  return createHash("sha1").update(text, "utf8").digest("hex");
}

const zlib = lazyBuiltin<typeof Zlib>("node:zlib");

/** CRC-32 (IEEE, the zlib/Go/Java one) of UTF-8 bytes, unsigned. */
export function crc32Of(text: string): number {
  return zlib().crc32(Buffer.from(text, "utf8"));
}

/** Java's `String.hashCode()`: over UTF-16 code units, wrapping at 32 bits (Flyway's lock discriminator). */
export function javaHashCode(text: string): number {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}

/** Does `schema.table` exist (any relation kind a runner could have made: table, partitioned table)? */
/**
 * A timestamp strictly after every `column` already in `table`, for journals whose runner orders rows by
 * time alone. Several rows written in one transaction, or within one tick of a coarse clock (a millisecond
 * on PGlite's WASM build), would otherwise tie, and "the newest row" would be undefined.
 */
export function strictlyAfterEvery(table: string, column: string): string {
  return `GREATEST(clock_timestamp(), (SELECT max(${column}) FROM ${table}) + interval '1 microsecond')`;
}

export async function tableExists(client: SqlClient, location: JournalLocation): Promise<boolean> {
  const rows = await client.query<{ found: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')) AS found`,
    [location.schema, location.table],
  );
  return rows[0]?.found === true;
}

/** Migrations of the set by a key the runner writes in its rows (version, folder name…); the first one wins. */
export function indexBy(set: MigrationSet, key: (m: Migration) => string | undefined): Map<string, Migration> {
  const map = new Map<string, Migration>();
  for (const m of set.migrations) {
    const k = key(m);
    if (k !== undefined && !map.has(k)) map.set(k, m);
  }
  return map;
}

/** An integer version as the runners parse it (`0001` and `1` are one version), or undefined. */
export function integerKey(version: string): string | undefined {
  return /^\d+$/.test(version) ? BigInt(version).toString() : undefined;
}

/** A journal row of a runner that keeps one row per applied migration, keyed by a text `version`. */
export interface VersionRow {
  version: string;
}

export interface VersionRows<R extends VersionRow> {
  location: JournalLocation;
  /** The SELECT of the rows, `version` as text, ordered as the runner lists them. */
  select: string;
  /** A migration's version in the rows' terms (default: `Migration.version`). */
  key?: (m: Migration) => string | undefined;
  /** The entry for a row (default: the row's version is what it records). */
  entry?: (row: R, migration: Migration | undefined) => JournalEntry;
}

/**
 * Read a one-row-per-migration journal (dbmate, pop, diesel, sqlx, supabase): nothing is applied while
 * the table does not exist; else each row, matched to the set's migration with the same version.
 */
export async function readVersionRows<R extends VersionRow>(client: SqlClient, set: MigrationSet, rows: VersionRows<R>): Promise<JournalState> {
  const { location } = rows;
  if (!(await tableExists(client, location))) return { location, exists: false, entries: [] };
  const found = await client.query<R>(rows.select);
  const byVersion = indexBy(set, rows.key ?? ((m) => m.version));
  const entry = rows.entry ?? ((row, migration) => entryFor(migration, row.version));
  return { location, exists: true, entries: found.map((row) => entry(row, byVersion.get(row.version))) };
}

/** One entry for a row, with its migration when the folder still has it. */
export function entryFor(migration: Migration | undefined, recorded: string, extra: Omit<JournalEntry, "migration" | "recorded" | "state"> & { state?: JournalEntry["state"] } = {}): JournalEntry {
  const entry: JournalEntry = { recorded, state: extra.state ?? "applied" };
  if (migration) entry.migration = migration;
  if (extra.appliedAt) entry.appliedAt = extra.appliedAt;
  if (extra.hash !== undefined) entry.hash = extra.hash;
  if (extra.detail !== undefined) entry.detail = extra.detail;
  return entry;
}

/** A timestamp column as a Date (node-postgres and PGlite both hand back Dates; strings are parsed). */
export function asDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === "string" && value) return new Date(value);
  return undefined;
}

/** The file name of a path (`a/b/0001-x.sql` → `0001-x.sql`). */
export function fileNameOf(path: string): string {
  return path.slice(path.lastIndexOf("/") + 1);
}

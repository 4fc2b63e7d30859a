/**
 * The default engine: PostgreSQL 18 compiled to WASM (PGlite), in memory, no server and no install step.
 *
 * PGlite unpacks an extension's files when the instance starts, not at CREATE EXTENSION, so the caller
 * names the extensions the migrations ask for up front (`extensionsIn()` in script.ts finds them); the
 * default is every contrib extension this PGlite ships, which costs little at start.
 */
import { PGlite, type Extension } from "@electric-sql/pglite";
import { BaseEngine } from "./engine.js";
import { rethrow } from "./errors.js";

type Loader = () => Promise<Extension>;

/** CREATE EXTENSION name → the PGlite module that ships it (PGlite 0.5.x `dist/contrib`). */
const CONTRIB: Record<string, Loader> = {
  amcheck: () => import("@electric-sql/pglite/contrib/amcheck").then((m) => m.amcheck),
  bloom: () => import("@electric-sql/pglite/contrib/bloom").then((m) => m.bloom),
  btree_gin: () => import("@electric-sql/pglite/contrib/btree_gin").then((m) => m.btree_gin),
  btree_gist: () => import("@electric-sql/pglite/contrib/btree_gist").then((m) => m.btree_gist),
  citext: () => import("@electric-sql/pglite/contrib/citext").then((m) => m.citext),
  cube: () => import("@electric-sql/pglite/contrib/cube").then((m) => m.cube),
  dict_int: () => import("@electric-sql/pglite/contrib/dict_int").then((m) => m.dict_int),
  dict_xsyn: () => import("@electric-sql/pglite/contrib/dict_xsyn").then((m) => m.dict_xsyn),
  earthdistance: () => import("@electric-sql/pglite/contrib/earthdistance").then((m) => m.earthdistance),
  file_fdw: () => import("@electric-sql/pglite/contrib/file_fdw").then((m) => m.file_fdw),
  fuzzystrmatch: () => import("@electric-sql/pglite/contrib/fuzzystrmatch").then((m) => m.fuzzystrmatch),
  hstore: () => import("@electric-sql/pglite/contrib/hstore").then((m) => m.hstore),
  intarray: () => import("@electric-sql/pglite/contrib/intarray").then((m) => m.intarray),
  isn: () => import("@electric-sql/pglite/contrib/isn").then((m) => m.isn),
  lo: () => import("@electric-sql/pglite/contrib/lo").then((m) => m.lo),
  ltree: () => import("@electric-sql/pglite/contrib/ltree").then((m) => m.ltree),
  moddatetime: () => import("@electric-sql/pglite/contrib/moddatetime").then((m) => m.moddatetime),
  pageinspect: () => import("@electric-sql/pglite/contrib/pageinspect").then((m) => m.pageinspect),
  pg_buffercache: () => import("@electric-sql/pglite/contrib/pg_buffercache").then((m) => m.pg_buffercache),
  pg_freespacemap: () => import("@electric-sql/pglite/contrib/pg_freespacemap").then((m) => m.pg_freespacemap),
  pg_surgery: () => import("@electric-sql/pglite/contrib/pg_surgery").then((m) => m.pg_surgery),
  pg_trgm: () => import("@electric-sql/pglite/contrib/pg_trgm").then((m) => m.pg_trgm),
  pg_visibility: () => import("@electric-sql/pglite/contrib/pg_visibility").then((m) => m.pg_visibility),
  pg_walinspect: () => import("@electric-sql/pglite/contrib/pg_walinspect").then((m) => m.pg_walinspect),
  pgcrypto: () => import("@electric-sql/pglite/contrib/pgcrypto").then((m) => m.pgcrypto),
  seg: () => import("@electric-sql/pglite/contrib/seg").then((m) => m.seg),
  tablefunc: () => import("@electric-sql/pglite/contrib/tablefunc").then((m) => m.tablefunc),
  tcn: () => import("@electric-sql/pglite/contrib/tcn").then((m) => m.tcn),
  tsm_system_rows: () => import("@electric-sql/pglite/contrib/tsm_system_rows").then((m) => m.tsm_system_rows),
  tsm_system_time: () => import("@electric-sql/pglite/contrib/tsm_system_time").then((m) => m.tsm_system_time),
  unaccent: () => import("@electric-sql/pglite/contrib/unaccent").then((m) => m.unaccent),
  "uuid-ossp": () => import("@electric-sql/pglite/contrib/uuid_ossp").then((m) => m.uuid_ossp),
};

/** Extensions PGlite can create without any loading (they are built in). */
const BUILT_IN = new Set(["plpgsql", "autoinc", "insert_username", "refint"]);

/** The extension names this PGlite can CREATE. */
export function pgliteExtensions(): string[] {
  return [...Object.keys(CONTRIB), ...BUILT_IN].sort();
}

export interface PgliteEngineOptions {
  /** Extension names (as in CREATE EXTENSION) to make available; default all. Unknown names are ignored. */
  extensions?: Iterable<string>;
}

export class PgliteEngine extends BaseEngine {
  readonly description: string;
  private db: PGlite;
  private readonly extensions: Record<string, Extension>;
  private closed = false;

  private constructor(db: PGlite, extensions: Record<string, Extension>, description: string) {
    super();
    this.db = db;
    this.extensions = extensions;
    this.description = description;
  }

  static async create(options: PgliteEngineOptions = {}): Promise<PgliteEngine> {
    const wanted = options.extensions ? [...options.extensions] : Object.keys(CONTRIB);
    const extensions: Record<string, Extension> = {};
    for (const name of new Set(wanted)) {
      const load = CONTRIB[name];
      if (load) extensions[name.replace(/-/g, "_")] = await load();
    }
    const db = await PGlite.create({ extensions });
    const [row] = (await db.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows;
    return new PgliteEngine(db, extensions, `PGlite (PostgreSQL ${row?.v ?? "?"})`);
  }

  async exec(sql: string): Promise<void> {
    try {
      await this.db.exec(sql);
    } catch (error) {
      rethrow(error);
    }
  }

  async query<R extends object>(sql: string, params?: unknown[]): Promise<R[]> {
    try {
      return (await this.db.query<R>(sql, params)).rows;
    } catch (error) {
      rethrow(error);
    }
  }

  /** A new instance replaces the old one (PGlite has no cheaper way back to an empty cluster). */
  async reset(): Promise<void> {
    const old = this.db;
    this.db = await PGlite.create({ extensions: this.extensions });
    this.forgetPlatform();
    await old.close().catch(() => undefined);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.close();
  }
}

/**
 * What a migration framework's layout tells the rest of the tool: which files are migrations, in which
 * order, where each one's down lives (or would be written), and whether the runner wraps each
 * migration in a transaction. Everything after layout discovery is a pure function of `MigrationSet`.
 */
import type { SourceOrigin } from "../parse/source.js";
import type { Region } from "../parse/types.js";
import type { SqitchPlanned } from "./sqitch-plan.js";

export type LayoutId =
  | "drizzle"
  | "prisma"
  | "supabase"
  | "diesel"
  | "golang-migrate"
  | "pop"
  | "dbmate"
  | "flyway"
  | "sqitch"
  | "plain"
  /** sqlx reversible migrations (`<ts>_<name>.up.sql` / `.down.sql`): same names as golang-migrate, other transaction model. */
  | "sqlx"
  /** concourse's own migrator (`<unix_ts>_<name>.up.sql`, Go migrations beside the SQL ones). */
  | "concourse"
  /** authelia's storage migrations (`V0001.Name.up.sql`). */
  | "authelia"
  /** The `postgres-migrations` npm runner (`0001-name.sql`, ordered by the integer id). */
  | "postgres-migrations"
  /** TypeORM: a class per file implementing `MigrationInterface`, `<timestamp>-<Name>.ts`. */
  | "typeorm"
  /** MikroORM: `Migration<timestamp>.ts`, a class extending `Migration` with `this.addSql(…)`. */
  | "mikro-orm"
  /** Kysely's FileMigrationProvider: modules exporting `up(db)` / `down(db)`, ordered by name. */
  | "kysely"
  /** knex: `<YYYYMMDDHHmmss>_<name>.ts|js` exporting `up(knex)` / `down(knex)`. */
  | "knex"
  /** node-pg-migrate: `<timestamp>_<name>.{js,ts,sql}` exporting `up(pgm)` / `down(pgm)`. */
  | "node-pg-migrate"
  /** A hand-rolled runner: modules exporting `up` / `down`, ordered by name. */
  | "plain-ts";

/**
 * How the runner sends a migration to PostgreSQL, finer than `transactional`:
 * - `per-migration`: the runner opens a transaction around each migration (diesel, sqlx, Flyway, pop…).
 * - `all-pending`: one transaction around every pending migration of a run (drizzle-orm, authelia).
 * - `single-query`: the runner opens none and sends the file as one simple query; PostgreSQL then runs a
 *   file of several statements as one implicit transaction, while a file of a single statement runs
 *   outside any transaction block (prisma, golang-migrate, sqlx `-- no-transaction`).
 * - `per-statement`: statements run one by one in autocommit (psql -f, sqitch, pop `.autocommit.`).
 */
export type TransactionMode = "per-migration" | "all-pending" | "single-query" | "per-statement";

/** SQL held by a file, or by a section of one (dbmate, inline ROLLBACK). */
export interface SqlFile {
  /** Path as given to / found by the tool (relative to the cwd when under it). */
  path: string;
  text: string;
  /** The regions of `text` that belong to this direction; absent = the whole file. */
  regions?: Region[];
  /**
   * Set when `text` is SQL extracted from a TypeScript/JavaScript module (`path` is the module):
   * maps every character back into the module so findings point there.
   */
  origin?: SourceOrigin;
  /** What the module sends that cannot be known statically (reported as `dynamic-sql`). */
  dynamic?: DynamicSqlNote[];
}

/** One place where a module's SQL is built or chosen at run time. */
export interface DynamicSqlNote {
  kind: "interpolation" | "expression" | "bindings" | "control-flow" | "unmapped-call";
  /** The source text responsible (`${schema}`, `if (!exists)`, `db.schema.createTable(…)`). */
  expression: string;
  line: number;
  column: number;
  /** Index into the extracted `text` where the unknown SQL would sit (orders findings). */
  at: number;
}

/** Where a generated down is written. */
export type DownTarget =
  | { kind: "file"; path: string }
  /** Replace the body of a section in the up file (dbmate `-- migrate:down`, inline ROLLBACK). */
  | { kind: "section"; path: string; style: "dbmate" | "rollback" | "node-pg-migrate" }
  /** Fill the `down()` of a TypeScript/JavaScript migration module, in the file's own call style. */
  | { kind: "module"; path: string; style: ModuleStyle };

/** How a module's down sends SQL: `await queryRunner.query(…)`, `this.addSql(…)`, … */
export type ModuleStyle = "typeorm" | "mikro-orm" | "kysely" | "knex" | "node-pg-migrate" | "plain-ts";

export interface Migration {
  /** Unique within its set, stable across runs: usually `<version>_<name>`. */
  id: string;
  /** Sort key as the runner orders migrations. */
  version: string;
  name: string;
  up: SqlFile;
  /** The existing hand-written down, when the layout keeps one and it exists. */
  down?: SqlFile;
  /** False when the layout keeps no downs at all (prisma, supabase): no `missing-down` then. */
  expectsDown: boolean;
  downTarget: DownTarget;
  /** Does the runner wrap this migration in a transaction? */
  transactional: boolean;
  /** How exactly (see `TransactionMode`); `transactional` is true for the first two modes. */
  transactionMode?: TransactionMode;
  /** Why `transactional` has its value (`diesel metadata.toml run_in_transaction = false`, …), for messages. */
  transactionReason: string;
  /** Files (relative paths) that only set up history and are never linted: kratos' prelude. */
  prelude?: boolean;
  /**
   * One side of this migration is code, not SQL (concourse keeps some as `<ver>_<name>.up.go`).
   * `"up"`: `up.text` is empty and `up.path` names the code file: never parse, replay or report it.
   * `"down"`: the down is code, so `down` is absent and none is expected.
   */
  external?: "up" | "down";
  /**
   * The up file's inline `-- ROLLBACK START` … `-- ROLLBACK END` section bodies, and whether each holds
   * live SQL, which every runner but dbmate executes right after the up (the `live-rollback-section` rule).
   */
  rollbackSections?: { region: Region; live: boolean }[];
  /** sqitch's verify script for this change, when there is one. */
  verify?: SqlFile;
  /** sqitch: the change as the plan states it (ids, dependencies, tags), which the registry records. */
  sqitch?: SqitchPlanned;
  /** drizzle: the journal's `when` (drizzle-orm records it as `created_at` and applies only later ones). */
  when?: number;
}

export interface MigrationSet {
  layout: LayoutId;
  /** The folder holding the migrations (relative to the cwd when under it). */
  root: string;
  /** Ordered as the runner applies them, history prelude first. */
  migrations: Migration[];
  /** Files under the root that look like SQL but belong to no migration (reported, not fatal). */
  stray: string[];
  /** Why this layout was chosen (`--layout`, or the evidence that scored highest), for messages. */
  detection?: Detection;
}

export interface Detection {
  /** `forced` by `--layout` / config, or `detected`. */
  by: "forced" | "detected";
  score: number;
  /** Human-readable facts that decided it (`meta/_journal.json present`, `Cargo.toml above the folder`). */
  evidence: string[];
}

/** What a layout's `detect` concluded about a folder. */
export interface DetectResult {
  score: number;
  evidence: string[];
}

/** One framework's discovery logic. */
export interface Layout {
  id: LayoutId;
  /** How sure we are this folder is ours: 0 = not at all. The highest score wins auto-detection. */
  detect(dir: DirListing): number;
  /** `detect` with the facts behind the score (used for `MigrationSet.detection`); optional for old callers. */
  explain?(dir: DirListing): DetectResult;
  /** Build the ordered set. Reads files through `fs` so tests can hand in a fake tree. */
  load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet>;
}

/** The files under a candidate root, relative to it, with `/` separators. */
export interface DirListing {
  root: string;
  files: string[];
  /** The root's absolute path when known (folder names above a `.` root: `supabase/migrations`). */
  absolute?: string;
  /** Texts of the SQL files in `files` when discovery has read them (content evidence: dbmate markers…). */
  contents?: ReadonlyMap<string, string>;
  /** What the project around the root says (manifests found in the folders above it). */
  hints?: ProjectHints;
}

/** Facts about the project a migration folder lives in, read from the folders above it. */
export interface ProjectHints {
  /** Marker files found above the root, nearest first (`Cargo.toml`, `go.mod`, `package.json`, …). */
  markers: string[];
  /** Migration tools those manifests depend on (`sqlx`, `diesel`, `golang-migrate`, `drizzle-kit`, …). */
  tools: string[];
}

export interface LayoutFs {
  readText(path: string): Promise<string>;
  exists(path: string): Promise<boolean>;
}

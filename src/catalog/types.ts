/**
 * The schema model replayed from the migration history.
 *
 * A Catalog is immutable: applying a statement returns a new Catalog that shares every object it did
 * not touch (the maps are persistent hash tries, `src/catalog/pmap.ts`), so the catalog before each
 * statement of each migration is just a reference (no copies, no quadratic replay) and two catalogs
 * are compared object by object with `===` short-cuts (`src/catalog/compare.ts`).
 *
 * Expressions (defaults, checks, predicates, view queries, function definitions) are kept as the
 * libpg-query AST the migration wrote (`Expr`), shared with the parsed statement and never mutated.
 * They are rendered to SQL only when needed, by the one rendering module (`src/catalog/render.ts`,
 * pgsql-deparser), so the replay itself never deparses. Type names are stored canonically as
 * `format_type` prints them (`integer` whether the migration wrote `int`, `int4` or `integer`).
 */
import type { Node } from "@pgsql/types";

/** `schema.name`, with names exactly as PostgreSQL stores them (unquoted identifiers folded to lower case). */
export type ObjectKey = string;

export interface QualifiedName {
  schema: string;
  name: string;
}

/** Where an object came from, for messages ("created in 0003_users.sql:4"). */
export interface Origin {
  migrationId: string;
  path: string;
  line: number;
}

/** A parsed SQL expression (or query) node; render it with `exprSql` from `render.ts`. Never mutated. */
export type Expr = Node;

export interface Column {
  /** Identity within its table, like `attnum`: a column dropped and re-added under the same name is another column. */
  id: number;
  name: string;
  /** Canonical type text, as `format_type` prints it (`character varying(255)`, `integer[]`, `public.mood`). */
  type: string;
  /**
   * The type is not known (a CREATE TABLE AS column whose expression's type the model cannot tell):
   * `type` then says `unknown`, and nothing that needs the type can be restored.
   */
  typeUnknown?: boolean;
  /** The user-defined type (enum, domain, composite) the column's type is, or is an array of. */
  typeRef?: ObjectKey;
  notNull: boolean;
  /** Name of the NOT NULL constraint (PostgreSQL 18 records it in pg_constraint: `<table>_<column>_not_null`). */
  notNullName?: string;
  default?: Expr;
  identity?: "always" | "by default";
  /** Generated-column expression (STORED or VIRTUAL). */
  generated?: { expression: Expr; stored: boolean };
  /** Collation name, as written after COLLATE (`"C"`, `"en_US"`): already an SQL identifier. */
  collation?: string;
  comment?: string;
  storage?: string;
  statistics?: number;
  compression?: string;
}

export type ConstraintType = "primary" | "foreign" | "unique" | "check" | "exclusion";

export type FkAction = "no action" | "restrict" | "cascade" | "set null" | "set default";

export interface ForeignKey {
  table: ObjectKey;
  columns: string[];
  refColumns: string[];
  onDelete: FkAction;
  onUpdate: FkAction;
  match: "simple" | "full" | "partial";
  /** `ON DELETE SET NULL (a, b)`. */
  onDeleteColumns?: string[];
}

export interface Constraint {
  name: string;
  type: ConstraintType;
  /** Key columns (primary, unique, foreign), or the columns a check / exclusion expression reads. */
  columns: string[];
  notValid: boolean;
  deferrable: boolean;
  initiallyDeferred: boolean;
  noInherit?: boolean;
  /** CHECK expression. */
  expression?: Expr;
  foreignKey?: ForeignKey;
  /**
   * Foreign keys: the referenced table's unique index PostgreSQL chose when the key was created (its
   * primary key for `REFERENCES t`, else the oldest unique constraint on the columns). Only dropping
   * that one (CASCADE) drops the key. Not part of the key's definition: compare ignores it.
   */
  refIndex?: string;
  /** Primary, unique and exclusion constraints are backed by an index of the same name. */
  index?: string;
  /** Primary / unique: `INCLUDE (…)`, `NULLS NOT DISTINCT`, `WITH (…)` storage parameters. */
  include?: string[];
  nullsNotDistinct?: boolean;
  indexOptions?: Node[];
  /** Exclusion: `EXCLUDE USING method (element WITH operator, …) WHERE (predicate)`. */
  exclusion?: { method: string; elements: { element: Node; operator: Node[] }[]; predicate?: Expr };
  comment?: string;
}

export interface Trigger {
  name: string;
  /** The `CREATE TRIGGER` statement as parsed; rendered with the table's current name. */
  statement: Node;
  function: ObjectKey;
  enabled: "origin" | "disabled" | "replica" | "always";
  comment?: string;
}

export interface Policy {
  name: string;
  /** `all`, `select`, `insert`, `update`, `delete`. */
  command: string;
  permissive: boolean;
  /** Role names; `public`, `current_user`, `session_user`, `current_role` stand for the keywords. */
  roles: string[];
  using?: Expr;
  withCheck?: Expr;
  comment?: string;
}

/** Privileges granted on an object: grantee → privilege names (upper case, sorted; `ALL` expanded). */
export type Grants = ReadonlyMap<string, readonly string[]>;

export interface Table {
  schema: string;
  name: string;
  kind: "table" | "partitioned" | "foreign";
  columns: readonly Column[];
  /** The id the next added column gets. */
  nextColumnId: number;
  constraints: readonly Constraint[];
  triggers: readonly Trigger[];
  policies: readonly Policy[];
  rowSecurity: boolean;
  forceRowSecurity: boolean;
  unlogged: boolean;
  comment?: string;
  grants: Grants;
  /** `PARTITION BY …` (a PartitionSpec node). */
  partitionBy?: Node;
  /** Parent and bound (a PartitionBoundSpec node) when this is a partition. */
  partitionOf?: { parent: ObjectKey; bound: Node };
  inherits?: ObjectKey[];
  /** Storage parameters (`WITH (fillfactor=70)`), DefElem nodes. */
  options?: Node[];
  /** `CREATE TABLE … AS <query>` (or `SELECT … INTO`): the query; its output columns are the table's columns. */
  createdAs?: Node;
  /** Foreign tables: the server name and OPTIONS. */
  foreign?: { server: string; options?: Node[] };
  origin?: Origin;
}

export interface Index {
  schema: string;
  name: string;
  /** The table or materialized view the index is on. */
  table: ObjectKey;
  unique: boolean;
  method: string;
  /** Key elements (IndexElem nodes: column or expression, collation, opclass, ordering). */
  params: Node[];
  include: string[];
  predicate?: Expr;
  /** Storage parameters (DefElem nodes). */
  options?: Node[];
  nullsNotDistinct?: boolean;
  tablespace?: string;
  /** Every column the key, INCLUDE list and predicate read (dropping one of them drops the index). */
  columns: string[];
  /** Set when the index belongs to a constraint (dropped with it). */
  constraint?: string;
  comment?: string;
  origin?: Origin;
}

export type TypeDef =
  | { kind: "enum"; schema: string; name: string; labels: readonly string[]; comment?: string; grants?: Grants; origin?: Origin }
  | {
      kind: "domain";
      schema: string;
      name: string;
      baseType: string;
      baseRef?: ObjectKey;
      notNull: boolean;
      default?: Expr;
      collation?: string;
      checks: readonly { name: string; expression: Expr; notValid: boolean }[];
      comment?: string;
      grants?: Grants;
      origin?: Origin;
    }
  | {
      kind: "composite";
      schema: string;
      name: string;
      attributes: readonly { name: string; type: string; typeRef?: ObjectKey; collation?: string }[];
      comment?: string;
      grants?: Grants;
      origin?: Origin;
    }
  /** Range and base types and anything else: the defining statement, rendered as written. */
  | { kind: "range" | "other"; schema: string; name: string; statement: Node; comment?: string; grants?: Grants; origin?: Origin };

/** Sequence parameters as PostgreSQL stores them (pg_sequence), numbers as decimal strings (they are bigint). */
export interface SequenceOptions {
  type: "smallint" | "integer" | "bigint";
  increment: string;
  min: string;
  max: string;
  start: string;
  cache: string;
  cycle: boolean;
}

export interface Sequence {
  schema: string;
  name: string;
  options: SequenceOptions;
  ownedBy?: { table: ObjectKey; column: string };
  /** The sequence of an identity column (created and dropped with the column, never on its own). */
  identity?: boolean;
  unlogged?: boolean;
  comment?: string;
  grants: Grants;
  origin?: Origin;
}

export interface View {
  schema: string;
  name: string;
  materialized: boolean;
  /** The query (a SelectStmt node). */
  query: Node;
  /** Column names given after the view name. */
  columns?: string[];
  /** `WITH (security_barrier, …)` options (DefElem nodes). */
  options?: Node[];
  checkOption?: "local" | "cascaded";
  /** Materialized views: created `WITH NO DATA`. */
  withNoData?: boolean;
  /** Tables and views the query reads. */
  dependsOn: ObjectKey[];
  /**
   * Column names the view depends on: the ones its query names, and for `*` over a table the
   * columns the table had when the view was created (PostgreSQL expands `*` then).
   */
  columnsRead?: string[];
  comment?: string;
  /** Column comments (`COMMENT ON COLUMN view.col`). */
  columnComments?: ReadonlyMap<string, string>;
  grants: Grants;
  origin?: Origin;
}

export interface FunctionDef {
  schema: string;
  name: string;
  kind: "function" | "procedure" | "aggregate";
  /** Argument types as PostgreSQL identifies the function (`integer`, `text`): IN, INOUT and VARIADIC only. */
  argTypes: string[];
  /** The defining statement (CreateFunctionStmt, or DefineStmt for aggregates), rendered with the current name. */
  statement: Node;
  returns?: string;
  language?: string;
  comment?: string;
  grants: Grants;
  origin?: Origin;
}

export interface Extension {
  name: string;
  schema?: string;
  version?: string;
  comment?: string;
  origin?: Origin;
}

export interface SchemaDef {
  name: string;
  comment?: string;
  grants: Grants;
  origin?: Origin;
}

/** A statement the replay could not model; kept so nothing is silently skipped. */
export interface UnmodelledStatement {
  migrationId: string;
  path: string;
  line: number;
  tag: string;
  reason: string;
}

export interface Catalog {
  readonly schemas: ReadonlyMap<string, SchemaDef>;
  readonly tables: ReadonlyMap<ObjectKey, Table>;
  readonly indexes: ReadonlyMap<ObjectKey, Index>;
  readonly types: ReadonlyMap<ObjectKey, TypeDef>;
  readonly sequences: ReadonlyMap<ObjectKey, Sequence>;
  readonly views: ReadonlyMap<ObjectKey, View>;
  /** Keyed `schema.name(argtype, …)`. */
  readonly functions: ReadonlyMap<string, FunctionDef>;
  readonly extensions: ReadonlyMap<string, Extension>;
  readonly unmodelled: readonly UnmodelledStatement[];
  /**
   * `SET search_path` earlier in the same migration (a runner uses one session per migration), so
   * the names of the following statements resolve the way PostgreSQL resolves them.
   */
  readonly session?: { migrationId: string; searchPath: readonly string[] };
}

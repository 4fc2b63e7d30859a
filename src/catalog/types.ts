/**
 * The schema model replayed from the migration history.
 *
 * A Catalog is immutable: `apply` returns a new Catalog that shares every object it did not touch, so
 * the catalog before each statement of each migration is just a reference (no copies, no quadratic
 * replay) and two catalogs are compared object by object with `===` short-cuts.
 *
 * SQL fragments (types, defaults, expressions, definitions) are stored as text rendered by one routine
 * (`src/catalog/render.ts`, from pgsql-deparser), so equal definitions have equal text whichever
 * spelling the migration used (`int4` / `integer`, `character varying` / `varchar`).
 */

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

export interface Column {
  name: string;
  /** Canonical type text, as `format_type` would print it where we can (`character varying(255)`, `integer[]`). */
  type: string;
  notNull: boolean;
  /** Default expression text, absent when none. */
  default?: string;
  identity?: "always" | "by default";
  /** Generated-column expression (STORED or VIRTUAL). */
  generated?: { expression: string; stored: boolean };
  collation?: string;
  comment?: string;
  storage?: string;
  statistics?: number;
  /** The sequence a serial column owns (`t_c_seq`). */
  ownedSequence?: ObjectKey;
}

export type ConstraintType = "primary" | "foreign" | "unique" | "check" | "exclusion" | "notnull";

export interface ForeignKey {
  table: ObjectKey;
  columns: string[];
  refColumns: string[];
  onDelete: string;
  onUpdate: string;
  match?: string;
}

export interface Constraint {
  name: string;
  type: ConstraintType;
  /** The text after `ADD CONSTRAINT <name>`: `FOREIGN KEY (a) REFERENCES t(id) ON DELETE CASCADE`. */
  definition: string;
  columns: string[];
  notValid: boolean;
  deferrable?: boolean;
  initiallyDeferred?: boolean;
  foreignKey?: ForeignKey;
  /** Constraints backed by an index (primary, unique, exclusion) name it here. */
  index?: string;
  comment?: string;
}

export interface Trigger {
  name: string;
  /** Full `CREATE TRIGGER …` statement text. */
  definition: string;
  function: ObjectKey;
  enabled: "origin" | "disabled" | "replica" | "always";
  comment?: string;
}

export interface Policy {
  name: string;
  /** Full `CREATE POLICY …` statement text. */
  definition: string;
  command: string;
  permissive: boolean;
  roles: string[];
  using?: string;
  withCheck?: string;
  comment?: string;
}

/** Privileges granted on an object: grantee → privilege names (upper case, `SELECT`, `ALL`). */
export type Grants = ReadonlyMap<string, readonly string[]>;

export interface Table {
  schema: string;
  name: string;
  kind: "table" | "partitioned" | "foreign";
  columns: readonly Column[];
  constraints: readonly Constraint[];
  triggers: readonly Trigger[];
  policies: readonly Policy[];
  rowSecurity: boolean;
  forceRowSecurity: boolean;
  unlogged: boolean;
  comment?: string;
  grants: Grants;
  /** `PARTITION BY …` clause text. */
  partitionBy?: string;
  /** Parent and bound when this is a partition. */
  partitionOf?: { parent: ObjectKey; bound: string };
  inherits?: ObjectKey[];
  /** Storage parameters (`fillfactor=70`). */
  options?: string[];
  origin?: Origin;
}

export interface Index {
  schema: string;
  name: string;
  table: ObjectKey;
  unique: boolean;
  method: string;
  /** Full `CREATE [UNIQUE] INDEX name ON table USING method (…) …` text, without CONCURRENTLY / IF NOT EXISTS. */
  definition: string;
  /** Key column names (expressions appear as their text). */
  columns: string[];
  predicate?: string;
  include?: string[];
  /** Set when the index belongs to a constraint (dropped with it). */
  constraint?: string;
  comment?: string;
  origin?: Origin;
}

export type TypeDef =
  | { kind: "enum"; schema: string; name: string; labels: readonly string[]; comment?: string; origin?: Origin }
  | {
      kind: "domain";
      schema: string;
      name: string;
      baseType: string;
      notNull: boolean;
      default?: string;
      checks: readonly { name: string; expression: string }[];
      comment?: string;
      origin?: Origin;
    }
  | { kind: "composite"; schema: string; name: string; attributes: readonly { name: string; type: string }[]; comment?: string; origin?: Origin }
  | { kind: "range" | "other"; schema: string; name: string; definition: string; comment?: string; origin?: Origin };

export interface Sequence {
  schema: string;
  name: string;
  /** Full `CREATE SEQUENCE …` option list text (`AS bigint INCREMENT BY 1 …`), as written or implied. */
  options: Record<string, string>;
  ownedBy?: { table: ObjectKey; column: string };
  comment?: string;
  grants: Grants;
  origin?: Origin;
}

export interface View {
  schema: string;
  name: string;
  materialized: boolean;
  /** The `SELECT …` text. */
  query: string;
  columns?: string[];
  options?: string[];
  /** Tables and views the query reads. */
  dependsOn: ObjectKey[];
  comment?: string;
  grants: Grants;
  origin?: Origin;
}

export interface FunctionDef {
  schema: string;
  name: string;
  kind: "function" | "procedure" | "aggregate";
  /** Argument types as PostgreSQL identifies the function (`integer, text`). */
  argTypes: string[];
  /** Full `CREATE OR REPLACE FUNCTION …` statement text. */
  definition: string;
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
}

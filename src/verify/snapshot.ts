/**
 * A canonical picture of everything a migration can change in the user schemas, built from one catalog
 * query (see snapshot-sql.ts). Two snapshots of databases with the same schema are deeply equal whatever
 * the OIDs, creation order or engine session were, so `diff()` can compare them field by field.
 *
 * Fields that hold their default value are left out (a table without row level security has no
 * `rowSecurity` key), which keeps snapshots small and diffs readable.
 */
import { SNAPSHOT_SQL } from "./snapshot-sql.js";

export interface Column {
  name: string;
  type: string;
  notNull?: true;
  default?: string;
  /** `ALWAYS` or `BY DEFAULT`. */
  identity?: string;
  /** Generation expression with its kind: `STORED (expr)` / `VIRTUAL (expr)`. */
  generated?: string;
  collation?: string;
  storage?: string;
  statistics?: number;
  compression?: string;
  options?: string[];
  comment?: string;
  acl?: string[];
}

export interface Constraint {
  type: string;
  definition: string;
  comment?: string;
}

export interface Trigger {
  definition: string;
  /** Only when not the default (`O`, fires in origin mode): `D` disabled, `R` replica, `A` always. */
  enabled?: string;
  comment?: string;
}

export interface Policy {
  command: string;
  permissive: boolean;
  roles: string[];
  using?: string;
  withCheck?: string;
  comment?: string;
}

export type RelationKind = "table" | "partitioned table" | "view" | "materialized view" | "foreign table";

export interface Relation {
  kind: RelationKind;
  owner: string;
  acl: string[];
  comment?: string;
  unlogged?: true;
  rowSecurity?: true;
  forceRowSecurity?: true;
  options?: string[];
  replicaIdentity?: string;
  accessMethod?: string;
  definition?: string;
  partitionKey?: string;
  partitionBound?: string;
  inherits?: string[];
  columns: Column[];
  constraints: Record<string, Constraint>;
  triggers: Record<string, Trigger>;
  policies: Record<string, Policy>;
  rules: Record<string, { definition: string; enabled?: string }>;
}

export interface SchemaObject {
  owner: string;
  acl: string[];
  comment?: string;
}

export interface SequenceObject {
  type: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle?: true;
  ownedBy?: string;
  owner: string;
  acl: string[];
  comment?: string;
  unlogged?: true;
}

export interface IndexObject {
  table: string;
  definition: string;
  clustered?: true;
  replicaIdentity?: true;
  invalid?: true;
  comment?: string;
}

export type TypeKind = "enum" | "domain" | "composite type" | "range type" | "base type" | "shell type";

export interface TypeObject {
  kind: TypeKind;
  owner: string;
  acl: string[];
  comment?: string;
  /** Enum labels in sort order. */
  labels?: string[];
  baseType?: string;
  notNull?: true;
  default?: string;
  collation?: string;
  constraints?: Record<string, { definition: string; comment?: string }>;
  /** Composite type attributes, in order. */
  columns?: Column[];
  range?: Record<string, string>;
}

export interface FunctionObject {
  kind: "function" | "procedure" | "aggregate" | "window function";
  definition: string;
  owner: string;
  acl: string[];
  comment?: string;
}

export interface ExtensionObject {
  version: string;
  schema: string;
  comment?: string;
}

export interface PublicationObject {
  owner: string;
  allTables?: true;
  operations: string[];
  tables: string[];
  comment?: string;
}

export interface Snapshot {
  schemas: Record<string, SchemaObject>;
  relations: Record<string, Relation>;
  sequences: Record<string, SequenceObject>;
  indexes: Record<string, IndexObject>;
  types: Record<string, TypeObject>;
  functions: Record<string, FunctionObject>;
  extensions: Record<string, ExtensionObject>;
  publications: Record<string, PublicationObject>;
  defaultPrivileges: Record<string, { acl: string[] }>;
  statistics: Record<string, { definition: string; comment?: string }>;
}

/** The collections of a snapshot, in the order a diff reports them. */
export const SNAPSHOT_COLLECTIONS = [
  "extensions",
  "schemas",
  "types",
  "sequences",
  "relations",
  "indexes",
  "functions",
  "publications",
  "defaultPrivileges",
  "statistics",
] as const satisfies readonly (keyof Snapshot)[];

export type SnapshotCollection = (typeof SNAPSHOT_COLLECTIONS)[number];

/** Anything that can run a query and hand back rows; both engines are. */
export interface Queryable {
  query<R extends object>(sql: string, params?: unknown[]): Promise<R[]>;
}

/** Reads a snapshot. Runs with `search_path` = pg_catalog so every name in a definition is schema-qualified. */
export async function readSnapshot(db: Queryable): Promise<Snapshot> {
  const [saved] = await db.query<{ path: string }>("SELECT current_setting('search_path') AS path");
  await db.query("SELECT set_config('search_path', 'pg_catalog', false)");
  try {
    const [row] = await db.query<{ snapshot: string }>(SNAPSHOT_SQL);
    return buildSnapshot(JSON.parse(row!.snapshot) as RawSnapshot);
  } finally {
    await db.query("SELECT set_config('search_path', $1, false)", [saved?.path ?? '"$user", public']);
  }
}

/** An empty snapshot: a database with no user objects at all. */
export function emptySnapshot(): Snapshot {
  return {
    schemas: {},
    relations: {},
    sequences: {},
    indexes: {},
    types: {},
    functions: {},
    extensions: {},
    publications: {},
    defaultPrivileges: {},
    statistics: {},
  };
}

/**
 * The platform's objects (`<collection>:<key>` → their value when the platform was installed), reduced in a
 * snapshot to what the migrations changed about them. An untouched platform object becomes a stub
 * `{ platform: true }` (plus its `kind`); a touched one keeps only the changed fields, and of its nested
 * members (columns, constraints, triggers, policies, rules) only the added or changed ones, so a trigger a
 * migration puts on `auth.users` shows up as exactly that in a diff.
 */
export type PlatformBaseline = ReadonlyMap<string, unknown>;

const NESTED = new Set(["constraints", "triggers", "policies", "rules"]);

export function reduceToPlatformDelta(snapshot: Snapshot, baseline: PlatformBaseline): Snapshot {
  if (baseline.size === 0) return snapshot;
  const out = { ...snapshot };
  for (const collection of SNAPSHOT_COLLECTIONS) {
    const reduced: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(snapshot[collection])) {
      const base = baseline.get(`${collection}:${key}`);
      reduced[key] = base === undefined ? value : delta(value as Record<string, unknown>, base as Record<string, unknown>);
    }
    (out as Record<SnapshotCollection, unknown>)[collection] = reduced;
  }
  return out;
}

function delta(value: Record<string, unknown>, base: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { platform: true };
  if (typeof value["kind"] === "string") out["kind"] = value["kind"];
  for (const field of new Set([...Object.keys(value), ...Object.keys(base)])) {
    if (field === "kind") continue;
    const now = value[field];
    const was = base[field];
    if (field === "columns" && Array.isArray(now) && Array.isArray(was)) {
      const before = new Map((was as Column[]).map((c) => [c.name, JSON.stringify(c)]));
      const changed = (now as Column[]).filter((c) => before.get(c.name) !== JSON.stringify(c));
      if (changed.length) out[field] = changed;
    } else if (NESTED.has(field) && isObject(now) && isObject(was)) {
      const changed = Object.entries(now).filter(([k, v]) => JSON.stringify(was[k]) !== JSON.stringify(v));
      if (changed.length) out[field] = Object.fromEntries(changed);
    } else if (JSON.stringify(now) !== JSON.stringify(was)) {
      out[field] = now ?? null;
    }
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

/** `<collection>:<key>` → value, for the given keys. */
export function objectValues(snapshot: Snapshot, keys: Iterable<string>): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const key of keys) {
    const at = key.indexOf(":");
    const value = (snapshot[key.slice(0, at) as SnapshotCollection] as Record<string, unknown> | undefined)?.[key.slice(at + 1)];
    if (value !== undefined) out.set(key, value);
  }
  return out;
}

/** `<collection>:<key>` of every object in a snapshot. */
export function objectKeys(snapshot: Snapshot): Set<string> {
  const keys = new Set<string>();
  for (const collection of SNAPSHOT_COLLECTIONS) {
    for (const key of Object.keys(snapshot[collection])) keys.add(`${collection}:${key}`);
  }
  return keys;
}

// ---------------------------------------------------------------------------------------------------------
// Raw rows as the catalog query returns them.

interface RawRelation {
  oid: string;
  schema: string;
  name: string;
  relkind: string;
  persistence: string;
  owner: string;
  acl: string[] | null;
  comment: string | null;
  rls: boolean;
  force_rls: boolean;
  options: string[] | null;
  replident: string;
  viewdef: string | null;
  partkey: string | null;
  partbound: string | null;
  parents: string[] | null;
  access_method: string | null;
}

interface RawColumn {
  rel: string;
  num: number;
  name: string;
  type: string;
  not_null: boolean;
  default: string | null;
  generated_expr: string | null;
  generated: string;
  identity: string;
  collation: string | null;
  storage: string | null;
  statistics: number | null;
  compression: string | null;
  options: string[] | null;
  comment: string | null;
  acl: string[] | null;
}

interface RawSnapshot {
  schemas: { name: string; owner: string; acl: string[] | null; comment: string | null }[];
  relations: RawRelation[];
  columns: RawColumn[];
  constraints: { rel: string; name: string; type: string; def: string; comment: string | null }[];
  indexes: {
    schema: string;
    name: string;
    rel: string;
    def: string;
    clustered: boolean;
    replident: boolean;
    valid: boolean;
    comment: string | null;
  }[];
  sequences: {
    rel: string;
    type: string;
    start: string;
    increment: string;
    min: string;
    max: string;
    cache: string;
    cycle: boolean;
    owned_by: string | null;
  }[];
  types: {
    schema: string;
    name: string;
    typtype: string;
    rel: string;
    owner: string;
    acl: string[] | null;
    comment: string | null;
    labels: string[] | null;
    base_type: string | null;
    not_null: boolean;
    default: string | null;
    collation: string | null;
    domain_constraints: { name: string; def: string; comment: string | null }[] | null;
    range: Record<string, string | null> | null;
  }[];
  functions: {
    schema: string;
    name: string;
    args: string;
    kind: string;
    def: string | null;
    aggregate: string | null;
    owner: string;
    acl: string[] | null;
    comment: string | null;
  }[];
  triggers: { rel: string; name: string; def: string; enabled: string; comment: string | null }[];
  policies: {
    rel: string;
    name: string;
    command: string;
    permissive: boolean;
    roles: string[] | null;
    using_expr: string | null;
    check_expr: string | null;
    comment: string | null;
  }[];
  rules: { rel: string; name: string; def: string; enabled: string }[];
  extensions: { name: string; version: string; schema: string; comment: string | null }[];
  publications: {
    name: string;
    owner: string;
    all_tables: boolean;
    ins: boolean;
    upd: boolean;
    del: boolean;
    trunc: boolean;
    tables: string[] | null;
    comment: string | null;
  }[];
  defaultPrivileges: { role: string; schema: string | null; objtype: string; acl: string[] | null }[];
  statistics: { schema: string; name: string; def: string; comment: string | null }[];
}

const RELATION_KINDS: Record<string, RelationKind> = {
  r: "table",
  p: "partitioned table",
  v: "view",
  m: "materialized view",
  f: "foreign table",
};

const TYPE_KINDS: Record<string, TypeKind> = {
  e: "enum",
  d: "domain",
  c: "composite type",
  r: "range type",
  b: "base type",
  p: "shell type",
};

const FUNCTION_KINDS: Record<string, FunctionObject["kind"]> = {
  f: "function",
  p: "procedure",
  a: "aggregate",
  w: "window function",
};

const POLICY_COMMANDS: Record<string, string> = { r: "SELECT", a: "INSERT", w: "UPDATE", d: "DELETE", "*": "ALL" };
const DEFAULT_ACL_OBJECTS: Record<string, string> = {
  r: "tables",
  S: "sequences",
  f: "functions",
  T: "types",
  n: "schemas",
  L: "large objects",
};

/** Copies `fields` without the entries whose value is null, undefined, false or an empty array. */
function compact<T extends object>(fields: { [K in keyof T]: T[K] | null | undefined | false }): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === null || v === undefined || v === false) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    out[k] = v;
  }
  return out as T;
}

function sortedRecord<T>(entries: [string, T][]): Record<string, T> {
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries);
}

function toColumn(c: RawColumn): Column {
  return compact<Column>({
    name: c.name,
    type: c.type,
    notNull: c.not_null || undefined,
    default: c.default,
    identity: c.identity === "a" ? "ALWAYS" : c.identity === "d" ? "BY DEFAULT" : undefined,
    generated: c.generated_expr ? `${c.generated === "v" ? "VIRTUAL" : "STORED"} (${c.generated_expr})` : undefined,
    collation: c.collation,
    storage: c.storage,
    statistics: c.statistics,
    compression: c.compression,
    options: c.options,
    comment: c.comment,
    acl: c.acl,
  });
}

function groupBy<T extends { rel: string }>(rows: T[]): Map<string, T[]> {
  const map = new Map<string, T[]>();
  for (const row of rows) {
    let list = map.get(row.rel);
    if (!list) map.set(row.rel, (list = []));
    list.push(row);
  }
  return map;
}

export function buildSnapshot(raw: RawSnapshot): Snapshot {
  const snapshot = emptySnapshot();
  snapshot.schemas = sortedRecord(
    raw.schemas.map((s) => [s.name, compact<SchemaObject>({ owner: s.owner, acl: s.acl ?? [], comment: s.comment })]),
  );

  const relationName = new Map<string, string>();
  for (const r of raw.relations) relationName.set(r.oid, `${r.schema}.${r.name}`);

  const columns = groupBy(raw.columns);
  for (const list of columns.values()) list.sort((a, b) => a.num - b.num);
  const constraints = groupBy(raw.constraints);
  const triggers = groupBy(raw.triggers);
  const policies = groupBy(raw.policies);
  const rules = groupBy(raw.rules);
  const sequenceParams = new Map(raw.sequences.map((s) => [s.rel, s]));
  const compositeColumns = new Map<string, Column[]>();

  const relations: [string, Relation][] = [];
  const sequences: [string, SequenceObject][] = [];
  for (const r of raw.relations) {
    const key = `${r.schema}.${r.name}`;
    if (r.relkind === "c") {
      compositeColumns.set(r.oid, (columns.get(r.oid) ?? []).map(toColumn));
      continue;
    }
    if (r.relkind === "S") {
      const s = sequenceParams.get(r.oid);
      if (!s) continue;
      sequences.push([
        key,
        compact<SequenceObject>({
          type: s.type,
          start: s.start,
          increment: s.increment,
          min: s.min,
          max: s.max,
          cache: s.cache,
          cycle: s.cycle || undefined,
          ownedBy: s.owned_by,
          owner: r.owner,
          acl: r.acl ?? [],
          comment: r.comment,
          unlogged: r.persistence === "u" || undefined,
        }),
      ]);
      continue;
    }
    const kind = RELATION_KINDS[r.relkind];
    if (!kind) continue;
    relations.push([
      key,
      {
        ...compact<Omit<Relation, "columns" | "constraints" | "triggers" | "policies" | "rules">>({
          kind,
          owner: r.owner,
          acl: r.acl ?? [],
          comment: r.comment,
          unlogged: r.persistence === "u" || undefined,
          rowSecurity: r.rls || undefined,
          forceRowSecurity: r.force_rls || undefined,
          options: r.options,
          // 'd' (the primary key) is the default; views carry 'n' and that says nothing either.
          replicaIdentity: r.replident === "d" || r.replident === "n" ? undefined : { f: "FULL", i: "INDEX" }[r.replident],
          // Every table has the same access method unless someone chose another; only name a choice.
          accessMethod: r.access_method && r.access_method !== "heap" ? r.access_method : undefined,
          definition: r.viewdef,
          partitionKey: r.partkey,
          partitionBound: r.partbound,
          inherits: r.parents,
        }),
        columns: (columns.get(r.oid) ?? []).map(toColumn),
        constraints: sortedRecord(
          (constraints.get(r.oid) ?? []).map((c) => [
            c.name,
            compact<Constraint>({ type: CONSTRAINT_TYPES[c.type] ?? c.type, definition: c.def, comment: c.comment }),
          ]),
        ),
        triggers: sortedRecord(
          (triggers.get(r.oid) ?? []).map((t) => [
            t.name,
            compact<Trigger>({ definition: t.def, enabled: t.enabled === "O" ? undefined : t.enabled, comment: t.comment }),
          ]),
        ),
        policies: sortedRecord(
          (policies.get(r.oid) ?? []).map((p) => [
            p.name,
            compact<Policy>({
              command: POLICY_COMMANDS[p.command] ?? p.command,
              permissive: p.permissive,
              roles: p.roles ?? [],
              using: p.using_expr,
              withCheck: p.check_expr,
              comment: p.comment,
            }),
          ]),
        ),
        rules: sortedRecord(
          (rules.get(r.oid) ?? []).map((u) => [
            u.name,
            compact<{ definition: string; enabled?: string }>({ definition: u.def, enabled: u.enabled === "O" ? undefined : u.enabled }),
          ]),
        ),
      },
    ]);
  }
  snapshot.relations = sortedRecord(relations);
  snapshot.sequences = sortedRecord(sequences);

  snapshot.indexes = sortedRecord(
    raw.indexes.map((i) => [
      `${i.schema}.${i.name}`,
      compact<IndexObject>({
        table: relationName.get(i.rel) ?? "?",
        definition: i.def,
        clustered: i.clustered || undefined,
        replicaIdentity: i.replident || undefined,
        invalid: !i.valid || undefined,
        comment: i.comment,
      }),
    ]),
  );

  snapshot.types = sortedRecord(
    raw.types.map((t) => [
      `${t.schema}.${t.name}`,
      compact<TypeObject>({
        kind: TYPE_KINDS[t.typtype] ?? "base type",
        owner: t.owner,
        acl: t.acl ?? [],
        comment: t.comment,
        labels: t.labels ?? undefined,
        baseType: t.base_type,
        notNull: (t.typtype === "d" && t.not_null) || undefined,
        default: t.default,
        collation: t.collation,
        constraints: t.domain_constraints
          ? sortedRecord(t.domain_constraints.map((c) => [c.name, compact({ definition: c.def, comment: c.comment })]))
          : undefined,
        columns: t.typtype === "c" ? compositeColumns.get(t.rel) ?? [] : undefined,
        range: t.range ? (compact(t.range) as Record<string, string>) : undefined,
      }),
    ]),
  );

  snapshot.functions = sortedRecord(
    raw.functions.map((f) => [
      `${f.schema}.${f.name}(${f.args})`,
      compact<FunctionObject>({
        kind: FUNCTION_KINDS[f.kind] ?? "function",
        definition: f.def ?? f.aggregate ?? "",
        owner: f.owner,
        acl: f.acl ?? [],
        comment: f.comment,
      }),
    ]),
  );

  snapshot.extensions = sortedRecord(
    raw.extensions.map((x) => [x.name, compact<ExtensionObject>({ version: x.version, schema: x.schema, comment: x.comment })]),
  );

  snapshot.publications = sortedRecord(
    raw.publications.map((p) => [
      p.name,
      {
        ...compact<Omit<PublicationObject, "operations" | "tables">>({
          owner: p.owner,
          allTables: p.all_tables || undefined,
          comment: p.comment,
        }),
        operations: [p.ins && "insert", p.upd && "update", p.del && "delete", p.trunc && "truncate"].filter(
          (x): x is string => typeof x === "string",
        ),
        tables: p.tables ?? [],
      },
    ]),
  );

  snapshot.defaultPrivileges = sortedRecord(
    raw.defaultPrivileges.map((d) => [
      `${DEFAULT_ACL_OBJECTS[d.objtype] ?? d.objtype} of ${d.role}${d.schema ? ` in ${d.schema}` : ""}`,
      { acl: d.acl ?? [] },
    ]),
  );

  snapshot.statistics = sortedRecord(
    raw.statistics.map((s) => [`${s.schema}.${s.name}`, compact({ definition: s.def, comment: s.comment })]),
  );
  return snapshot;
}

const CONSTRAINT_TYPES: Record<string, string> = {
  c: "check",
  f: "foreign key",
  p: "primary key",
  u: "unique",
  t: "trigger",
  x: "exclusion",
};

/**
 * Differences between two snapshots, each with a path a reader can follow
 * (`table public.users › column email › default`).
 *
 * Column order is reported apart from everything else: a down that drops a column and adds it back puts it
 * last, which restores the schema but not the physical layout, and users want to tell the two apart.
 */
import { SNAPSHOT_COLLECTIONS, type Column, type Snapshot, type SnapshotCollection } from "./snapshot.js";

export interface Difference {
  /** Path segments, outermost first: `["table public.users", "column email", "default"]`. */
  path: string[];
  /** Relative to going from `a` to `b`: `added` exists only in b, `removed` only in a. */
  kind: "added" | "removed" | "changed";
  before?: unknown;
  after?: unknown;
}

export interface ColumnOrderDifference {
  /** `["table public.users"]` or `["composite type public.pair"]`. */
  path: string[];
  before: string[];
  after: string[];
}

export interface SnapshotDiff {
  differences: Difference[];
  columnOrder: ColumnOrderDifference[];
}

export function isSame(d: SnapshotDiff): boolean {
  return d.differences.length === 0 && d.columnOrder.length === 0;
}

const COLLECTION_NOUN: Record<SnapshotCollection, string> = {
  extensions: "extension",
  schemas: "schema",
  types: "type",
  sequences: "sequence",
  relations: "relation",
  indexes: "index",
  functions: "function",
  publications: "publication",
  defaultPrivileges: "default privileges",
  statistics: "statistics",
};

/** Keyed collections nested inside objects, and the noun each member is called by. */
const NESTED_NOUN: Record<string, string> = {
  constraints: "constraint",
  triggers: "trigger",
  policies: "policy",
  rules: "rule",
};

/** How a field reads in a path. */
const FIELD_LABEL: Record<string, string> = {
  notNull: "not null",
  acl: "privileges",
  rowSecurity: "row level security",
  forceRowSecurity: "force row level security",
  replicaIdentity: "replica identity",
  accessMethod: "access method",
  partitionKey: "partition key",
  partitionBound: "partition bound",
  baseType: "base type",
  ownedBy: "owned by",
  withCheck: "with check",
  allTables: "all tables",
};

function label(field: string): string {
  return FIELD_LABEL[field] ?? field;
}

/** The noun a member of a top-level collection goes by: its own kind when it has one (table, view, enum, …). */
function memberNoun(collection: SnapshotCollection, value: unknown): string {
  if (value && typeof value === "object" && "kind" in value && typeof value.kind === "string") return value.kind;
  return COLLECTION_NOUN[collection];
}

/** Key-sorted JSON: equal values give equal text whatever order their keys were set in. */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), null, indent);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

function equal(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** Compares `a` (expected) with `b` (actual). */
export function diff(a: Snapshot, b: Snapshot): SnapshotDiff {
  const out: SnapshotDiff = { differences: [], columnOrder: [] };
  for (const collection of SNAPSHOT_COLLECTIONS) {
    const left: Record<string, unknown> = a[collection];
    const right: Record<string, unknown> = b[collection];
    for (const key of unionKeys(left, right)) {
      const l = left[key];
      const r = right[key];
      const nounL = l === undefined ? undefined : memberNoun(collection, l);
      const nounR = r === undefined ? undefined : memberNoun(collection, r);
      if (l === undefined) out.differences.push({ path: [`${nounR} ${key}`], kind: "added", after: r });
      else if (r === undefined) out.differences.push({ path: [`${nounL} ${key}`], kind: "removed", before: l });
      else if (nounL !== nounR) out.differences.push({ path: [`${nounL} ${key}`, "kind"], kind: "changed", before: nounL, after: nounR });
      else diffObject([`${nounL} ${key}`], l as Record<string, unknown>, r as Record<string, unknown>, out);
    }
  }
  return out;
}

function unionKeys(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}

function diffObject(path: string[], a: Record<string, unknown>, b: Record<string, unknown>, out: SnapshotDiff): void {
  for (const field of unionKeys(a, b)) {
    const l = a[field];
    const r = b[field];
    if (field === "columns" && Array.isArray(l) && Array.isArray(r)) {
      diffColumns(path, l as Column[], r as Column[], out);
    } else if (field in NESTED_NOUN && isRecord(l) && isRecord(r)) {
      const noun = NESTED_NOUN[field]!;
      for (const key of unionKeys(l, r)) {
        const lv = l[key];
        const rv = r[key];
        const at = [...path, `${noun} ${key}`];
        if (lv === undefined) out.differences.push({ path: at, kind: "added", after: rv });
        else if (rv === undefined) out.differences.push({ path: at, kind: "removed", before: lv });
        else if (isRecord(lv) && isRecord(rv)) diffLeaves(at, lv, rv, out);
        else if (!equal(lv, rv)) out.differences.push({ path: at, kind: "changed", before: lv, after: rv });
      }
    } else if (!equal(l, r)) {
      out.differences.push({ path: [...path, label(field)], kind: "changed", before: l ?? null, after: r ?? null });
    }
  }
}

function diffLeaves(path: string[], a: Record<string, unknown>, b: Record<string, unknown>, out: SnapshotDiff): void {
  for (const field of unionKeys(a, b)) {
    if (!equal(a[field], b[field])) {
      out.differences.push({ path: [...path, label(field)], kind: "changed", before: a[field] ?? null, after: b[field] ?? null });
    }
  }
}

function diffColumns(path: string[], a: Column[], b: Column[], out: SnapshotDiff): void {
  const left = new Map(a.map((c) => [c.name, c]));
  const right = new Map(b.map((c) => [c.name, c]));
  for (const name of unionKeys(Object.fromEntries(left), Object.fromEntries(right))) {
    const l = left.get(name);
    const r = right.get(name);
    const at = [...path, `column ${name}`];
    if (!l) out.differences.push({ path: at, kind: "added", after: r });
    else if (!r) out.differences.push({ path: at, kind: "removed", before: l });
    else diffLeaves(at, l as unknown as Record<string, unknown>, r as unknown as Record<string, unknown>, out);
  }
  // Order is judged on the columns both sides have, so an added column does not also count as a move.
  const before = a.map((c) => c.name).filter((n) => right.has(n));
  const after = b.map((c) => c.name).filter((n) => left.has(n));
  if (!equal(before, after)) out.columnOrder.push({ path, before: a.map((c) => c.name), after: b.map((c) => c.name) });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return !!v && typeof v === "object" && !Array.isArray(v);
}

export const PATH_SEPARATOR = " › ";

/** One line per difference, for terminals and logs. */
export function formatDiff(d: SnapshotDiff, options: { maxValueLength?: number } = {}): string[] {
  const max = options.maxValueLength ?? 160;
  const lines: string[] = [];
  for (const x of d.differences) {
    const where = x.path.join(PATH_SEPARATOR);
    if (x.kind === "added") lines.push(`+ ${where}`);
    else if (x.kind === "removed") lines.push(`- ${where}`);
    else lines.push(`~ ${where}: ${short(x.before, max)} → ${short(x.after, max)}`);
  }
  for (const x of d.columnOrder) {
    lines.push(`↕ ${x.path.join(PATH_SEPARATOR)} › column order: (${x.before.join(", ")}) → (${x.after.join(", ")})`);
  }
  return lines;
}

function short(value: unknown, max: number): string {
  const text = value === null || value === undefined ? "none" : typeof value === "string" ? JSON.stringify(value) : canonicalJson(value);
  const flat = text.replace(/\\n\s*/g, " ");
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

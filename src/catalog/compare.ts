/**
 * Comparing two catalogs: what `actual` lacks, has extra, or has differently compared with
 * `expected`. Used by `down-mismatch` (the catalog after the up and the hand-written down against
 * the catalog before the up). Objects are matched by name, as a reader would (a re-added column is the
 * same column), and the persistent maps make untouched objects compare by identity at no cost.
 */
import type { Node } from "@pgsql/types";
import { exprSql } from "./render.js";
import { diffMaps } from "./pmap.js";
import { sameNode } from "./exprs.js";
import type { Catalog, Column, Constraint, Grants, Index, ObjectKey, Policy, Table, Trigger, View } from "./types.js";

export type ObjectKind = "schema" | "extension" | "type" | "sequence" | "function" | "table" | "view" | "index";

export interface CatalogDifference {
  /** Outermost first: `["table public.users", "column email", "type"]`. */
  path: string[];
  /** Relative to `expected`: `missing` (not in actual), `extra` (only in actual), `changed`. */
  kind: "missing" | "extra" | "changed";
  /** The top-level object the difference is in. */
  object: { kind: ObjectKind; key: ObjectKey };
  expected?: string;
  actual?: string;
}

export interface CompareOptions {
  /** Report a different column order (a re-added column goes last; on by default off). */
  columnOrder?: boolean;
}

const text = (n: Node | undefined): string | undefined => (n ? safeSql(n) : undefined);

function safeSql(n: Node): string {
  try {
    return exprSql(n);
  } catch {
    return JSON.stringify(n);
  }
}

/** Equal expressions: same AST, or the same SQL once rendered (spelling differences PostgreSQL erases). */
function sameExpr(a: Node | undefined, b: Node | undefined): boolean {
  return sameNode(a, b) || (!!a && !!b && text(a) === text(b));
}

class Comparison {
  readonly out: CatalogDifference[] = [];

  constructor(private readonly options: CompareOptions) {}

  add(object: CatalogDifference["object"], path: string[], kind: CatalogDifference["kind"], expected?: string, actual?: string): void {
    const d: CatalogDifference = { path, kind, object };
    if (expected !== undefined) d.expected = expected;
    if (actual !== undefined) d.actual = actual;
    this.out.push(d);
  }

  /** `leaf` is appended to `path` only when the field differs: most compared fields are equal. */
  field(object: CatalogDifference["object"], path: string[], leaf: string, expected: unknown, actual: unknown): void {
    if (expected === actual) return;
    const e = show(expected);
    const a = show(actual);
    if (e !== a) this.add(object, [...path, leaf], "changed", e, a);
  }

  top<T>(kind: ObjectKind, noun: string, expected: ReadonlyMap<string, T>, actual: ReadonlyMap<string, T>, same: (o: CatalogDifference["object"], p: string[], e: T, a: T) => void): void {
    for (const c of diffMaps(expected, actual)) {
      const object = { kind, key: c.key };
      const path = [`${noun} ${c.key}`];
      if (c.before === undefined) this.add(object, path, "extra");
      else if (c.after === undefined) this.add(object, path, "missing");
      else same(object, path, c.before, c.after);
    }
  }

  grants(object: CatalogDifference["object"], path: string[], e: Grants | undefined, a: Grants | undefined): void {
    if (e === a) return;
    const norm = (g: Grants | undefined): string =>
      JSON.stringify([...(g ?? new Map()).entries()].map(([k, v]) => [k, [...v].sort()]).sort(([x], [y]) => (String(x) < String(y) ? -1 : 1)));
    if (norm(e) !== norm(a)) this.add(object, [...path, "privileges"], "changed", norm(e), norm(a));
  }

  table(object: CatalogDifference["object"], path: string[], e: Table, a: Table): void {
    // The same column list (a table changed in something else): no column, nor their order, differs.
    if (e.columns !== a.columns) this.columns(object, path, e, a);
    this.members(object, path, "constraint", e.constraints, a.constraints, sameConstraint, describeConstraint);
    this.members(object, path, "trigger", e.triggers, a.triggers, sameTrigger, (t) => safeSql(t.statement));
    this.members(object, path, "policy", e.policies, a.policies, samePolicy, (p) => `${p.command} ${p.roles.join(",")}`);
    this.field(object, path, "row level security", e.rowSecurity, a.rowSecurity);
    this.field(object, path, "force row level security", e.forceRowSecurity, a.forceRowSecurity);
    this.field(object, path, "unlogged", e.unlogged, a.unlogged);
    this.field(object, path, "comment", e.comment, a.comment);
    if (e.options !== a.options) this.field(object, path, "options", (e.options ?? []).map(safeSql).join(", "), (a.options ?? []).map(safeSql).join(", "));
    this.grants(object, path, e.grants, a.grants);
  }

  columns(object: CatalogDifference["object"], path: string[], e: Table, a: Table): void {
    const cols = (t: Table): Map<string, Column> => new Map(t.columns.map((c) => [c.name, c]));
    const ec = cols(e);
    const ac = cols(a);
    for (const [name, col] of ec) {
      const other = ac.get(name);
      // The same object: a column the statements left untouched (nothing of it can differ).
      if (other === col) continue;
      if (!other) this.add(object, [...path, `column ${name}`], "missing", col.type);
      else this.column(object, [...path, `column ${name}`], col, other);
    }
    for (const [name, col] of ac) if (!ec.has(name)) this.add(object, [...path, `column ${name}`], "extra", undefined, col.type);
    if (this.options.columnOrder) {
      const eo = e.columns.map((c) => c.name).filter((n) => ac.has(n));
      const ao = a.columns.map((c) => c.name).filter((n) => ec.has(n));
      if (eo.join() !== ao.join()) this.add(object, [...path, "column order"], "changed", eo.join(", "), ao.join(", "));
    }
  }

  column(object: CatalogDifference["object"], path: string[], e: Column, a: Column): void {
    this.field(object, path, "type", e.type, a.type);
    this.field(object, path, "not null", e.notNull, a.notNull);
    if (!sameExpr(e.default, a.default)) this.add(object, [...path, "default"], "changed", text(e.default) ?? "none", text(a.default) ?? "none");
    this.field(object, path, "identity", e.identity, a.identity);
    if (!sameExpr(e.generated?.expression, a.generated?.expression) || e.generated?.stored !== a.generated?.stored) {
      this.add(object, [...path, "generated"], "changed", text(e.generated?.expression) ?? "none", text(a.generated?.expression) ?? "none");
    }
    this.field(object, path, "collation", e.collation, a.collation);
    this.field(object, path, "comment", e.comment, a.comment);
    this.field(object, path, "storage", e.storage, a.storage);
    this.field(object, path, "statistics", e.statistics, a.statistics);
  }

  members<T extends { name: string }>(
    object: CatalogDifference["object"],
    path: string[],
    noun: string,
    e: readonly T[],
    a: readonly T[],
    same: (x: T, y: T) => boolean,
    describe: (x: T) => string,
  ): void {
    for (const x of e) {
      const y = a.find((m) => m.name === x.name);
      if (y === x) continue;
      if (!y) this.add(object, [...path, `${noun} ${x.name}`], "missing", describe(x));
      else if (!same(x, y)) this.add(object, [...path, `${noun} ${x.name}`], "changed", describe(x), describe(y));
      else if ((x as { comment?: string }).comment !== (y as { comment?: string }).comment) {
        this.add(object, [...path, `${noun} ${x.name}`, "comment"], "changed", show((x as { comment?: string }).comment), show((y as { comment?: string }).comment));
      }
    }
    for (const y of a) if (!e.some((m) => m.name === y.name)) this.add(object, [...path, `${noun} ${y.name}`], "extra", undefined, describe(y));
  }
}

function show(v: unknown): string {
  if (v === undefined) return "none";
  return typeof v === "string" ? v : JSON.stringify(v);
}

function sameConstraint(x: Constraint, y: Constraint): boolean {
  if (x.type !== y.type || x.notValid !== y.notValid || x.deferrable !== y.deferrable || x.initiallyDeferred !== y.initiallyDeferred) return false;
  if (x.columns.join() !== y.columns.join() && x.type !== "check") return false;
  if (x.type === "check") return sameExpr(x.expression, y.expression);
  if (x.type === "foreign") return JSON.stringify(x.foreignKey) === JSON.stringify(y.foreignKey);
  if (x.type === "exclusion") return sameNode(x.exclusion, y.exclusion);
  return (x.include ?? []).join() === (y.include ?? []).join() && !!x.nullsNotDistinct === !!y.nullsNotDistinct;
}

function describeConstraint(c: Constraint): string {
  if (c.type === "check") return `CHECK (${text(c.expression) ?? ""})`;
  if (c.type === "foreign") return `FOREIGN KEY (${c.columns.join(", ")}) REFERENCES ${c.foreignKey?.table ?? "?"} ON DELETE ${c.foreignKey?.onDelete ?? ""}`;
  return `${c.type.toUpperCase()} (${c.columns.join(", ")})`;
}

function sameTrigger(x: Trigger, y: Trigger): boolean {
  const strip = (n: Node): unknown => {
    const s = (n as { CreateTrigStmt?: Record<string, unknown> }).CreateTrigStmt;
    if (!s) return n;
    const { relation: _r, replace: _p, ...rest } = s;
    return rest;
  };
  return x.function === y.function && x.enabled === y.enabled && sameNode(strip(x.statement), strip(y.statement));
}

function samePolicy(x: Policy, y: Policy): boolean {
  return x.command === y.command && x.permissive === y.permissive && x.roles.join() === y.roles.join() && sameExpr(x.using, y.using) && sameExpr(x.withCheck, y.withCheck);
}

function sameIndex(x: Index, y: Index): boolean {
  return (
    x.table === y.table &&
    x.unique === y.unique &&
    x.method === y.method &&
    sameNode(x.params, y.params) &&
    x.include.join() === y.include.join() &&
    sameExpr(x.predicate, y.predicate) &&
    !!x.nullsNotDistinct === !!y.nullsNotDistinct
  );
}

function sameView(x: View, y: View): boolean {
  return x.materialized === y.materialized && sameExpr(x.query, y.query) && (x.columns ?? []).join() === (y.columns ?? []).join();
}

/** What `actual` does not have like `expected`. */
export function compareCatalogs(expected: Catalog, actual: Catalog, options: CompareOptions = {}): CatalogDifference[] {
  const c = new Comparison(options);
  c.top("schema", "schema", expected.schemas, actual.schemas, (o, p, e, a) => {
    c.field(o, p, "comment", e.comment, a.comment);
    c.grants(o, p, e.grants, a.grants);
  });
  c.top("extension", "extension", expected.extensions, actual.extensions, (o, p, e, a) => c.field(o, p, "schema", e.schema, a.schema));
  c.top("type", "type", expected.types, actual.types, (o, p, e, a) => {
    c.field(o, p, "kind", e.kind, a.kind);
    if (e.kind === "enum" && a.kind === "enum") c.field(o, p, "labels", e.labels.join(", "), a.labels.join(", "));
    if (e.kind === "domain" && a.kind === "domain") {
      c.field(o, p, "base type", e.baseType, a.baseType);
      c.field(o, p, "not null", e.notNull, a.notNull);
      if (!sameExpr(e.default, a.default)) c.add(o, [...p, "default"], "changed", text(e.default) ?? "none", text(a.default) ?? "none");
      c.field(o, p, "checks", e.checks.map((k) => `${k.name}: ${text(k.expression) ?? ""}`).join("; "), a.checks.map((k) => `${k.name}: ${text(k.expression) ?? ""}`).join("; "));
    }
    if (e.kind === "composite" && a.kind === "composite") {
      c.field(o, p, "attributes", e.attributes.map((x) => `${x.name} ${x.type}`).join(", "), a.attributes.map((x) => `${x.name} ${x.type}`).join(", "));
    }
    c.field(o, p, "comment", e.comment, a.comment);
  });
  c.top("sequence", "sequence", expected.sequences, actual.sequences, (o, p, e, a) => {
    c.field(o, p, "options", e.options, a.options);
    c.field(o, p, "owned by", e.ownedBy, a.ownedBy);
    c.field(o, p, "comment", e.comment, a.comment);
    c.grants(o, p, e.grants, a.grants);
  });
  c.top("function", "function", expected.functions, actual.functions, (o, p, e, a) => {
    const strip = (n: Node): unknown => {
      const s = (n as { CreateFunctionStmt?: Record<string, unknown> }).CreateFunctionStmt;
      if (!s) return n;
      const { replace: _r, funcname: _f, ...rest } = s;
      return rest;
    };
    if (!sameNode(strip(e.statement), strip(a.statement))) c.add(o, [...p, "definition"], "changed");
    c.field(o, p, "comment", e.comment, a.comment);
    c.grants(o, p, e.grants, a.grants);
  });
  c.top("table", "table", expected.tables, actual.tables, (o, p, e, a) => c.table(o, p, e, a));
  c.top("view", "view", expected.views, actual.views, (o, p, e, a) => {
    if (!sameView(e, a)) c.add(o, [...p, "definition"], "changed", text(e.query), text(a.query));
    c.field(o, p, "comment", e.comment, a.comment);
    c.grants(o, p, e.grants, a.grants);
  });
  c.top("index", "index", expected.indexes, actual.indexes, (o, p, e, a) => {
    if (!sameIndex(e, a)) c.add(o, [...p, "definition"], "changed");
    c.field(o, p, "comment", e.comment, a.comment);
  });
  return c.out;
}

/** CREATE TYPE (enum, composite, range, base), CREATE DOMAIN, ALTER TYPE (enum values), ALTER DOMAIN. */
import type { AlterDomainStmt, AlterEnumStmt, CompositeTypeStmt, CreateDomainStmt, CreateEnumStmt, CreateRangeStmt, DefineStmt, Node } from "@pgsql/types";
import { asNode, stringValues } from "../../parse/ast.js";
import type { Draft } from "../draft.js";
import { chooseConstraintName, keyOf } from "../names.js";
import { quoteName } from "../render.js";
import { resolveType } from "../typename.js";
import type { TypeDef } from "../types.js";

function typeExists(d: Draft, key: string): boolean {
  // Tables and views define a row type of the same name too.
  return d.types.has(key) || d.tables.has(key) || d.views.has(key) || d.sequences.has(key);
}

export function applyCreateEnum(d: Draft, stmt: CreateEnumStmt): void {
  const names = stringValues(stmt.typeName);
  const schema = d.resolver.schemaForNames(names);
  const name = names.at(-1) ?? "";
  const key = keyOf(schema, name);
  if (typeExists(d, key)) {
    d.unmodelledStatement(`type ${key} already exists`);
    return;
  }
  d.types = d.types.set(key, { kind: "enum", schema, name, labels: stringValues(stmt.vals), origin: d.origin });
}

export function applyAlterEnum(d: Draft, stmt: AlterEnumStmt): void {
  const key = d.resolver.resolve(stringValues(stmt.typeName), d.types);
  const t = d.types.get(key);
  if (t?.kind !== "enum") {
    d.unmodelledStatement(`enum ${key} is not known`);
    return;
  }
  if (stmt.oldVal) {
    d.types = d.types.set(key, { ...t, labels: t.labels.map((l) => (l === stmt.oldVal ? (stmt.newVal ?? l) : l)) });
    if (stmt.newVal !== undefined) renameLabelInDefaults(d, key, stmt.oldVal, stmt.newVal);
    return;
  }
  const value = stmt.newVal ?? "";
  if (t.labels.includes(value)) {
    if (!stmt.skipIfNewValExists) d.unmodelledStatement(`enum label ${value} already exists`);
    return;
  }
  const labels = [...t.labels];
  const anchor = stmt.newValNeighbor ? labels.indexOf(stmt.newValNeighbor) : -1;
  if (anchor < 0) labels.push(value);
  else labels.splice(stmt.newValIsAfter ? anchor + 1 : anchor, 0, value);
  d.types = d.types.set(key, { ...t, labels });
}

/**
 * A default of an enum column holds the label's OID, not its text: after RENAME VALUE PostgreSQL shows
 * (and a dump writes) the new label. The model's default text follows, so a later down that re-adds the
 * column or sets its default back writes a label that exists (`'a'` would be 22P02 once it is `'x'`).
 */
function renameLabelInDefaults(d: Draft, type: string, from: string, to: string): void {
  for (const t of [...d.tables.values()]) {
    const columns = t.columns.map((c) => {
      if (c.typeRef !== type || !c.default) return c;
      const renamed = renameLabel(c.default, from, to);
      return renamed === c.default ? c : { ...c, default: renamed };
    });
    if (columns.some((c, n) => c !== t.columns[n])) d.tables = d.tables.set(keyOf(t.schema, t.name), { ...t, columns });
  }
}

/** `'from'` or `'from'::type` with the label replaced; anything else as it is. */
export function renameLabel(expr: Node, from: string, to: string): Node {
  const constant = asNode(expr, "A_Const");
  if (constant?.sval?.sval === from) return { A_Const: { ...constant, sval: { sval: to } } };
  const cast = asNode(expr, "TypeCast");
  if (cast?.arg) {
    const arg = renameLabel(cast.arg, from, to);
    if (arg !== cast.arg) return { TypeCast: { ...cast, arg } };
  }
  return expr;
}

export function applyCompositeType(d: Draft, stmt: CompositeTypeStmt): void {
  const rv = stmt.typevar;
  if (!rv?.relname) return;
  const schema = d.resolver.schemaFor(rv);
  const key = keyOf(schema, rv.relname);
  if (typeExists(d, key)) {
    d.unmodelledStatement(`type ${key} already exists`);
    return;
  }
  const attributes = (stmt.coldeflist ?? []).flatMap((n) => {
    const c = asNode(n, "ColumnDef");
    if (!c) return [];
    const t = resolveType(c.typeName, d.resolver);
    return [
      {
        name: c.colname ?? "",
        type: t.text,
        ...(t.ref ? { typeRef: t.ref } : {}),
        ...(c.collClause ? { collation: stringValues(c.collClause.collname).map(quoteName).join(".") } : {}),
      },
    ];
  });
  d.types = d.types.set(key, { kind: "composite", schema, name: rv.relname, attributes, origin: d.origin });
}

export function applyCreateRange(d: Draft, stmt: CreateRangeStmt): void {
  const names = stringValues(stmt.typeName);
  const schema = d.resolver.schemaForNames(names);
  const name = names.at(-1) ?? "";
  const key = keyOf(schema, name);
  if (typeExists(d, key)) return d.unmodelledStatement(`type ${key} already exists`);
  d.types = d.types.set(key, { kind: "range", schema, name, statement: { CreateRangeStmt: stmt }, origin: d.origin });
}

export function applyDefineType(d: Draft, stmt: DefineStmt): void {
  const names = stringValues(stmt.defnames);
  const schema = d.resolver.schemaForNames(names);
  const name = names.at(-1) ?? "";
  const key = keyOf(schema, name);
  // `CREATE TYPE t;` (a shell for a base type) is completed by a later CREATE TYPE t (…).
  if (typeExists(d, key) && d.types.get(key)?.kind !== "other") return d.unmodelledStatement(`type ${key} already exists`);
  d.types = d.types.set(key, { kind: "other", schema, name, statement: { DefineStmt: stmt }, origin: d.origin });
}

export function applyCreateDomain(d: Draft, stmt: CreateDomainStmt): void {
  const names = stringValues(stmt.domainname);
  const schema = d.resolver.schemaForNames(names);
  const name = names.at(-1) ?? "";
  const key = keyOf(schema, name);
  if (typeExists(d, key)) return d.unmodelledStatement(`type ${key} already exists`);
  const base = resolveType(stmt.typeName, d.resolver);
  let notNull = false;
  let def: Node | undefined;
  const checks: { name: string; expression: Node; notValid: boolean }[] = [];
  for (const n of stmt.constraints ?? []) {
    const c = asNode(n, "Constraint");
    if (!c) continue;
    if (c.contype === "CONSTR_NOTNULL") notNull = true;
    else if (c.contype === "CONSTR_NULL") notNull = false;
    else if (c.contype === "CONSTR_DEFAULT" && c.raw_expr) def = c.raw_expr;
    else if (c.contype === "CONSTR_CHECK" && c.raw_expr) {
      const cname = c.conname ?? chooseConstraintName(d, schema, name, undefined, "check", checks.map((x) => x.name));
      checks.push({ name: cname, expression: c.raw_expr, notValid: false });
    }
  }
  const t: TypeDef = {
    kind: "domain",
    schema,
    name,
    baseType: base.text,
    ...(base.ref ? { baseRef: base.ref } : {}),
    notNull,
    ...(def ? { default: def } : {}),
    ...(stmt.collClause ? { collation: stringValues(stmt.collClause.collname).map(quoteName).join(".") } : {}),
    checks,
    origin: d.origin,
  };
  d.types = d.types.set(key, t);
}

export function applyAlterDomain(d: Draft, stmt: AlterDomainStmt): void {
  const key = d.resolver.resolve(stringValues(stmt.typeName), d.types);
  const t = d.types.get(key);
  if (t?.kind !== "domain") return d.unmodelledStatement(`domain ${key} is not known`);
  switch (stmt.subtype) {
    case "T": {
      const { default: _d, ...rest } = t;
      d.types = d.types.set(key, stmt.def ? { ...rest, default: stmt.def } : rest);
      return;
    }
    case "N":
      d.types = d.types.set(key, { ...t, notNull: false });
      return;
    case "O":
      d.types = d.types.set(key, { ...t, notNull: true });
      return;
    case "C": {
      const c = asNode(stmt.def, "Constraint");
      if (c?.contype === "CONSTR_CHECK" && c.raw_expr) {
        const cname = c.conname ?? chooseConstraintName(d, t.schema, t.name, undefined, "check");
        d.types = d.types.set(key, { ...t, checks: [...t.checks, { name: cname, expression: c.raw_expr, notValid: !!c.skip_validation }] });
      } else if (c?.contype === "CONSTR_NOTNULL") d.types = d.types.set(key, { ...t, notNull: true });
      return;
    }
    case "X":
      d.types = d.types.set(key, { ...t, checks: t.checks.filter((c) => c.name !== stmt.name) });
      return;
    case "V":
      d.types = d.types.set(key, { ...t, checks: t.checks.map((c) => (c.name === stmt.name ? { ...c, notValid: false } : c)) });
      return;
    default:
      d.unmodelledStatement(`ALTER DOMAIN ${stmt.subtype ?? "?"} is not modelled`);
  }
}

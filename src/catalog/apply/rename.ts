/**
 * RENAME and SET SCHEMA. PostgreSQL refers to objects by OID, so a rename is seen by everything that
 * uses the object; the catalog refers by key and name, so a rename rewrites those references: foreign
 * keys, indexes, owned sequences, views and stored expressions that name the renamed table or column.
 */
import type { AlterObjectSchemaStmt, Node, RenameStmt } from "@pgsql/types";
import { asNode, stringValues, walk } from "../../parse/ast.js";
import type { Draft } from "../draft.js";
import { nextvalSequence, renameColumnIn, renameRelationIn } from "../exprs.js";
import { tablesReferencing } from "../lookup.js";
import { keyOf } from "../names.js";
import { quoteName } from "../render.js";
import { userTypeText } from "../typename.js";
import type { Column, Constraint, ObjectKey, Policy, Table, Trigger } from "../types.js";
import { functionKeyFromObject } from "./function.js";

export function applyRename(d: Draft, stmt: RenameStmt): void {
  const newname = stmt.newname ?? "";
  switch (stmt.renameType) {
    case "OBJECT_TABLE":
    case "OBJECT_VIEW":
    case "OBJECT_MATVIEW":
    case "OBJECT_SEQUENCE":
    case "OBJECT_FOREIGN_TABLE":
    case "OBJECT_INDEX": {
      const key = d.resolver.relation(stmt.relation);
      if (!moveRelation(d, key, { schema: schemaOfKey(d, key), name: newname }) && !stmt.missing_ok) {
        d.unmodelledStatement(`relation ${key} is not known`);
      }
      return;
    }
    case "OBJECT_COLUMN": {
      const key = d.resolver.relation(stmt.relation);
      if (d.tables.has(key)) renameColumn(d, key, stmt.subname ?? "", newname);
      else if (d.views.has(key)) {
        const v = d.views.get(key)!;
        if (v.columns) d.views = d.views.set(key, { ...v, columns: v.columns.map((c) => (c === stmt.subname ? newname : c)) });
      } else if (!stmt.missing_ok) d.unmodelledStatement(`relation ${key} is not known`);
      return;
    }
    case "OBJECT_TABCONSTRAINT": {
      const key = d.resolver.table(stmt.relation);
      renameConstraint(d, key, stmt.subname ?? "", newname);
      return;
    }
    case "OBJECT_TRIGGER": {
      const key = d.resolver.table(stmt.relation);
      d.updateTable(key, (t) => ({ ...t, triggers: t.triggers.map((tr) => (tr.name === stmt.subname ? renameTrigger(tr, newname) : tr)) }));
      return;
    }
    case "OBJECT_POLICY": {
      const key = d.resolver.table(stmt.relation);
      d.updateTable(key, (t) => ({ ...t, policies: t.policies.map((p) => (p.name === stmt.subname ? { ...p, name: newname } : p)) }));
      return;
    }
    case "OBJECT_TYPE":
    case "OBJECT_DOMAIN": {
      const names = typeNames(stmt.object);
      const key = d.resolver.resolve(names, d.types);
      const t = d.types.get(key);
      if (!t) {
        if (!stmt.missing_ok) d.unmodelledStatement(`type ${key} is not known`);
        return;
      }
      moveType(d, key, t.schema, newname);
      return;
    }
    case "OBJECT_ATTRIBUTE": {
      const key = d.resolver.resolve(d.resolver.rangeVarNames(stmt.relation), d.types);
      const t = d.types.get(key);
      if (t?.kind === "composite") {
        d.types = d.types.set(key, { ...t, attributes: t.attributes.map((a) => (a.name === stmt.subname ? { ...a, name: newname } : a)) });
      }
      return;
    }
    case "OBJECT_SCHEMA": {
      renameSchema(d, stmt.subname ?? "", newname);
      return;
    }
    case "OBJECT_FUNCTION":
    case "OBJECT_PROCEDURE":
    case "OBJECT_ROUTINE":
    case "OBJECT_AGGREGATE": {
      const fkey = functionKeyFromObject(d, stmt.object);
      const f = fkey ? d.functions.get(fkey) : undefined;
      if (!f || !fkey) {
        if (!stmt.missing_ok) d.unmodelledStatement("function is not known");
        return;
      }
      d.functions = d.functions.delete(fkey).set(`${keyOf(f.schema, newname)}(${f.argTypes.join(", ")})`, { ...f, name: newname });
      retargetTriggers(d, keyOf(f.schema, f.name), keyOf(f.schema, newname));
      return;
    }
    default:
      d.unmodelledStatement(`RENAME of ${stmt.renameType ?? "?"} is not modelled`);
  }
}

function schemaOfKey(d: Draft, key: ObjectKey): string {
  const o = d.tables.get(key) ?? d.views.get(key) ?? d.sequences.get(key) ?? d.indexes.get(key);
  return o?.schema ?? key.slice(0, key.indexOf("."));
}

function typeNames(object: Node | undefined): string[] {
  const list = asNode(object, "List");
  if (list) return stringValues(list.items);
  const tn = asNode(object, "TypeName");
  if (tn) return stringValues(tn.names);
  return [];
}

function renameTrigger(tr: Trigger, name: string): Trigger {
  const s = asNode(tr.statement, "CreateTrigStmt");
  return { ...tr, name, statement: s ? { CreateTrigStmt: { ...s, trigname: name } } : tr.statement };
}

/** Renames or moves a relation and re-points every reference to it. Returns false when unknown. */
export function moveRelation(d: Draft, key: ObjectKey, to: { schema: string; name: string }): boolean {
  const newKey = keyOf(to.schema, to.name);
  if (newKey === key) return true;
  const t = d.tables.get(key);
  const v = d.views.get(key);
  const s = d.sequences.get(key);
  const i = d.indexes.get(key);
  const from = t ?? v ?? s ?? i;
  if (!from) return false;
  const match = (schema: string | undefined, name: string): boolean => name === from.name && (schema === undefined ? d.resolver.find([name], d.tables, d.views) !== undefined : schema === from.schema);
  const renamedRef = { ...(to.schema !== d.resolver.creationSchema ? { schema: to.schema } : {}), name: to.name };
  if (t) {
    d.tables = d.tables.delete(key).set(newKey, { ...t, schema: to.schema, name: to.name });
    for (const idx of d.indexesOn(key)) {
      const ik = keyOf(idx.schema, idx.name);
      // SET SCHEMA moves the table's indexes along; RENAME leaves their names alone.
      const moved = { ...idx, table: newKey, schema: to.schema };
      d.indexes = d.indexes.delete(ik).set(keyOf(to.schema, idx.name), moved);
    }
    for (const seq of d.sequencesOwnedBy(key)) {
      const sk = keyOf(seq.schema, seq.name);
      d.sequences = d.sequences.set(sk, { ...seq, ownedBy: { table: newKey, column: seq.ownedBy!.column } });
    }
    for (const other of [...d.tables.values()]) {
      const ok = keyOf(other.schema, other.name);
      let changed = false;
      const constraints = other.constraints.map((c) => {
        if (c.foreignKey?.table !== key) return c;
        changed = true;
        return { ...c, foreignKey: { ...c.foreignKey, table: newKey } };
      });
      const partitionOf = other.partitionOf?.parent === key ? { ...other.partitionOf, parent: newKey } : other.partitionOf;
      const inherits = other.inherits?.map((p) => (p === key ? newKey : p));
      if (changed || partitionOf !== other.partitionOf || inherits?.some((p, n) => p !== other.inherits![n])) {
        d.tables = d.tables.set(ok, { ...other, constraints, ...(partitionOf ? { partitionOf } : {}), ...(inherits ? { inherits } : {}) });
      }
    }
  } else if (v) {
    d.views = d.views.delete(key).set(newKey, { ...v, schema: to.schema, name: to.name });
    for (const idx of d.indexesOn(key)) {
      d.indexes = d.indexes.delete(keyOf(idx.schema, idx.name)).set(keyOf(to.schema, idx.name), { ...idx, table: newKey, schema: to.schema });
    }
  } else if (s) {
    d.sequences = d.sequences.delete(key).set(newKey, { ...s, schema: to.schema, name: to.name });
    // Defaults read the sequence by OID: their text follows the new name.
    const literal = to.schema === d.resolver.creationSchema ? quoteName(to.name) : `${quoteName(to.schema)}.${quoteName(to.name)}`;
    for (const tbl of [...d.tables.values()]) {
      const columns = tbl.columns.map((c) => {
        const seq = nextvalSequence(c.default);
        if (!seq || seq.at(-1) !== s.name || (seq.length > 1 && seq[0] !== s.schema)) return c;
        return { ...c, default: replaceNextval(c.default!, literal) };
      });
      if (columns.some((c, n) => c !== tbl.columns[n])) d.tables = d.tables.set(keyOf(tbl.schema, tbl.name), { ...tbl, columns });
    }
  } else if (i) {
    d.indexes = d.indexes.delete(key).set(newKey, { ...i, schema: to.schema, name: to.name, ...(i.constraint ? { constraint: to.name } : {}) });
    if (i.constraint) {
      // Renaming a constraint's index renames the constraint (they share the name).
      d.updateTable(i.table, (tt) => ({ ...tt, constraints: tt.constraints.map((c) => (c.name === i.constraint ? { ...c, name: to.name, index: to.name } : c)) }));
    }
    followRefIndex(d, i.table, i.name, to.name);
  }
  // Views read relations by OID: keep their dependency keys and query text current.
  for (const view of [...d.views.values()]) {
    if (!view.dependsOn.includes(key)) continue;
    d.views = d.views.set(keyOf(view.schema, view.name), {
      ...view,
      dependsOn: view.dependsOn.map((k) => (k === key ? newKey : k)),
      query: renameRelationIn(view.query, match, renamedRef),
    });
  }
  return true;
}

function replaceNextval(expr: Node, literal: string): Node {
  const copy = structuredClone(expr);
  const fn = asNode(copy, "FuncCall");
  const arg = fn?.args?.[0];
  const c = asNode(asNode(arg, "TypeCast")?.arg ?? arg, "A_Const");
  if (c?.sval) c.sval.sval = literal;
  return copy;
}

function renameColumn(d: Draft, key: ObjectKey, from: string, to: string): void {
  const t = d.tables.get(key);
  if (!t || !t.columns.some((c) => c.name === from)) {
    d.unmodelledStatement(`column ${from} of ${key} is not known`);
    return;
  }
  const q = [t.name];
  const rc = (e: Node | undefined): Node | undefined => renameColumnIn(e, from, to, q);
  const renameList = (l: string[]): string[] => l.map((c) => (c === from ? to : c));
  const columns: Column[] = t.columns.map((c) => {
    let next: Column = c.name === from ? { ...c, name: to } : c;
    if (next.default) {
      const e = rc(next.default);
      if (e !== next.default) next = { ...next, default: e! };
    }
    if (next.generated) {
      const e = rc(next.generated.expression);
      if (e !== next.generated.expression) next = { ...next, generated: { ...next.generated, expression: e! } };
    }
    return next;
  });
  const constraints: Constraint[] = t.constraints.map((c) => {
    const next: Constraint = { ...c, columns: renameList(c.columns) };
    if (c.expression) next.expression = rc(c.expression)!;
    if (c.include) next.include = renameList(c.include);
    if (c.foreignKey) {
      next.foreignKey = { ...c.foreignKey, columns: renameList(c.foreignKey.columns) };
      if (c.foreignKey.table === key) next.foreignKey.refColumns = renameList(c.foreignKey.refColumns);
      if (c.foreignKey.onDeleteColumns) next.foreignKey.onDeleteColumns = renameList(c.foreignKey.onDeleteColumns);
    }
    if (c.exclusion) {
      next.exclusion = {
        ...c.exclusion,
        elements: c.exclusion.elements.map((e) => ({ ...e, element: rc(e.element)! })),
        ...(c.exclusion.predicate ? { predicate: rc(c.exclusion.predicate)! } : {}),
      };
    }
    return next;
  });
  const policies: Policy[] = t.policies.map((p) => ({
    ...p,
    ...(p.using ? { using: rc(p.using)! } : {}),
    ...(p.withCheck ? { withCheck: rc(p.withCheck)! } : {}),
  }));
  const triggers: Trigger[] = t.triggers.map((tr) => {
    const s = asNode(tr.statement, "CreateTrigStmt");
    if (!s) return tr;
    const cols = s.columns?.map((n) => (asNode(n, "String")?.sval === from ? { String: { sval: to } } : n));
    const when = s.whenClause ? renameColumnIn(s.whenClause, from, to, ["new", "old"]) : undefined;
    return { ...tr, statement: { CreateTrigStmt: { ...s, ...(cols ? { columns: cols } : {}), ...(when ? { whenClause: when } : {}) } } };
  });
  const next: Table = { ...t, columns, constraints, policies, triggers };
  d.tables = d.tables.set(key, next);
  for (const idx of d.indexesOn(key)) {
    if (!idx.columns.includes(from)) continue;
    d.indexes = d.indexes.set(keyOf(idx.schema, idx.name), {
      ...idx,
      params: idx.params.map((p) => rc(p)!),
      include: renameList(idx.include),
      columns: renameList(idx.columns),
      ...(idx.predicate ? { predicate: rc(idx.predicate)! } : {}),
    });
  }
  for (const seq of d.sequencesOwnedBy(key, from)) {
    d.sequences = d.sequences.set(keyOf(seq.schema, seq.name), { ...seq, ownedBy: { table: key, column: to } });
  }
  // Views read the column by number: their text follows the new name, and an output column that was
  // the bare column keeps its old name (`SELECT new AS old`), as pg_get_viewdef shows it.
  for (const view of [...d.views.values()]) {
    if (!view.dependsOn.includes(key)) continue;
    const query = renameViewColumn(view.query, from, to, t.name);
    const columnsRead = view.columnsRead?.map((c) => (c === from ? to : c));
    if (query !== view.query) d.views = d.views.set(keyOf(view.schema, view.name), { ...view, query, ...(columnsRead ? { columnsRead } : {}) });
  }
  // Foreign keys of other tables that reference the renamed column.
  for (const other of [...d.tables.values()]) {
    if (other === next) continue;
    if (!other.constraints.some((c) => c.foreignKey?.table === key && c.foreignKey.refColumns.includes(from))) continue;
    d.tables = d.tables.set(keyOf(other.schema, other.name), {
      ...other,
      constraints: other.constraints.map((c) =>
        c.foreignKey?.table === key ? { ...c, foreignKey: { ...c.foreignKey, refColumns: renameList(c.foreignKey.refColumns) } } : c,
      ),
    });
  }
}

function renameConstraint(d: Draft, key: ObjectKey, from: string, to: string): void {
  const t = d.tables.get(key);
  if (!t) return;
  const c = t.constraints.find((x) => x.name === from);
  if (!c) {
    const nn = t.columns.find((x) => x.notNullName === from);
    if (nn) d.updateColumn(key, nn.name, (col) => ({ ...col, notNullName: to }));
    else d.unmodelledStatement(`constraint ${from} of ${key} is not known`);
    return;
  }
  d.tables = d.tables.set(key, { ...t, constraints: t.constraints.map((x) => (x === c ? { ...x, name: to, ...(x.index ? { index: to } : {}) } : x)) });
  if (c.index) {
    const ik = keyOf(t.schema, c.index);
    const idx = d.indexes.get(ik);
    if (idx) d.indexes = d.indexes.delete(ik).set(keyOf(t.schema, to), { ...idx, name: to, constraint: to });
    followRefIndex(d, key, c.index, to);
  }
}

/** Foreign keys name the referenced index they were built on: they follow its rename. */
function followRefIndex(d: Draft, table: ObjectKey, from: string, to: string): void {
  for (const other of tablesReferencing(d.tables, table)) {
    if (!other.constraints.some((c) => c.foreignKey?.table === table && c.refIndex === from)) continue;
    d.updateTable(keyOf(other.schema, other.name), (tt) => ({
      ...tt,
      constraints: tt.constraints.map((c) => (c.foreignKey?.table === table && c.refIndex === from ? { ...c, refIndex: to } : c)),
    }));
  }
}

/** Renames or moves a type; columns, domains and composite attributes of that type follow. */
export function moveType(d: Draft, key: ObjectKey, schema: string, name: string): void {
  const t = d.types.get(key);
  if (!t) return;
  const newKey = keyOf(schema, name);
  d.types = d.types.delete(key).set(newKey, { ...t, schema, name });
  const text = userTypeText(schema, name, d.resolver);
  const retype = (type: string): string => (type.endsWith("[]") ? `${text}[]` : text);
  for (const tbl of [...d.tables.values()]) {
    if (!tbl.columns.some((c) => c.typeRef === key)) continue;
    d.tables = d.tables.set(keyOf(tbl.schema, tbl.name), {
      ...tbl,
      columns: tbl.columns.map((c) => (c.typeRef === key ? { ...c, typeRef: newKey, type: retype(c.type) } : c)),
    });
  }
  for (const ty of [...d.types.values()]) {
    if (ty.kind === "domain" && ty.baseRef === key) d.types = d.types.set(keyOf(ty.schema, ty.name), { ...ty, baseRef: newKey, baseType: retype(ty.baseType) });
    if (ty.kind === "composite" && ty.attributes.some((a) => a.typeRef === key)) {
      d.types = d.types.set(keyOf(ty.schema, ty.name), {
        ...ty,
        attributes: ty.attributes.map((a) => (a.typeRef === key ? { ...a, typeRef: newKey, type: retype(a.type) } : a)),
      });
    }
  }
}

function renameSchema(d: Draft, from: string, to: string): void {
  const s = d.schemas.get(from);
  if (!s) {
    d.unmodelledStatement(`schema ${from} is not known`);
    return;
  }
  d.schemas = d.schemas.delete(from).set(to, { ...s, name: to });
  for (const t of [...d.tables.values()]) if (t.schema === from) moveRelation(d, keyOf(from, t.name), { schema: to, name: t.name });
  for (const v of [...d.views.values()]) if (v.schema === from) moveRelation(d, keyOf(from, v.name), { schema: to, name: v.name });
  for (const s2 of [...d.sequences.values()]) if (s2.schema === from) moveRelation(d, keyOf(from, s2.name), { schema: to, name: s2.name });
  for (const i of [...d.indexes.values()]) if (i.schema === from) moveRelation(d, keyOf(from, i.name), { schema: to, name: i.name });
  for (const ty of [...d.types.values()]) if (ty.schema === from) moveType(d, keyOf(from, ty.name), to, ty.name);
  for (const [k, f] of [...d.functions.entries()]) {
    if (f.schema !== from) continue;
    d.functions = d.functions.delete(k).set(`${keyOf(to, f.name)}(${f.argTypes.join(", ")})`, { ...f, schema: to });
  }
}

function retargetTriggers(d: Draft, from: ObjectKey, to: ObjectKey): void {
  for (const t of [...d.tables.values()]) {
    if (!t.triggers.some((tr) => tr.function === from)) continue;
    d.tables = d.tables.set(keyOf(t.schema, t.name), { ...t, triggers: t.triggers.map((tr) => (tr.function === from ? { ...tr, function: to } : tr)) });
  }
}

export function applySetSchema(d: Draft, stmt: AlterObjectSchemaStmt): void {
  const to = stmt.newschema ?? "public";
  switch (stmt.objectType) {
    case "OBJECT_TABLE":
    case "OBJECT_VIEW":
    case "OBJECT_MATVIEW":
    case "OBJECT_SEQUENCE":
    case "OBJECT_FOREIGN_TABLE": {
      const key = d.resolver.relation(stmt.relation);
      const o = d.tables.get(key) ?? d.views.get(key) ?? d.sequences.get(key);
      if (!o) {
        if (!stmt.missing_ok) d.unmodelledStatement(`relation ${key} is not known`);
        return;
      }
      moveRelation(d, key, { schema: to, name: o.name });
      return;
    }
    case "OBJECT_TYPE":
    case "OBJECT_DOMAIN": {
      const key = d.resolver.resolve(typeNames(stmt.object), d.types);
      const t = d.types.get(key);
      if (t) moveType(d, key, to, t.name);
      return;
    }
    case "OBJECT_FUNCTION":
    case "OBJECT_PROCEDURE": {
      const fkey = functionKeyFromObject(d, stmt.object);
      const f = fkey ? d.functions.get(fkey) : undefined;
      if (!f || !fkey) return;
      d.functions = d.functions.delete(fkey).set(`${keyOf(to, f.name)}(${f.argTypes.join(", ")})`, { ...f, schema: to });
      retargetTriggers(d, keyOf(f.schema, f.name), keyOf(to, f.name));
      return;
    }
    case "OBJECT_EXTENSION": {
      const name = asNode(stmt.object, "String")?.sval ?? "";
      const x = d.extensions.get(name);
      if (x) d.extensions = d.extensions.set(name, { ...x, schema: to });
      return;
    }
    default:
      d.unmodelledStatement(`SET SCHEMA of ${stmt.objectType ?? "?"} is not modelled`);
  }
}

function renameViewColumn(query: Node, from: string, to: string, table: string): Node {
  // `x.id` reads the table through its alias (`FROM t AS x`), at any level of the query.
  const qualifiers = [table];
  walk(query, (tag, value) => {
    const rv = value as { relname?: string; alias?: { aliasname?: string } };
    if (tag === "RangeVar" && rv.relname === table && rv.alias?.aliasname) qualifiers.push(rv.alias.aliasname);
  });
  const renamed = renameColumnIn(query, from, to, qualifiers);
  if (renamed === query) return query;
  // Targets that were the bare column, at any level: alias them with the old name (the output
  // column keeps it, and outer queries read it by that name).
  walk(renamed, (tag, value) => {
    if (tag !== "ResTarget") return;
    const rt = value as { name?: string; val?: Node };
    const ref = asNode(rt.val, "ColumnRef");
    if (ref && !rt.name && stringValues(ref.fields).at(-1) === to) rt.name = from;
    // Renamed back (`a2 AS a` → `a AS a`): the alias says nothing, pg_get_viewdef drops it.
    else if (ref && rt.name === to && stringValues(ref.fields).at(-1) === to) delete rt.name;
  });
  return renamed;
}

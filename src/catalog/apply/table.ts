/**
 * CREATE TABLE and the pieces ALTER TABLE shares with it: columns from ColumnDef nodes (serial and
 * identity sequences, defaults, NOT NULL, generated, collation), constraints from Constraint nodes
 * (with PostgreSQL's default names), and the indexes that back primary key, unique and exclusion
 * constraints.
 */
import type { ColumnDef, Constraint as ConstraintNode, CreateStmt, Node } from "@pgsql/types";
import { asNode, stringValues } from "../../parse/ast.js";
import type { Draft } from "../draft.js";
import { columnsRead, nextvalExpr } from "../exprs.js";
import { sameColumnSet } from "../lookup.js";
import { chooseConstraintName, chooseRelationName, indexColumnName, keyOf, nameAddition, truncateIdentifier } from "../names.js";
import { defaultSequenceOptions, quoteName } from "../render.js";
import { resolveType } from "../typename.js";
import type { Column, Constraint, FkAction, ObjectKey, Sequence, SequenceOptions, Table } from "../types.js";
import { sequenceOptionsFrom } from "./sequence.js";

const FK_ACTIONS: Record<string, FkAction> = { a: "no action", r: "restrict", c: "cascade", n: "set null", d: "set default" };

/** A constraint as parsed, before PostgreSQL's default name is chosen. */
export interface PendingConstraint {
  node: ConstraintNode;
  /** The column it was written on (column constraints). */
  column?: string;
}

/** Builds a column (and queues its column constraints); creates a serial column's sequence. */
export function buildColumn(d: Draft, table: { schema: string; name: string }, def: ColumnDef, id: number, pending: PendingConstraint[]): Column {
  const name = def.colname ?? "?column?";
  const resolved = resolveType(def.typeName, d.resolver);
  const col: Column = { id, name, type: resolved.text, notNull: !!def.is_not_null };
  if (resolved.ref) col.typeRef = resolved.ref;
  if (def.collClause) col.collation = stringValues(def.collClause.collname).map(quoteName).join(".");
  if (def.compression) col.compression = def.compression;
  if (def.storage_name) col.storage = def.storage_name.toLowerCase();
  if (def.raw_default) col.default = def.raw_default;
  let last: ConstraintNode | undefined;
  for (const n of def.constraints ?? []) {
    const c = asNode(n, "Constraint");
    if (!c) continue;
    switch (c.contype) {
      case "CONSTR_NULL":
        col.notNull = false;
        break;
      case "CONSTR_NOTNULL":
        col.notNull = true;
        if (c.conname) col.notNullName = c.conname;
        break;
      case "CONSTR_DEFAULT":
        if (c.raw_expr) col.default = c.raw_expr;
        break;
      case "CONSTR_IDENTITY":
        col.identity = c.generated_when === "a" ? "always" : "by default";
        col.notNull = true;
        createIdentitySequence(d, table, name, col.type, c.options);
        break;
      case "CONSTR_GENERATED":
        if (c.raw_expr) col.generated = { expression: c.raw_expr, stored: c.generated_kind !== "v" };
        break;
      case "CONSTR_ATTR_DEFERRABLE":
      case "CONSTR_ATTR_NOT_DEFERRABLE":
      case "CONSTR_ATTR_DEFERRED":
      case "CONSTR_ATTR_IMMEDIATE": {
        // Attributes written after a column constraint belong to it (transformConstraintAttrs).
        const target = pending.at(-1);
        if (target && last) target.node = applyAttribute(target.node, c.contype);
        break;
      }
      case "CONSTR_PRIMARY":
        col.notNull = true;
        pending.push({ node: c, column: name });
        break;
      default:
        pending.push({ node: c, column: name });
    }
    last = c;
  }
  if (resolved.serial) {
    col.type = resolved.serial;
    col.notNull = true;
    const seqName = chooseRelationName(d, table.schema, table.name, name, "seq", false);
    const seq: Sequence = {
      schema: table.schema,
      name: seqName,
      options: defaultSequenceOptions(resolved.serial),
      ownedBy: { table: keyOf(table.schema, table.name), column: name },
      grants: new Map(),
      origin: d.origin,
    };
    d.sequences = d.sequences.set(keyOf(table.schema, seqName), seq);
    col.default = nextvalExpr(table.schema === d.resolver.creationSchema ? quoteName(seqName) : `${quoteName(table.schema)}.${quoteName(seqName)}`);
  }
  return col;
}

function applyAttribute(node: ConstraintNode, attr: ConstraintNode["contype"]): ConstraintNode {
  switch (attr) {
    case "CONSTR_ATTR_DEFERRABLE":
      return { ...node, deferrable: true };
    case "CONSTR_ATTR_NOT_DEFERRABLE":
      return { ...node, deferrable: false };
    case "CONSTR_ATTR_DEFERRED":
      return { ...node, initdeferred: true };
    case "CONSTR_ATTR_IMMEDIATE":
      return { ...node, initdeferred: false };
    default:
      return node;
  }
}

export function createIdentitySequence(d: Draft, table: { schema: string; name: string }, column: string, type: string, options: Node[] | undefined): void {
  let seqName: string | undefined;
  let seqSchema = table.schema;
  const rest: Node[] = [];
  for (const o of options ?? []) {
    const de = asNode(o, "DefElem");
    if (de?.defname === "sequence_name") {
      const names = stringValues(asNode(de.arg, "List")?.items);
      seqName = names.at(-1);
      if (names.length > 1) seqSchema = names.at(-2)!;
    } else rest.push(o);
  }
  seqName ??= chooseRelationName(d, table.schema, table.name, column, "seq", false);
  const seqType: SequenceOptions["type"] = type === "smallint" || type === "integer" ? type : "bigint";
  const seq: Sequence = {
    schema: seqSchema,
    name: seqName,
    options: sequenceOptionsFrom(rest, defaultSequenceOptions(seqType), false),
    ownedBy: { table: keyOf(table.schema, table.name), column },
    identity: true,
    grants: new Map(),
    origin: d.origin,
  };
  d.sequences = d.sequences.set(keyOf(seqSchema, seqName), seq);
}

export function fkAction(code: string | undefined): FkAction {
  return FK_ACTIONS[code ?? "a"] ?? "no action";
}

/**
 * Turns parsed constraints into catalog constraints on `table`, choosing PostgreSQL's default names
 * in PostgreSQL's order (checks, then NOT NULL, then index-backed ones, primary key first, then
 * foreign keys), and creates the backing indexes. Returns the updated table.
 */
export function addConstraints(d: Draft, table: Table, pending: readonly PendingConstraint[], opts: { inCreate: boolean }): Table {
  const key = keyOf(table.schema, table.name);
  let t = table;
  const chosen: string[] = [];
  const byKind = (kinds: ConstraintNode["contype"][]): PendingConstraint[] => pending.filter((p) => kinds.includes(p.node.contype));

  for (const p of byKind(["CONSTR_CHECK"])) {
    const expr = p.node.raw_expr;
    const cols = columnsRead(expr);
    const name =
      p.node.conname ?? chooseConstraintName(d, t.schema, t.name, p.column ?? (cols.length === 1 ? cols[0] : undefined), "check", chosen);
    chosen.push(name);
    const c: Constraint = {
      name,
      type: "check",
      columns: cols,
      notValid: !!p.node.skip_validation && !opts.inCreate,
      deferrable: false,
      initiallyDeferred: false,
      ...(p.node.is_no_inherit ? { noInherit: true } : {}),
      ...(expr ? { expression: expr } : {}),
    };
    t = { ...t, constraints: [...t.constraints, c] };
  }

  // Table-level NOT NULL constraints (`NOT NULL col`, PostgreSQL 18).
  for (const p of byKind(["CONSTR_NOTNULL"])) {
    const col = stringValues(p.node.keys)[0] ?? p.column;
    if (!col) continue;
    t = setNotNull(t, col, p.node.conname);
  }
  t = nameNotNulls(d, t, chosen);

  const indexBacked = byKind(["CONSTR_PRIMARY", "CONSTR_UNIQUE", "CONSTR_EXCLUSION"]);
  indexBacked.sort((a, b) => Number(b.node.contype === "CONSTR_PRIMARY") - Number(a.node.contype === "CONSTR_PRIMARY"));
  for (const p of indexBacked) {
    t = addIndexConstraint(d, t, p);
  }

  for (const p of byKind(["CONSTR_FOREIGN"])) {
    const n = p.node;
    const fkCols = n.fk_attrs?.length ? stringValues(n.fk_attrs) : p.column ? [p.column] : [];
    const refKey = d.resolver.table(n.pktable);
    let refCols = stringValues(n.pk_attrs);
    const target = refKey === key ? t : d.tables.get(refKey);
    let refIndex: string | undefined;
    if (!refCols.length) {
      // REFERENCES t without columns: the referenced table's primary key.
      const pk = target?.constraints.find((c) => c.type === "primary");
      refCols = pk?.columns ?? [];
      refIndex = pk?.index;
    } else {
      // With columns, PostgreSQL takes the first matching unique index in OID order: the oldest.
      refIndex = target?.constraints.find((c) => (c.type === "primary" || c.type === "unique") && sameColumnSet(c.columns, refCols))?.index;
    }
    const name = n.conname ?? chooseConstraintName(d, t.schema, t.name, nameAddition(fkCols), "fkey", chosen);
    chosen.push(name);
    const c: Constraint = {
      name,
      type: "foreign",
      columns: fkCols,
      notValid: !!n.skip_validation && !opts.inCreate,
      deferrable: !!n.deferrable,
      initiallyDeferred: !!n.initdeferred,
      foreignKey: {
        table: refKey,
        columns: fkCols,
        refColumns: refCols,
        onDelete: fkAction(n.fk_del_action),
        onUpdate: fkAction(n.fk_upd_action),
        match: n.fk_matchtype === "f" ? "full" : n.fk_matchtype === "p" ? "partial" : "simple",
        ...(n.fk_del_set_cols?.length ? { onDeleteColumns: stringValues(n.fk_del_set_cols) } : {}),
      },
      ...(refIndex ? { refIndex } : {}),
    };
    t = { ...t, constraints: [...t.constraints, c] };
  }
  d.tables = d.tables.set(key, t);
  return t;
}

/** Marks a column NOT NULL (keeping an existing constraint name). */
export function setNotNull(t: Table, column: string, name?: string): Table {
  const i = t.columns.findIndex((c) => c.name === column);
  if (i < 0) return t;
  const col = t.columns[i]!;
  if (col.notNull && (col.notNullName || !name)) return t;
  const columns = t.columns.slice();
  columns[i] = { ...col, notNull: true, ...(name ? { notNullName: name } : {}) };
  return { ...t, columns };
}

/** Gives every NOT NULL column without a recorded constraint name the one PostgreSQL chooses. */
export function nameNotNulls(d: Draft, t: Table, chosen: string[]): Table {
  let columns: Column[] | undefined;
  t.columns.forEach((c, i) => {
    if (!c.notNull || c.notNullName) return;
    const name = chooseConstraintName(d, t.schema, t.name, c.name, "not_null", chosen);
    chosen.push(name);
    columns ??= t.columns.slice();
    columns[i] = { ...c, notNullName: name };
  });
  return columns ? { ...t, columns } : t;
}

function addIndexConstraint(d: Draft, t: Table, p: PendingConstraint): Table {
  const n = p.node;
  const key = keyOf(t.schema, t.name);
  const type = n.contype === "CONSTR_PRIMARY" ? "primary" : n.contype === "CONSTR_UNIQUE" ? "unique" : "exclusion";
  let columns: string[] = [];
  let exclusion: Constraint["exclusion"];
  if (type === "exclusion") {
    const elements: { element: Node; operator: Node[] }[] = [];
    for (const pair of n.exclusions ?? []) {
      const items = asNode(pair, "List")?.items ?? [];
      const element = items[0];
      const op = asNode(items[1], "List")?.items ?? [];
      if (element) elements.push({ element, operator: op });
    }
    exclusion = { method: n.access_method ?? "gist", elements, ...(n.where_clause ? { predicate: n.where_clause } : {}) };
    for (const e of elements) columnsRead(e.element, columns);
  } else {
    columns = n.keys?.length ? stringValues(n.keys) : p.column ? [p.column] : [];
  }
  const include = stringValues(n.including);

  // ADD CONSTRAINT … USING INDEX: the existing index becomes the constraint's, renamed to its name.
  if (n.indexname) {
    const idxKey = keyOf(t.schema, n.indexname);
    const idx = d.indexes.get(idxKey);
    const name = n.conname ?? n.indexname;
    if (idx) {
      d.indexes = d.indexes.delete(idxKey).set(keyOf(t.schema, name), { ...idx, name, constraint: name });
      columns = idx.params.map((e) => asNode(e, "IndexElem")?.name ?? "").filter(Boolean);
    }
    const c: Constraint = {
      name,
      type,
      columns,
      notValid: false,
      deferrable: !!n.deferrable,
      initiallyDeferred: !!n.initdeferred,
      index: name,
      ...(idx?.include.length ? { include: idx.include } : {}),
    };
    let next: Table = { ...t, constraints: [...t.constraints, c] };
    if (type === "primary") for (const col of columns) next = setNotNull(next, col);
    return nameNotNulls(d, next, []);
  }

  const name =
    n.conname ??
    (type === "primary"
      ? chooseRelationName(d, t.schema, t.name, undefined, "pkey", true)
      : chooseRelationName(d, t.schema, t.name, nameAddition(type === "exclusion" ? exclusionColumnNames(exclusion!) : columns), type === "unique" ? "key" : "excl", true));
  const c: Constraint = {
    name,
    type,
    columns,
    notValid: false,
    deferrable: !!n.deferrable,
    initiallyDeferred: !!n.initdeferred,
    index: name,
    ...(include.length ? { include } : {}),
    ...(n.nulls_not_distinct ? { nullsNotDistinct: true } : {}),
    ...(n.options?.length ? { indexOptions: n.options } : {}),
    ...(exclusion ? { exclusion } : {}),
  };
  const params: Node[] =
    type === "exclusion"
      ? exclusion!.elements.map((e) => e.element)
      : columns.map((col) => ({ IndexElem: { name: col, ordering: "SORTBY_DEFAULT", nulls_ordering: "SORTBY_NULLS_DEFAULT" } }));
  d.indexes = d.indexes.set(keyOf(t.schema, name), {
    schema: t.schema,
    name,
    table: key,
    unique: type !== "exclusion",
    method: type === "exclusion" ? exclusion!.method : "btree",
    params,
    include,
    ...(exclusion?.predicate ? { predicate: exclusion.predicate } : {}),
    ...(n.options?.length ? { options: n.options } : {}),
    ...(n.nulls_not_distinct ? { nullsNotDistinct: true } : {}),
    columns: [...columns, ...include],
    constraint: name,
    origin: d.origin,
  });
  let next: Table = { ...t, constraints: [...t.constraints, c] };
  if (type === "primary") {
    for (const col of columns) next = setNotNull(next, col);
    next = nameNotNulls(d, next, []);
  }
  return next;
}

function exclusionColumnNames(x: NonNullable<Constraint["exclusion"]>): string[] {
  return x.elements.map((e) => {
    const el = asNode(e.element, "IndexElem");
    return el?.name ?? indexColumnName(el?.expr);
  });
}

export function applyCreateTable(d: Draft, stmt: CreateStmt): void {
  const rv = stmt.relation;
  if (!rv?.relname) return;
  if (rv.relpersistence === "t") {
    d.unmodelledStatement("temporary tables vanish with the session");
    return;
  }
  const schema = d.resolver.schemaFor(rv);
  const name = truncateIdentifier(rv.relname);
  const key = keyOf(schema, name);
  if (d.tables.has(key) || d.views.has(key) || d.sequences.has(key)) {
    if (!stmt.if_not_exists) d.unmodelledStatement(`relation ${key} already exists`);
    return;
  }
  const table: Table = {
    schema,
    name,
    kind: stmt.partspec ? "partitioned" : "table",
    columns: [],
    nextColumnId: 1,
    constraints: [],
    triggers: [],
    policies: [],
    rowSecurity: false,
    forceRowSecurity: false,
    unlogged: rv.relpersistence === "u",
    grants: new Map(),
    origin: d.origin,
  };
  const pending: PendingConstraint[] = [];
  const columns: Column[] = [];
  let nextId = 1;
  const inherits: ObjectKey[] = [];
  for (const parentRv of stmt.inhRelations ?? []) {
    const pk = d.resolver.table(asNode(parentRv, "RangeVar"));
    inherits.push(pk);
    const parent = d.tables.get(pk);
    if (!parent) continue;
    for (const c of parent.columns) {
      // Inherited columns come first, with the parent's type, default and NOT NULL.
      if (columns.some((x) => x.name === c.name)) continue;
      const { notNullName: _nn, comment: _c, ...rest } = c;
      columns.push({ ...rest, id: nextId++ });
    }
    for (const c of parent.constraints) if (c.type === "check" && !c.noInherit) pending.push({ node: { contype: "CONSTR_CHECK", conname: c.name, ...(c.expression ? { raw_expr: c.expression } : {}) } });
  }
  for (const el of stmt.tableElts ?? []) {
    const def = asNode(el, "ColumnDef");
    if (def) {
      const existing = columns.findIndex((c) => c.name === def.colname);
      const col = buildColumn(d, { schema, name }, def, existing >= 0 ? columns[existing]!.id : nextId++, pending);
      if (existing >= 0) columns[existing] = col;
      else columns.push(col);
      continue;
    }
    const con = asNode(el, "Constraint");
    if (con) {
      pending.push({ node: con });
      continue;
    }
    if (asNode(el, "TableLikeClause")) {
      const like = asNode(el, "TableLikeClause")!;
      const src = d.tables.get(d.resolver.table(like.relation));
      for (const c of src?.columns ?? []) {
        // LIKE copies names, types and NOT NULL; INCLUDING DEFAULTS (bit 1 << 3) the defaults too.
        const withDefaults = ((like.options ?? 0) & (1 << 3)) !== 0 || (like.options ?? 0) === 0x7fffffff;
        columns.push({ id: nextId++, name: c.name, type: c.type, notNull: c.notNull, ...(c.typeRef ? { typeRef: c.typeRef } : {}), ...(withDefaults && c.default ? { default: c.default } : {}) });
      }
      if ((like.options ?? 0) !== 0) d.unmodelledStatement("LIKE … INCLUDING options other than DEFAULTS are not modelled", "TableLikeClause");
    }
  }
  if (stmt.partbound && inherits.length) {
    const parentKey = inherits[0]!;
    table.partitionOf = { parent: parentKey, bound: { PartitionBoundSpec: stmt.partbound } };
  } else if (inherits.length) {
    table.inherits = inherits;
  }
  if (stmt.partspec) table.partitionBy = { PartitionSpec: stmt.partspec };
  if (stmt.options?.length) table.options = stmt.options;
  let t: Table = { ...table, columns, nextColumnId: nextId };
  d.tables = d.tables.set(key, t);
  t = addConstraints(d, t, pending, { inCreate: true });
  d.tables = d.tables.set(key, t);
}

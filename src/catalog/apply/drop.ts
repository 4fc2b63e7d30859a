/**
 * Removing objects with their dependents, the way PostgreSQL's dependency machinery does: a table
 * takes its indexes, owned sequences, triggers and policies with it, and with CASCADE the foreign
 * keys pointing at it and the views reading it; a column takes the indexes and constraints on it and
 * the sequence it owns. The down generator re-creates whatever disappeared, so these effects must be
 * exact.
 */
import type { Node } from "@pgsql/types";
import { asNode, stringValues } from "../../parse/ast.js";
import type { Draft } from "../draft.js";
import { nextvalSequence, readsColumn } from "../exprs.js";
import { sameColumnSet, tablesReferencing } from "../lookup.js";
import { keyOf } from "../names.js";
import type { ObjectKey, Sequence, Table } from "../types.js";

/** Drops a table, view, materialized view or sequence and everything that goes with it. */
export function dropRelation(d: Draft, key: ObjectKey, cascade: boolean): void {
  if (d.tables.has(key)) dropTable(d, key, cascade);
  else if (d.views.has(key)) dropView(d, key);
  else if (d.sequences.has(key)) dropSequence(d, key, cascade);
}

function dropTable(d: Draft, key: ObjectKey, cascade: boolean): void {
  const t = d.tables.get(key);
  if (!t) return;
  d.tables = d.tables.delete(key);
  for (const i of d.indexesOn(key)) d.indexes = d.indexes.delete(keyOf(i.schema, i.name));
  for (const s of d.sequencesOwnedBy(key)) dropSequence(d, keyOf(s.schema, s.name), cascade);
  // Foreign keys of other tables pointing here go too (PostgreSQL needs CASCADE for them; a migration
  // without it would have failed, so modelling the drop is right either way). The referencing tables
  // come from their grouping, not a scan of every table's constraints (the model check drops every
  // table a migration creates); the map's shape does not depend on the order of the updates.
  for (const other of tablesReferencing(d.tables, key)) {
    d.tables = d.tables.set(keyOf(other.schema, other.name), {
      ...other,
      constraints: other.constraints.filter((c) => c.foreignKey?.table !== key),
    });
  }
  // Partitions and inheritance children, from the tables as they are now (a persistent map: the
  // drops below do not change what this loop sees).
  d.tables.forEach((other) => {
    if (other.partitionOf?.parent === key) dropTable(d, keyOf(other.schema, other.name), cascade);
    else if (cascade && other.inherits?.includes(key)) dropTable(d, keyOf(other.schema, other.name), cascade);
  });
  dropDependentViews(d, key);
}

function dropView(d: Draft, key: ObjectKey): void {
  if (!d.views.has(key)) return;
  d.views = d.views.delete(key);
  for (const i of d.indexesOn(key)) d.indexes = d.indexes.delete(keyOf(i.schema, i.name));
  dropDependentViews(d, key);
}

/** Views reading a dropped relation cannot survive it (CASCADE drops them; without it the DROP fails). */
function dropDependentViews(d: Draft, key: ObjectKey): void {
  for (const v of [...d.views.values()]) {
    if (v.dependsOn.includes(key)) dropView(d, keyOf(v.schema, v.name));
  }
}

function dropSequence(d: Draft, key: ObjectKey, cascade: boolean): void {
  const s = d.sequences.get(key);
  if (!s) return;
  d.sequences = d.sequences.delete(key);
  const users = dropDefaultsReading(d, s);
  // Without CASCADE PostgreSQL refuses (2BP01): recorded, so a down that would do this is caught.
  if (!cascade && users.length) d.unmodelledStatement(`cannot drop sequence ${key}: the default of ${users.join(", ")} depends on it (PostgreSQL refuses without CASCADE)`);
}

/**
 * A column default reads its sequence by OID (`nextval('s'::regclass)`): the sequence cannot go while
 * the default stays. CASCADE drops the default (of any table: another table's column may use a serial's
 * sequence); without it the DROP fails (recorded by the caller). Returns the columns whose default went.
 */
function dropDefaultsReading(d: Draft, s: Sequence): string[] {
  const users: string[] = [];
  d.tables.forEach((t) => {
    // Most tables have no such default: checked before a new column list is made for them.
    if (!t.columns.some((c) => readsSequence(c.default, s))) return;
    const columns = t.columns.map((c) => {
      if (!readsSequence(c.default, s)) return c;
      users.push(`${keyOf(t.schema, t.name)}.${c.name}`);
      const { default: _dropped, ...rest } = c;
      return rest;
    });
    if (columns.some((c, n) => c !== t.columns[n])) d.tables = d.tables.set(keyOf(t.schema, t.name), { ...t, columns });
  });
  return users;
}

/** Whether a default is `nextval` of `s` (an unqualified name read as the sequence's own, as renames do). */
export function readsSequence(expr: Node | undefined, s: Pick<Sequence, "schema" | "name">): boolean {
  const seq = nextvalSequence(expr);
  return !!seq && seq.at(-1) === s.name && (seq.length === 1 || seq[0] === s.schema);
}

/** Drops one column with the indexes, constraints, owned sequences and (CASCADE) views that depend on it. */
export function dropColumn(d: Draft, key: ObjectKey, column: string, cascade: boolean): void {
  const t = d.tables.get(key);
  if (!t || !t.columns.some((c) => c.name === column)) return;
  for (const i of d.indexesOn(key)) {
    if (i.columns.includes(column)) d.indexes = d.indexes.delete(keyOf(i.schema, i.name));
  }
  const owned = d.sequencesOwnedBy(key, column);
  const dropped = new Set(t.constraints.filter((c) => c.columns.includes(column)).map((c) => c.name));
  // Policies and triggers that read the column depend on it (they go with CASCADE; without it the
  // DROP fails, so a migration that ran had CASCADE or no such dependant).
  const next: Table = {
    ...t,
    columns: t.columns.filter((c) => c.name !== column && !(c.generated && readsColumn(c.generated.expression, column))),
    constraints: t.constraints.filter((c) => !dropped.has(c.name)),
    policies: t.policies.filter((p) => !readsColumn(p.using, column) && !readsColumn(p.withCheck, column)),
    triggers: t.triggers.filter((tr) => !triggerReads(tr.statement, column)),
  };
  d.tables = d.tables.set(key, next);
  for (const s of owned) dropSequence(d, keyOf(s.schema, s.name), cascade);
  // Foreign keys elsewhere that reference this column lose the unique index they rely on.
  for (const other of tablesReferencing(d.tables, key)) {
    const refs = other.constraints.filter((c) => c.foreignKey?.table === key && c.foreignKey.refColumns.includes(column));
    if (!refs.length) continue;
    d.tables = d.tables.set(keyOf(other.schema, other.name), { ...other, constraints: other.constraints.filter((c) => !refs.includes(c)) });
  }
  if (cascade) {
    for (const v of [...d.views.values()]) {
      if (v.dependsOn.includes(key) && (v.columnsRead ?? []).includes(column)) dropView(d, keyOf(v.schema, v.name));
    }
  }
}

function triggerReads(statement: Node, column: string): boolean {
  const s = asNode(statement, "CreateTrigStmt");
  return !!s && (stringValues(s.columns).includes(column) || readsColumn(s.whenClause, column));
}

/** Drops a constraint and its backing index. */
export function dropConstraint(d: Draft, key: ObjectKey, name: string, cascade: boolean): boolean {
  const t = d.tables.get(key);
  const c = t?.constraints.find((x) => x.name === name);
  if (!t || !c) return false;
  d.tables = d.tables.set(key, { ...t, constraints: t.constraints.filter((x) => x !== c) });
  if (c.index) {
    d.indexes = d.indexes.delete(keyOf(t.schema, c.index));
    // Foreign keys that relied on this unique index go with it (CASCADE).
    if (cascade || c.type === "primary" || c.type === "unique") {
      for (const other of tablesReferencing(d.tables, key)) {
        // Only keys built on this very index: another unique index on the same columns keeps its own.
        const refs = other.constraints.filter(
          (x) => x.foreignKey?.table === key && (x.refIndex ? x.refIndex === c.index : sameColumnSet(x.foreignKey.refColumns, c.columns)) && (cascade || x !== c),
        );
        if (!refs.length || !cascade) continue;
        d.tables = d.tables.set(keyOf(other.schema, other.name), { ...other, constraints: other.constraints.filter((x) => !refs.includes(x)) });
      }
    }
  }
  return true;
}

/**
 * Dependencies between the migrations of a set, read from the replayed catalog: a later migration
 * depends on an earlier one when it changes, drops or renames an object the earlier one created, or
 * columns it added or changed, or when what it creates refers to them (a foreign key to its table, an
 * index on its column, a view over it, a column of its type, a trigger calling its function).
 * Rolling the earlier migration back needs the later one rolled back first.
 *
 * Pure: built from `AnalyzedSet` (catalog before / after each migration). The catalogs are persistent
 * maps, so the objects a migration touched are found by identity in O(changes).
 */
import { diffMaps } from "../catalog/pmap.js";
import type { Catalog, Constraint, ObjectKey, Table } from "../catalog/types.js";
import type { AnalyzedSet } from "../pipeline/analyze.js";

type Kind = "schema" | "extension" | "type" | "sequence" | "table" | "view" | "index" | "function";

/** Which part of an object: some columns of a table (by column id), or the whole object. */
type Part = { columns: ReadonlySet<number> } | "whole";

interface Touch {
  migration: string;
  created: boolean;
  part: Part;
}

interface Use {
  ref: string;
  part: Part;
  reason: string;
}

export interface Dependency {
  /** The earlier migration. */
  on: string;
  /** What the later migration does with it, one line each: `foreign key posts_author_id_fkey references public.authors`. */
  reasons: string[];
}

export interface DependencyGraph {
  /** Migration ids in the order they are applied (history prelude included). */
  order: string[];
  /** Later migration id → the earlier migrations it depends on. */
  dependsOn: ReadonlyMap<string, readonly Dependency[]>;
}

const ref = (kind: Kind, key: string): string => `${kind} ${key}`;

export function dependencyGraph(analyzed: AnalyzedSet): DependencyGraph {
  const touches = new Map<string, Touch[]>();
  const dependsOn = new Map<string, Dependency[]>();
  const order: string[] = [];
  for (const m of analyzed.migrations) {
    const id = m.migration.id;
    order.push(id);
    const before = m.catalogBefore;
    const after = m.catalogAfter;
    const uses: Use[] = [];
    const recorded: { ref: string; touch: Touch }[] = [];
    const dropped: string[] = [];

    const each = <V extends object>(kind: Kind, pick: (c: Catalog) => ReadonlyMap<string, V>, visit: (key: string, b: V | undefined, a: V | undefined) => void): void => {
      const changes = diffMaps(pick(before), pick(after));
      // A rename shows as one key gone and one key new holding the same object (same origin): move
      // the history of the old key to the new one, and count it as a change of the whole object.
      const gone = changes.filter((c) => c.after === undefined);
      const renamed = new Set<string>();
      for (const c of changes) {
        if (c.before !== undefined || c.after === undefined) continue;
        const origin = (c.after as { origin?: object }).origin;
        const old = origin && gone.find((g) => (g.before as { origin?: object }).origin === origin && !renamed.has(g.key));
        if (!old) continue;
        renamed.add(old.key);
        renamed.add(c.key);
        const history = touches.get(ref(kind, old.key)) ?? [];
        touches.delete(ref(kind, old.key));
        touches.set(ref(kind, c.key), history);
        uses.push({ ref: ref(kind, c.key), part: "whole", reason: `renames ${kind} ${old.key} to ${c.key}` });
        recorded.push({ ref: ref(kind, c.key), touch: { migration: id, created: false, part: "whole" } });
      }
      for (const c of changes) {
        if (renamed.has(c.key)) continue;
        visit(c.key, c.before, c.after);
      }
    };

    const simple = (kind: Kind, key: string, b: object | undefined, a: object | undefined): void => {
      if (b && !a) {
        uses.push({ ref: ref(kind, key), part: "whole", reason: `drops ${kind} ${key}` });
        dropped.push(ref(kind, key));
      } else if (b && a) {
        uses.push({ ref: ref(kind, key), part: "whole", reason: `alters ${kind} ${key}` });
        recorded.push({ ref: ref(kind, key), touch: { migration: id, created: false, part: "whole" } });
      } else if (a) {
        recorded.push({ ref: ref(kind, key), touch: { migration: id, created: true, part: "whole" } });
      }
    };

    each("schema", (c) => c.schemas, (key, b, a) => simple("schema", key, b, a));
    each("extension", (c) => c.extensions, (key, b, a) => simple("extension", key, b, a));
    each("function", (c) => c.functions, (key, b, a) => simple("function", key, b, a));
    each("type", (c) => c.types, (key, b, a) => {
      simple("type", key, b, a);
      if (a?.kind === "domain" && a.baseRef && (!b || b.kind !== "domain" || b.baseRef !== a.baseRef)) uses.push({ ref: ref("type", a.baseRef), part: "whole", reason: `domain ${key} is based on type ${a.baseRef}` });
      if (a?.kind === "composite") {
        for (const at of a.attributes) {
          if (at.typeRef && !(b?.kind === "composite" && b.attributes.some((x) => x.typeRef === at.typeRef))) {
            uses.push({ ref: ref("type", at.typeRef), part: "whole", reason: `type ${key} has an attribute of type ${at.typeRef}` });
          }
        }
      }
    });
    each("sequence", (c) => c.sequences, (key, b, a) => {
      simple("sequence", key, b, a);
      const owner = a?.ownedBy;
      if (owner && (!b?.ownedBy || b.ownedBy.table !== owner.table || b.ownedBy.column !== owner.column)) {
        uses.push({ ref: ref("table", owner.table), part: columnsOf(after.tables.get(owner.table), [owner.column]), reason: `sequence ${key} is owned by ${owner.table}.${owner.column}` });
      }
    });
    each("view", (c) => c.views, (key, b, a) => {
      simple("view", key, b, a);
      if (!a) return;
      for (const d of a.dependsOn) {
        if (b?.dependsOn.includes(d) && b.query === a.query) continue;
        // Which columns a view reads is not modelled, so a view depends on every change to what it reads.
        const kind: Kind = after.views.has(d) ? "view" : "table";
        uses.push({ ref: ref(kind, d), part: "whole", reason: `view ${key} reads ${kind} ${d}` });
      }
    });
    each("index", (c) => c.indexes, (key, b, a) => {
      simple("index", key, b, a);
      if (!a || (b && b.table === a.table && b.columns.join() === a.columns.join())) return;
      if (a.constraint) return; // reached through its constraint, on the table
      const kind: Kind = after.views.has(a.table) ? "view" : "table";
      const cols = a.columns.length ? ` (${a.columns.join(", ")})` : "";
      uses.push({ ref: ref(kind, a.table), part: kind === "table" ? columnsOf(after.tables.get(a.table), a.columns) : "whole", reason: `index ${key} on ${a.table}${cols}` });
    });
    each("table", (c) => c.tables, (key, b, a) => {
      if (!b || !a) {
        simple("table", key, b, a);
        if (a) uses.push(...tableReferences(key, undefined, a, after));
        return;
      }
      const changed = changedColumns(b, a);
      uses.push({ ref: ref("table", key), part: { columns: changed }, reason: `table ${key}: ${describeTableChange(b, a)}` });
      recorded.push({ ref: ref("table", key), touch: { migration: id, created: false, part: { columns: changed } } });
      uses.push(...tableReferences(key, b, a, after));
    });

    const deps = new Map<string, string[]>();
    for (const use of uses) {
      for (const t of touches.get(use.ref) ?? []) {
        if (t.migration === id || !(t.created || overlaps(t.part, use.part))) continue;
        const reasons = deps.get(t.migration) ?? [];
        if (!reasons.includes(use.reason)) reasons.push(use.reason);
        deps.set(t.migration, reasons);
      }
    }
    if (deps.size) dependsOn.set(id, order.filter((o) => deps.has(o)).map((o) => ({ on: o, reasons: deps.get(o)! })));
    for (const r of dropped) touches.delete(r);
    for (const { ref: r, touch } of recorded) touches.set(r, [...(touches.get(r) ?? []), touch]);
  }
  return { order, dependsOn };
}

function overlaps(a: Part, b: Part): boolean {
  if (a === "whole" || b === "whole") return true;
  for (const c of a.columns) if (b.columns.has(c)) return true;
  return false;
}

function columnsOf(table: Table | undefined, names: readonly string[]): Part {
  if (!table) return "whole";
  return { columns: new Set(table.columns.filter((c) => names.includes(c.name)).map((c) => c.id)) };
}

/**
 * Column ids added, dropped or changed, and the columns of constraints added, dropped or changed. A
 * rename rewrites every constraint that names the column, so constraints are compared by what they
 * are (`constraintShape`), not by identity.
 */
function changedColumns(b: Table, a: Table): Set<number> {
  const out = new Set<number>();
  const beforeCols = new Map(b.columns.map((c) => [c.id, c]));
  const afterCols = new Map(a.columns.map((c) => [c.id, c]));
  for (const [cid, c] of afterCols) {
    const old = beforeCols.get(cid);
    if (!old || (old !== c && (old.name !== c.name || !sameExceptName(old, c)))) out.add(cid);
  }
  for (const cid of beforeCols.keys()) if (!afterCols.has(cid)) out.add(cid);
  const bc = new Map(b.constraints.map((c) => [c.name, constraintShape(b, c)]));
  const ac = new Map(a.constraints.map((c) => [c.name, constraintShape(a, c)]));
  for (const c of a.constraints) if (bc.get(c.name) !== ac.get(c.name)) for (const cid of idsOf(a, c.columns)) out.add(cid);
  for (const c of b.constraints) if (!ac.has(c.name)) for (const cid of idsOf(b, c.columns)) out.add(cid);
  return out;
}

/** Same definition: a rename elsewhere in the table rewrites column objects without changing them. */
function sameExceptName(x: Table["columns"][number], y: Table["columns"][number]): boolean {
  return x.type === y.type && x.notNull === y.notNull && x.default === y.default && x.identity === y.identity && x.generated === y.generated && x.collation === y.collation;
}

function idsOf(t: Table, names: readonly string[]): number[] {
  return t.columns.filter((c) => names.includes(c.name)).map((c) => c.id);
}

/** What a constraint is, independent of column names: kind, column ids, foreign key target. */
function constraintShape(t: Table, c: Constraint): string {
  const fk = c.foreignKey;
  return JSON.stringify([c.type, idsOf(t, c.columns), fk ? [fk.table, fk.refColumns, fk.onDelete, fk.onUpdate] : null, c.notValid, c.deferrable]);
}

function describeTableChange(b: Table, a: Table): string {
  const beforeIds = new Set(b.columns.map((c) => c.id));
  const afterIds = new Set(a.columns.map((c) => c.id));
  const added = a.columns.filter((c) => !beforeIds.has(c.id)).map((c) => c.name);
  const dropped = b.columns.filter((c) => !afterIds.has(c.id)).map((c) => c.name);
  const renamed = a.columns.filter((c) => beforeIds.has(c.id) && b.columns.find((x) => x.id === c.id)!.name !== c.name);
  const altered = a.columns.filter((c) => beforeIds.has(c.id) && !renamed.includes(c) && b.columns.find((x) => x.id === c.id) !== c).map((c) => c.name);
  const parts: string[] = [];
  if (added.length) parts.push(`adds column ${added.join(", ")}`);
  if (dropped.length) parts.push(`drops column ${dropped.join(", ")}`);
  for (const c of renamed) parts.push(`renames column ${b.columns.find((x) => x.id === c.id)!.name} to ${c.name}`);
  if (altered.length) parts.push(`alters column ${altered.join(", ")}`);
  if (!parts.length) parts.push("alters it");
  return parts.join("; ");
}

/** What a new or changed table refers to: types of its columns, foreign keys, trigger functions, parents. */
function tableReferences(key: ObjectKey, b: Table | undefined, a: Table, after: Catalog): Use[] {
  const uses: Use[] = [];
  const beforeCols = new Map((b?.columns ?? []).map((c) => [c.id, c]));
  for (const c of a.columns) {
    if (!c.typeRef || beforeCols.get(c.id)?.typeRef === c.typeRef) continue;
    uses.push({ ref: ref("type", c.typeRef), part: "whole", reason: `column ${key}.${c.name} has type ${c.typeRef}` });
  }
  const beforeFks = new Map((b?.constraints ?? []).map((c) => [c.name, c.foreignKey ? JSON.stringify([c.foreignKey.table, c.foreignKey.refColumns]) : undefined]));
  for (const c of a.constraints) {
    const fk = c.foreignKey;
    if (!fk || beforeFks.get(c.name) === JSON.stringify([fk.table, fk.refColumns])) continue;
    uses.push({ ref: ref("table", fk.table), part: columnsOf(after.tables.get(fk.table), fk.refColumns), reason: `foreign key ${c.name} references ${fk.table}` });
  }
  const beforeTriggers = new Map((b?.triggers ?? []).map((t) => [t.name, t]));
  for (const t of a.triggers) {
    if (beforeTriggers.get(t.name) === t) continue;
    uses.push({ ref: ref("function", t.function), part: "whole", reason: `trigger ${t.name} on ${key} calls ${t.function}` });
  }
  if (a.partitionOf && b?.partitionOf?.parent !== a.partitionOf.parent) {
    uses.push({ ref: ref("table", a.partitionOf.parent), part: "whole", reason: `table ${key} is a partition of ${a.partitionOf.parent}` });
  }
  for (const parent of a.inherits ?? []) {
    if (b?.inherits?.includes(parent)) continue;
    uses.push({ ref: ref("table", parent), part: "whole", reason: `table ${key} inherits from ${parent}` });
  }
  return uses;
}

export interface Dependents {
  /** Later migrations that depend on it directly, in order, with why. */
  direct: { id: string; reasons: string[] }[];
  /** Later migrations that depend on it through others: id → the direct dependent it comes through. */
  indirect: { id: string; via: string }[];
  /** Earlier migrations it depends on. */
  needs: Dependency[];
}

export function dependentsOf(graph: DependencyGraph, id: string): Dependents {
  const direct: Dependents["direct"] = [];
  const reached = new Map<string, string>();
  for (const later of graph.order) {
    const deps = graph.dependsOn.get(later) ?? [];
    const mine = deps.find((d) => d.on === id);
    if (mine) {
      direct.push({ id: later, reasons: mine.reasons });
      reached.set(later, later);
      continue;
    }
    const through = deps.find((d) => reached.has(d.on));
    if (through) reached.set(later, reached.get(through.on)!);
  }
  const directIds = new Set(direct.map((d) => d.id));
  const indirect = [...reached].filter(([later]) => !directIds.has(later)).map(([later, via]) => ({ id: later, via }));
  return { direct, indirect, needs: [...(graph.dependsOn.get(id) ?? [])] };
}

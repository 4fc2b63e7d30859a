/**
 * Look-ups by something other than an object's key (the indexes on a table, the tables whose foreign
 * keys point at a table) without scanning the whole catalog. A scan per statement made the replay
 * quadratic in the size of the schema: every DROP COLUMN looked at every index and every table
 * (4,000 migrations: 60% of the run). Each grouping remembers the last map it was asked about and is
 * brought up to date by diffing it with the next one, which costs the size of the change; the replay
 * asks about maps one statement apart. An answer depends only on the map asked about.
 */
import { diffMaps, PMap, type AnyMap } from "./pmap.js";
import type { Index, ObjectKey, Table } from "./types.js";

export class Grouping<V> {
  private last: AnyMap<V> = PMap.empty();
  private readonly groups = new Map<string, Map<string, V>>();

  constructor(private readonly groupsOf: (value: V) => readonly string[]) {}

  /** The values of `map` in `group`, in no particular order. */
  get(map: AnyMap<V>, group: string): V[] {
    if (map !== this.last) {
      for (const c of diffMaps(this.last, map)) {
        if (c.before) for (const g of this.groupsOf(c.before)) this.groups.get(g)?.delete(c.key);
        if (c.after) {
          for (const g of this.groupsOf(c.after)) {
            let members = this.groups.get(g);
            if (!members) this.groups.set(g, (members = new Map()));
            members.set(c.key, c.after);
          }
        }
      }
      this.last = map;
    }
    return [...(this.groups.get(group)?.values() ?? [])];
  }
}

const indexesByTable = new Grouping<Index>((i) => [i.table]);
const tablesByReferencedTable = new Grouping<Table>((t) => [...new Set(t.constraints.flatMap((c) => (c.foreignKey ? [c.foreignKey.table] : [])))]);

/** The indexes on a table (or materialized view), in no particular order. */
export function indexesOfTable(indexes: AnyMap<Index>, table: ObjectKey): Index[] {
  return indexesByTable.get(indexes, table);
}

/** The tables with a foreign key referencing `table` (itself included), in no particular order. */
export function tablesReferencing(tables: AnyMap<Table>, table: ObjectKey): Table[] {
  return tablesByReferencedTable.get(tables, table);
}

/** The same key columns in any order (how PostgreSQL matches a foreign key's columns to a unique index). */
export function sameColumnSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

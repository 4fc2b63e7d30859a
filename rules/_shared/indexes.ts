/**
 * The indexes of one table, without scanning every index of the catalog: a rule asks this for each
 * foreign key of each migration, and a scan per question made the lint quadratic in the size of the
 * schema (3,000 migrations: 40% of the run in one rule). The grouping is brought up to date by
 * diffing the last catalog's index map with the next one's, which costs the size of the change
 * between the catalogs asked about (one migration apart, in a run).
 */
import { diffMaps, PMap } from "../../src/catalog/pmap.js";
import type { Catalog, Index, ObjectKey } from "../../src/catalog/types.js";

let last: Catalog["indexes"] = PMap.empty();
const byTable = new Map<ObjectKey, Map<string, Index>>();

/** The indexes on `table` in `catalog`, in no particular order. */
export function indexesOfTable(catalog: Pick<Catalog, "indexes">, table: ObjectKey): Index[] {
  if (catalog.indexes !== last) {
    for (const c of diffMaps(last, catalog.indexes)) {
      if (c.before) byTable.get(c.before.table)?.delete(c.key);
      if (c.after) {
        let group = byTable.get(c.after.table);
        if (!group) byTable.set(c.after.table, (group = new Map()));
        group.set(c.key, c.after);
      }
    }
    last = catalog.indexes;
  }
  return [...(byTable.get(table)?.values() ?? [])];
}

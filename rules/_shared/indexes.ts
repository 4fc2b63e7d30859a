/**
 * The indexes of one table, without scanning every index of the catalog: the rules ask this for each
 * foreign key of each migration, and a scan per question made the lint quadratic in the size of the
 * schema (see src/catalog/lookup.ts).
 */
import { indexesOfTable as lookup } from "../../src/catalog/lookup.js";
import type { Catalog, Index, ObjectKey } from "../../src/catalog/types.js";

/** The indexes on `table` in `catalog`, in no particular order. */
export function indexesOfTable(catalog: Pick<Catalog, "indexes">, table: ObjectKey): Index[] {
  return lookup(catalog.indexes, table);
}

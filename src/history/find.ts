/**
 * A migration named on the command line (`deps <migration>`, `plan --to <migration>`): by id, by
 * version, by one of its files (or its folder), or by an unambiguous prefix of its id.
 */
import path from "node:path";
import { InputError } from "../errors.js";
import type { Migration, MigrationSet } from "../layout/types.js";

export interface Found<S extends { set: MigrationSet }> {
  owner: S;
  migration: Migration;
}

export function findMigration<S extends { set: MigrationSet }>(sets: readonly S[], query: string, cwd: string, option: string): Found<S> {
  const all = sets.flatMap((owner) => owner.set.migrations.filter((m) => !m.prelude).map((migration) => ({ owner, migration })));
  const asPath = path.resolve(cwd, query);
  const fileOf = (p: string | undefined) => (p === undefined ? undefined : path.resolve(cwd, p));
  const tests: ((m: Migration) => boolean)[] = [
    (m) => m.id === query,
    (m) => m.version === query,
    (m) => [m.up.path, m.down?.path, m.verify?.path].some((p) => fileOf(p) === asPath) || path.dirname(fileOf(m.up.path)!) === asPath,
    (m) => m.id.startsWith(query),
  ];
  for (const test of tests) {
    const hits = all.filter((h) => test(h.migration));
    if (hits.length === 1) return hits[0]!;
    if (hits.length > 1) {
      const names = hits.slice(0, 6).map((h) => `${h.owner.set.root}: ${h.migration.id}`);
      throw new InputError(`${option} ${query}: ${hits.length} migrations match (${names.join(", ")}${hits.length > 6 ? ", …" : ""}); name one by its id`);
    }
  }
  throw new InputError(`${option} ${query}: no migration has this id, version or file`);
}

/**
 * `--since <ref>`: which migrations of a set changed since the ref. Those are linted; the rest of the
 * set is still replayed as history. A migration whose up file did not exist at the ref is also
 * "unapplied": production has not run it, so the objects it creates count as new for the lock rules.
 */
import type { MigrationSet } from "../layout/types.js";
import { realPath, type ChangedFiles } from "./git.js";

export interface SinceSelection {
  /** Migrations with an added or modified file (up, down or sqitch verify). */
  selected: Set<string>;
  /** Migrations whose up file is new since the ref. */
  unapplied: Set<string>;
}

export function changedMigrations(set: MigrationSet, changes: ChangedFiles, cwd: string): SinceSelection {
  const selected = new Set<string>();
  const unapplied = new Set<string>();
  const kind = (p: string | undefined) => (p === undefined ? undefined : changes.files.get(realPath(cwd, p)));
  for (const m of set.migrations) {
    if (m.prelude) continue;
    const up = kind(m.up.path);
    const touched = [up, kind(m.down?.path), kind(m.verify?.path)].some((k) => k === "added" || k === "modified");
    if (!touched) continue;
    selected.add(m.id);
    if (up === "added") unapplied.add(m.id);
  }
  return { selected, unapplied };
}

/** Was this file (a path as the tool shows it) added or modified since the ref? */
export function isChanged(changes: ChangedFiles, cwd: string, shown: string): boolean {
  const kind = changes.files.get(realPath(cwd, shown));
  return kind === "added" || kind === "modified";
}

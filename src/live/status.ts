/**
 * Each migration's state against the live journal, and for applied ones whether and how it can be rolled
 * back now: the table teams print by hand ("Can Rollback / Has Rollback / Blocking Reason"). Pure.
 *
 * - applied: the journal has it and the file is as it was (runner's hash, else the lock file's sha256).
 * - modified: applied, but the file changed since (the runner's hash or the lock file says so).
 * - failed: the journal marks it failed or dirty.
 * - pending: in the folder, not in the journal.
 * - missing: in the journal, no longer in the folder.
 */
import { dependencyGraph, dependentsOf } from "../history/deps.js";
import { hashMigration } from "../history/lock.js";
import type { LockedSet } from "../history/lock-file.js";
import { dynamicDown, type DownSource } from "../history/rollback.js";
import type { Reversibility } from "../invert/types.js";
import type { JournalEntry, JournalState, RunnerJournal } from "../layout/journal.js";
import type { Migration } from "../layout/types.js";
import type { AnalyzedSet } from "../pipeline/analyze.js";

export type MigrationState = "applied" | "modified" | "failed" | "pending" | "missing";

export interface RollbackAbility {
  class: Reversibility;
  /** Where its down would come from under `prefer-written`. */
  down: DownSource;
  /** What stands in the way of rolling back this one migration now; empty: nothing. */
  blockedBy: string[];
}

export interface MigrationStatus {
  /** The migration's id, or for a missing one what the journal recorded. */
  id: string;
  path?: string;
  state: MigrationState;
  appliedAt?: Date;
  detail?: string;
  rollback?: RollbackAbility;
}

/** Journal entries that are applied (not failed) and have their file, oldest first. */
export function appliedEntries(state: JournalState): JournalEntry[] {
  return state.entries.filter((e) => e.state === "applied");
}

function modification(m: Migration, entry: JournalEntry, journal: RunnerJournal, locked: LockedSet | undefined): string | undefined {
  if (journal.hashOf && entry.hash !== undefined) {
    const now = journal.hashOf(m);
    return now === entry.hash ? undefined : `the ${journal.runner} journal recorded hash ${entry.hash.slice(0, 12)}, the file now hashes to ${now.slice(0, 12)}`;
  }
  const lockedEntry = locked?.migrations.find((l) => l.id === m.id);
  if (!lockedEntry) return undefined;
  const now = hashMigration(m).sha256;
  return now === lockedEntry.sha256 ? undefined : `migration-lint.lock has sha256 ${lockedEntry.sha256.slice(0, 12)}, the file now has ${now.slice(0, 12)}`;
}

export function migrationStatuses(analyzed: AnalyzedSet, state: JournalState, journal: RunnerJournal, locked?: LockedSet): MigrationStatus[] {
  const byId = new Map<string, JournalEntry>();
  for (const e of state.entries) if (e.migration) byId.set(e.migration.id, e);
  const graph = dependencyGraph(analyzed);
  const appliedIds = new Set(appliedEntries(state).flatMap((e) => (e.migration ? [e.migration.id] : [])));
  const out: MigrationStatus[] = [];
  for (const am of analyzed.migrations) {
    const m = am.migration;
    if (m.prelude || m.external === "up") continue;
    const entry = byId.get(m.id);
    const status: MigrationStatus = { id: m.id, path: m.up.path, state: "pending" };
    if (entry) {
      status.state = entry.state === "failed" ? "failed" : "applied";
      if (entry.appliedAt) status.appliedAt = entry.appliedAt;
      if (entry.detail) status.detail = entry.detail;
      const modified = modification(m, entry, journal, locked);
      if (modified && status.state === "applied") {
        status.state = "modified";
        status.detail = modified;
      }
      if (entry.state === "applied") {
        const blockedBy = am.plan.statements.filter((s) => s.class === "irreversible").map((s) => `irreversible: line ${s.source.range.start.line}: ${s.reason ?? "no correct down"}`);
        const later = dependentsOf(graph, m.id).direct.filter((d) => appliedIds.has(d.id));
        if (later.length) blockedBy.push(`needs ${later.map((d) => d.id).join(", ")} rolled back first (${later.length === 1 ? "it depends" : "they depend"} on it)`);
        // A written down() whose SQL is built at run time is never run as written (history/rollback.ts).
        status.rollback = { class: am.plan.class, down: m.down && !dynamicDown(m) ? "written" : "generated", blockedBy };
      }
    }
    out.push(status);
  }
  for (const e of state.entries) {
    if (e.migration) continue;
    const missing: MigrationStatus = { id: e.recorded, state: "missing", detail: `the journal records it; no file in ${analyzed.set.root} has it` };
    if (e.appliedAt) missing.appliedAt = e.appliedAt;
    out.push(missing);
  }
  return out;
}

/** 0 when every migration is applied as it is, 1 when anything is pending, modified, failed or missing. */
export function statusExitCode(statuses: readonly MigrationStatus[]): 0 | 1 {
  return statuses.every((s) => s.state === "applied") ? 0 : 1;
}

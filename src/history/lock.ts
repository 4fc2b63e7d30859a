/**
 * What the lock means, as pure functions: building a set's lock entries, and the three history rules
 * (`migration-modified`, `migration-removed`, `migration-out-of-order`) checked against it. The rules'
 * metas live in `rules/`; their findings are made here, once per set, because a removed migration has
 * no file for a per-migration `check` to run on (the same reason `unused-ignore` is made by the engine).
 */
import { createHash } from "node:crypto";
import { posix } from "node:path";
import type { Migration, MigrationSet } from "../layout/types.js";
import { FILE_START, type ResolvedRule } from "../lint/engine.js";
import { reporter, type Report } from "../lint/set-findings.js";
import type { Finding } from "../lint/types.js";
import type { Range } from "../parse/source.js";
import type { LoadedLock, LockedMigration, LockedSet } from "./lock-file.js";

export const MIGRATION_MODIFIED = "migration-modified";
export const MIGRATION_REMOVED = "migration-removed";
export const MIGRATION_OUT_OF_ORDER = "migration-out-of-order";

/** drizzle's `meta/_journal.json` as the checks need it. */
export interface Journal {
  /** As the user reads it (like `Migration.up.path`). */
  path: string;
  text: string;
  entries: readonly { tag: string; when?: number }[];
}

/** Absolute and relative paths are turned into lock paths by the caller's `PathMap`. */
export interface PathMap {
  /** A path as the tool shows it (relative to the cwd, or absolute) → relative to the lock's folder. */
  toLock(shown: string): string;
}

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * The up SQL as the runner reads it. For a file that also holds the down (dbmate's sections, inline
 * ROLLBACK), only the up part: fixing a rollback section is not an edit of what production ran.
 */
export function hashMigration(m: Migration): { sha256: string; scope?: "up-section" } {
  if (!m.up.regions) return { sha256: sha256(m.up.text) };
  return { sha256: sha256(m.up.regions.map((r) => m.up.text.slice(r.start, r.end)).join("\n")), scope: "up-section" };
}

/** The migrations a lock records: history preludes are someone else's folder, code-only ups have no SQL. */
export function lockable(set: MigrationSet): Migration[] {
  return set.migrations.filter((m) => !m.prelude && m.external !== "up");
}

export function lockSet(set: MigrationSet, paths: PathMap, journal?: Journal): LockedSet {
  const when = new Map((journal?.entries ?? []).map((e) => [e.tag, e.when]));
  return {
    root: paths.toLock(set.root) || ".",
    layout: set.layout,
    migrations: lockable(set).map((m) => {
      const entry: LockedMigration = { id: m.id, path: paths.toLock(m.up.path), ...hashMigration(m) };
      const w = when.get(m.id);
      if (w !== undefined) entry.when = w;
      return entry;
    }),
  };
}

export interface CheckInput {
  lock?: LoadedLock;
  paths: PathMap;
  set: MigrationSet;
  /** Migrations being linted (the rest is history: only removals are reported about them). */
  linted: ReadonlySet<string>;
  journal?: Journal;
  /** The enabled rules with their severities; the history rules that are off report nothing. */
  rules: readonly ResolvedRule[];
}


/** The lock entries of `set`, matched by root folder. */
export function lockedSetFor(lock: LoadedLock | undefined, set: MigrationSet, paths: PathMap): LockedSet | undefined {
  const root = paths.toLock(set.root) || ".";
  return lock?.lock.sets.find((s) => posix.normalize(s.root) === posix.normalize(root));
}

export function checkSet(input: CheckInput): Finding[] {
  const { set, linted } = input;
  const findings: Finding[] = [];
  const report = reporter(input.rules, findings);
  const locked = lockedSetFor(input.lock, set, input.paths);
  const migrations = lockable(set);

  if (locked && input.lock) {
    const lockFile = input.lock.display;
    const byId = new Map(locked.migrations.map((m) => [m.id, m]));
    const present = new Set(migrations.map((m) => m.id));
    // migration-modified: a locked migration whose SQL changed.
    for (const m of migrations) {
      const entry = byId.get(m.id);
      if (!entry || !linted.has(m.id)) continue;
      const { sha256: actual } = hashMigration(m);
      if (actual !== entry.sha256) {
        report(MIGRATION_MODIFIED, "changed", m.up.path, FILE_START, m.id, { id: m.id, lockFile, locked: entry.sha256.slice(0, 12), actual: actual.slice(0, 12) });
      }
    }
    // migration-removed: reported in the lock file, at the entry of the migration that is gone.
    for (const entry of locked.migrations) {
      if (present.has(entry.id)) continue;
      const line = lineOfEntry(input.lock.text, locked.root, entry.id);
      report(MIGRATION_REMOVED, "removed", lockFile, lineRange(input.lock.text, line), entry.id, { id: entry.id, root: set.root, path: entry.path });
    }
    // migration-out-of-order: new, yet sorted before the last locked migration.
    const lastIndex = findLastIndex(migrations, (m) => byId.has(m.id));
    if (lastIndex >= 0) {
      const last = migrations[lastIndex]!;
      migrations.slice(0, lastIndex).forEach((m) => {
        if (byId.has(m.id) || !linted.has(m.id)) return;
        report(MIGRATION_OUT_OF_ORDER, "sortsBefore", m.up.path, FILE_START, m.id, { id: m.id, last: last.id });
      });
    }
    if (input.journal) checkJournalAgainstLock(input.journal, locked, migrations, linted, report);
  }
  if (input.journal) {
    const already = new Set(findings.filter((f) => f.messageId === "drizzleWhen").map((f) => f.migrationId));
    checkJournalOrder(input.journal, new Set([...linted].filter((id) => !already.has(id))), report);
  }
  return findings;
}

/**
 * drizzle-orm's migrate() reads the journal and applies only entries whose `when` is later than the
 * `created_at` of the last applied migration. A locked entry whose `when` moved, or a new entry not
 * later than the newest locked one, is silently skipped (or re-run) somewhere.
 */
function checkJournalAgainstLock(journal: Journal, locked: LockedSet, migrations: readonly Migration[], linted: ReadonlySet<string>, report: Report): void {
  const byId = new Map(locked.migrations.map((m) => [m.id, m]));
  const newest = locked.migrations.reduce<LockedMigration | undefined>((best, m) => (m.when !== undefined && (!best || m.when > best.when!) ? m : best), undefined);
  const ids = new Set(migrations.map((m) => m.id));
  for (const entry of journal.entries) {
    if (!ids.has(entry.tag) || !linted.has(entry.tag)) continue;
    const range = lineRange(journal.text, lineOfTag(journal.text, entry.tag));
    const lockedEntry = byId.get(entry.tag);
    if (lockedEntry) {
      if (lockedEntry.when !== undefined && entry.when !== lockedEntry.when) {
        report(MIGRATION_MODIFIED, "journalWhen", journal.path, range, entry.tag, { id: entry.tag, locked: lockedEntry.when, actual: String(entry.when ?? "none") });
      }
    } else if (newest && entry.when !== undefined && entry.when <= newest.when!) {
      report(MIGRATION_OUT_OF_ORDER, "drizzleWhen", journal.path, range, entry.tag, { id: entry.tag, when: entry.when, last: newest.id, lastWhen: newest.when! });
    }
  }
}

/** Without a lock: an entry not later than the one before it is skipped where that one ran first. */
function checkJournalOrder(journal: Journal, linted: ReadonlySet<string>, report: Report): void {
  let previous: { tag: string; when: number } | undefined;
  for (const entry of journal.entries) {
    if (entry.when === undefined) continue;
    if (previous && entry.when <= previous.when && linted.has(entry.tag)) {
      const range = lineRange(journal.text, lineOfTag(journal.text, entry.tag));
      report(MIGRATION_OUT_OF_ORDER, "journalOrder", journal.path, range, entry.tag, { id: entry.tag, when: entry.when, previous: previous.tag, previousWhen: previous.when });
    }
    if (!previous || entry.when > previous.when) previous = { tag: entry.tag, when: entry.when };
  }
}

function findLastIndex<T>(items: readonly T[], test: (item: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (test(items[i]!)) return i;
  return -1;
}

/** The line of a set's entry for `id` (ids are unique within a set, not across sets). */
export function lineOfEntry(text: string, root: string, id: string): number {
  const lines = text.split("\n");
  const rootLine = lines.findIndex((l) => l.includes(`"root": ${JSON.stringify(root)}`));
  const needle = `"id": ${JSON.stringify(id)}`;
  const i = lines.findIndex((l, n) => n > rootLine && l.includes(needle));
  return i < 0 ? 1 : i + 1;
}

function lineOfTag(text: string, tag: string): number {
  const pattern = new RegExp(`"tag"\\s*:\\s*${JSON.stringify(tag).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`);
  const i = text.split("\n").findIndex((l) => pattern.test(l));
  return i < 0 ? 1 : i + 1;
}

/** The range of a line's text without its indentation, with the UTF-8 offsets `Position` uses. */
export function lineRange(text: string, line: number): Range {
  const lines = text.split("\n");
  const content = lines[line - 1] ?? "";
  const before = lines.slice(0, line - 1).join("\n") + (line > 1 ? "\n" : "");
  const indent = content.length - content.trimStart().length;
  const startOffset = Buffer.byteLength(before + content.slice(0, indent), "utf8");
  const trimmed = content.trim();
  return {
    start: { offset: startOffset, line, column: indent + 1 },
    end: { offset: startOffset + Buffer.byteLength(trimmed, "utf8"), line, column: indent + 1 + trimmed.length },
  };
}

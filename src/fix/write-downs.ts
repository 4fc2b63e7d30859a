/**
 * The `--fix` writer: puts each generated down where the migration's layout keeps downs (a file such
 * as diesel's `down.sql`, golang-migrate's `.down.sql`, Flyway's `U<ver>__<d>.sql`, sqitch's
 * `revert/<change>.sql`, drizzle's `rollback/<NNNN>_rollback.sql`; or a section of the up file: dbmate's
 * `-- migrate:down`, an inline `-- ROLLBACK START/END`).
 *
 * Safety: a non-empty hand-written down is never replaced without `force`; every write goes to a
 * temporary file in the same folder that is then renamed over the target, so a reader never sees
 * half a file; `dryRun` prints what would be written and touches nothing.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Reversibility } from "../invert/types.js";
import type { Migration } from "../layout/types.js";
import { findSections } from "../parse/sections.js";
import type { AnalyzedSet } from "../pipeline/analyze.js";

export interface WriteDownsOptions {
  /** Replace non-empty hand-written downs too. */
  force?: boolean;
  /** Print instead of writing. */
  dryRun?: boolean;
  /** Where relative paths start (default: the process's cwd). */
  cwd?: string;
  /** Where a dry run prints (default: stdout). */
  print?: (text: string) => void;
}

export type WriteAction = "written" | "would-write" | "unchanged" | "skipped";

export interface WriteResult {
  migrationId: string;
  /** The file written (or that would be), as the layout names it. */
  path: string;
  action: WriteAction;
  /** Why it was skipped, or what was done. */
  reason: string;
  class: Reversibility;
}

/** Writes (or, with `dryRun`, prints) the generated down of every linted migration whose layout keeps downs. */
export async function writeDowns(sets: readonly AnalyzedSet[], options: WriteDownsOptions = {}): Promise<WriteResult[]> {
  const results: WriteResult[] = [];
  const print = options.print ?? ((t: string) => void process.stdout.write(t));
  for (const set of sets) {
    for (const m of set.migrations) {
      if (!m.linted || m.migration.prelude) continue;
      const result = await writeOne(m.migration, m.plan.sql, m.plan.class, options, print);
      results.push(result);
    }
  }
  return results;
}

async function writeOne(
  migration: Migration,
  sql: string,
  cls: Reversibility,
  options: WriteDownsOptions,
  print: (text: string) => void,
): Promise<WriteResult> {
  const target = migration.downTarget;
  const base = { migrationId: migration.id, path: target.path, class: cls };
  if (!migration.expectsDown) return { ...base, action: "skipped", reason: "the layout keeps no downs" };
  const file = path.resolve(options.cwd ?? process.cwd(), target.path);
  const current = await readOptional(file);

  let next: string;
  if (target.kind === "file") {
    if (current !== undefined && current.trim() !== "" && current !== sql && !options.force) {
      return { ...base, action: "skipped", reason: "a hand-written down exists (use --force to replace it)" };
    }
    if (current === sql) return { ...base, action: "unchanged", reason: "the down is already the generated one" };
    next = sql;
  } else {
    if (current === undefined) return { ...base, action: "skipped", reason: "the up file is gone" };
    const sections = findSections(current);
    const region = sections.downRegion;
    if (region) {
      if (sections.down.length > 1) return { ...base, action: "skipped", reason: "the file has several ROLLBACK sections" };
      const existing = current.slice(region.start, region.end);
      // The region starts right after the marker line: the body begins on the next line.
      const body = `\n${sql}`;
      if (existing.trim() !== "" && existing.trim() !== sql.trim() && !options.force) {
        return { ...base, action: "skipped", reason: "a hand-written down section exists (use --force to replace it)" };
      }
      if (existing.trim() === sql.trim()) return { ...base, action: "unchanged", reason: "the down section is already the generated one" };
      next = current.slice(0, region.start) + body + current.slice(region.end);
    } else {
      const sep = current.endsWith("\n") ? "" : "\n";
      next = target.style === "dbmate" ? `${current}${sep}\n-- migrate:down\n${sql}` : `${current}${sep}\n-- ROLLBACK START\n${sql}-- ROLLBACK END\n`;
    }
  }

  if (options.dryRun) {
    print(`-- would write ${target.path}${target.kind === "section" ? ` (${target.style === "dbmate" ? "-- migrate:down section" : "ROLLBACK section"})` : ""}\n${target.kind === "file" ? next : sql}\n`);
    return { ...base, action: "would-write", reason: current === undefined ? "new file" : "replaces the current down" };
  }
  await atomicWrite(file, next);
  return { ...base, action: "written", reason: current === undefined || current.trim() === "" ? "generated down written" : "replaced the hand-written down (--force)" };
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

/** Temp file in the same folder (same file system), then rename: the target is replaced in one step. */
export async function atomicWrite(file: string, text: string): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(tmp, text, { encoding: "utf8", flag: "wx" });
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}

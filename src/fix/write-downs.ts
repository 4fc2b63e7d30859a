/**
 * The `--fix` writer: puts each generated down where the migration's layout keeps downs (a file such
 * as diesel's `down.sql`, golang-migrate's `.down.sql`, Flyway's `U<ver>__<d>.sql`, sqitch's
 * `revert/<change>.sql`, drizzle's `rollback/<NNNN>_rollback.sql`; or a section of the up file: dbmate's
 * `-- migrate:down`, an inline `-- ROLLBACK START/END`).
 *
 * Every layout has a place for a down (`downTarget`), and `--fix` writes there even where the runner
 * itself never runs downs (prisma's `down.sql` for `prisma db execute`, drizzle's `rollback/` folder
 * before it exists): the user asked for the files. `expectsDown` only decides `missing-down`.
 *
 * Safety: a non-empty hand-written down is never replaced without `force`; every write goes to a
 * temporary file in the same folder that is then renamed over the target, so a reader never sees
 * half a file; `dryRun` prints what would be written and touches nothing.
 */
import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.js";
import type { Reversibility } from "../invert/types.js";
import type { Migration } from "../layout/types.js";
import { findSections } from "../parse/sections.js";
import { writeModuleDown } from "../extract/render-down.js";
import { pgmSqlRegions } from "../layout/node-pg-migrate.js";
import type { DownPlan } from "../invert/types.js";
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

/**
 * Writes (or, with `dryRun`, prints) the generated down of every linted migration. Every target is
 * read and its new text decided first; only then is anything written, so an unreadable target means
 * nothing is written at all.
 */
export async function writeDowns(sets: readonly AnalyzedSet[], options: WriteDownsOptions = {}): Promise<WriteResult[]> {
  const print = options.print ?? ((t: string) => void process.stdout.write(t));
  const planned: Planned[] = [];
  for (const set of sets) {
    for (const m of set.migrations) {
      if (!m.linted || m.migration.prelude) continue;
      planned.push(await planOne(m.migration, m.plan.sql, m.plan.class, options, m.plan));
    }
  }
  for (const p of planned) {
    if (!p.write) continue;
    if (options.dryRun) print(p.write.preview);
    else {
      try {
        await atomicWrite(p.write.file, p.write.text);
      } catch (error) {
        throw new InputError(`cannot write the down: ${(error as Error).message}`, { path: p.result.path, cause: error });
      }
    }
  }
  return planned.map((p) => p.result);
}

interface Planned {
  result: WriteResult;
  write?: { file: string; text: string; preview: string };
}

async function planOne(migration: Migration, sql: string, cls: Reversibility, options: WriteDownsOptions, plan?: DownPlan): Promise<Planned> {
  const target = migration.downTarget;
  const base = { migrationId: migration.id, path: target.path, class: cls };
  const file = path.resolve(options.cwd ?? process.cwd(), target.path);
  let current: string | undefined;
  try {
    current = await readOptional(file);
  } catch (error) {
    throw new InputError(`cannot read the current down: ${(error as Error).message}`, { path: target.path, cause: error });
  }
  const skip = (reason: string): Planned => ({ result: { ...base, action: "skipped", reason } });
  const unchanged = (reason: string): Planned => ({ result: { ...base, action: "unchanged", reason } });

  let next: string;
  if (target.kind === "module") {
    // A TypeScript/JavaScript migration: the down() of the module itself, in its own style.
    if (current === undefined) return skip("the module is gone");
    if (!plan) return skip("no plan");
    const written = writeModuleDown(current, target.path, plan, target.style, !!options.force);
    if ("skip" in written) return skip(written.skip);
    if (written.text === current) return unchanged("the down() is already the generated one");
    const preview = `// would write the down() of ${target.path}\n${written.text}\n`;
    if (options.dryRun) return { result: { ...base, action: "would-write", reason: `${written.action} down()` }, write: { file, text: written.text, preview } };
    const reason = written.action === "replaced" ? "replaced the hand-written down() (--force)" : `generated down() ${written.action === "added" ? "added" : "written"}`;
    return { result: { ...base, action: "written", reason }, write: { file, text: written.text, preview } };
  } else if (target.kind === "section" && target.style === "node-pg-migrate") {
    // node-pg-migrate's SQL file: the part after `-- Down Migration`.
    if (current === undefined) return skip("the up file is gone");
    const region = pgmSqlRegions(current).down;
    const marker = region ? /--[\s-]*down\s+migration[^\n]*\n?/i.exec(current.slice(region.start, region.end)) : null;
    if (region && marker) {
      const bodyStart = region.start + marker.index + marker[0].length;
      const existing = current.slice(bodyStart, region.end);
      if (existing.trim() !== "" && existing.trim() !== sql.trim() && !options.force) return skip("a hand-written -- Down Migration part exists (use --force to replace it)");
      if (existing.trim() === sql.trim()) return unchanged("the down part is already the generated one");
      next = `${current.slice(0, bodyStart)}${marker[0].endsWith("\n") ? "" : "\n"}${sql}${current.slice(region.end)}`;
    } else next = `${current}${current.endsWith("\n") ? "" : "\n"}\n-- Down Migration\n${sql}`;
  } else if (target.kind === "file") {
    if (current !== undefined && current.trim() !== "" && current !== sql && !options.force) return skip("a hand-written down exists (use --force to replace it)");
    if (current === sql) return unchanged("the down is already the generated one");
    next = sql;
  } else {
    if (current === undefined) return skip("the up file is gone");
    const sections = findSections(current);
    const region = sections.downRegion;
    if (region) {
      if (sections.down.length > 1) return skip("the file has several ROLLBACK sections");
      const existing = current.slice(region.start, region.end);
      // The region starts right after the marker line: the body begins on the next line.
      const body = `\n${sql}`;
      if (existing.trim() !== "" && existing.trim() !== sql.trim() && !options.force) return skip("a hand-written down section exists (use --force to replace it)");
      if (existing.trim() === sql.trim()) return unchanged("the down section is already the generated one");
      next = current.slice(0, region.start) + body + current.slice(region.end);
    } else {
      const sep = current.endsWith("\n") ? "" : "\n";
      next = target.style === "dbmate" ? `${current}${sep}\n-- migrate:down\n${sql}` : `${current}${sep}\n-- ROLLBACK START\n${sql}-- ROLLBACK END\n`;
    }
  }

  const section = target.kind === "section" ? ` (${target.style === "dbmate" ? "-- migrate:down section" : "ROLLBACK section"})` : "";
  const preview = `-- would write ${target.path}${section}\n${target.kind === "file" ? next : sql}\n`;
  if (options.dryRun) return { result: { ...base, action: "would-write", reason: current === undefined ? "new file" : "replaces the current down" }, write: { file, text: next, preview } };
  const reason = current === undefined || current.trim() === "" ? "generated down written" : "replaced the hand-written down (--force)";
  return { result: { ...base, action: "written", reason }, write: { file, text: next, preview } };
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

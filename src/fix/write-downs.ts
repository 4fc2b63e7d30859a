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
 * Safety: a non-empty hand-written down is never replaced without `force`; the set is written all
 * or nothing (every target checked writable, every text staged in a temporary file beside its target,
 * then all renamed), so a reader never sees half a file nor half a set; `dryRun` prints what would be
 * written and touches nothing. An inline ROLLBACK section is written as SQL comments (see
 * src/layout/inline-rollback.ts), and a live one is commented out.
 */
import { randomBytes } from "node:crypto";
import { constants } from "node:fs";
import { access, mkdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { InputError } from "../errors.js";
import type { Reversibility } from "../invert/types.js";
import { describeFsError } from "../layout/fs.js";
import type { Migration } from "../layout/types.js";
import { commentOut, findSections, isLiveSection, uncommentSections } from "../parse/sections.js";
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
 * Writes (or, with `dryRun`, prints) the generated down of every linted migration, all or nothing:
 * every target is read and its new text decided first, then every target is checked writable, then
 * every text goes to a temporary file beside its target, and only when all of them are on disk are
 * they renamed over their targets. A failure before the renames leaves every file as it was.
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
  const writes = planned.filter((p): p is Planned & { write: NonNullable<Planned["write"]> } => p.write !== undefined);
  if (options.dryRun) {
    for (const p of writes) print(p.write.preview);
    return planned.map((p) => p.result);
  }
  const blocked: string[] = [];
  for (const p of writes) {
    const why = await unwritable(p.write.file);
    if (why) blocked.push(`${p.result.path} (${why})`);
  }
  if (blocked.length) throw new InputError(`--fix wrote nothing: cannot write ${blocked.join(", ")}`);
  const staged: { tmp: string; p: (typeof writes)[number] }[] = [];
  try {
    for (const p of writes) staged.push({ tmp: await stage(p.write.file, p.write.text), p });
  } catch (error) {
    await Promise.all(staged.map((s) => rm(s.tmp, { force: true })));
    throw new InputError(`--fix wrote nothing: ${(error as Error).message}`, { cause: error });
  }
  const done: string[] = [];
  for (const [i, { tmp, p }] of staged.entries()) {
    try {
      await rename(tmp, p.write.file);
      done.push(p.result.path);
    } catch (error) {
      // Only a file system failing between the check and now gets here; say exactly what is on disk.
      await Promise.all(staged.slice(i).map((s) => rm(s.tmp, { force: true })));
      const wrote = done.length ? `wrote ${done.join(", ")} before it` : "nothing was written";
      throw new InputError(`--fix stopped at ${p.result.path}: ${(error as Error).message} (${wrote})`, { cause: error });
    }
  }
  return planned.map((p) => p.result);
}

/** Why a file cannot be replaced by a rename (the folder must be writable, a new folder creatable), or undefined. */
async function unwritable(file: string): Promise<string | undefined> {
  let dir = path.dirname(file);
  for (;;) {
    try {
      const st = await stat(dir);
      if (!st.isDirectory()) return `${path.relative(process.cwd(), dir) || "."} is a file, not a folder`;
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") return (error as Error).message;
      const up = path.dirname(dir);
      if (up === dir) return `${dir} does not exist`;
      dir = up;
    }
  }
  try {
    await access(dir, constants.W_OK | constants.X_OK);
  } catch {
    return `the folder ${path.relative(process.cwd(), dir) || "."} is not writable`;
  }
  try {
    const st = await stat(file);
    if (!st.isFile()) return "not a regular file";
    await access(file, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return undefined;
    if (code === "EACCES" || code === "EPERM") return "the file is read-only";
    return (error as Error).message;
  }
  return undefined;
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
    throw new InputError(`--fix wrote nothing: cannot read the current down: ${describeFsError(error).text}`, { path: target.path, cause: error });
  }
  const skip = (reason: string): Planned => ({ result: { ...base, action: "skipped", reason } });
  const unchanged = (reason: string): Planned => ({ result: { ...base, action: "unchanged", reason } });

  let next: string;
  let liveFix: string | undefined;
  if (target.kind === "module") {
    // A TypeScript/JavaScript migration: the down() of the module itself, in its own style.
    if (current === undefined) return skip("the module is gone");
    if (!plan) return skip("no plan");
    // Loaded only here, as the layouts load the extractor: a SQL-only project never needs either.
    const { writeModuleDown } = await import("../extract/render-down.js");
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
    // dbmate runs only the up section; every other runner applies the whole file, so a ROLLBACK
    // section must be SQL comments (the reader uncomments it).
    const inert = target.style === "rollback" ? commentOut : (s: string) => s;
    if (region) {
      if (sections.down.length > 1) return skip("the file has several ROLLBACK sections");
      const live = target.style === "rollback" && isLiveSection(current, region);
      const existing = uncommentSections(current, [region]).slice(region.start, region.end);
      const handWritten = existing.trim() !== "" && sameLines(existing) !== sameLines(sql);
      if (!live && handWritten && !options.force) return skip("a hand-written down section exists (use --force to replace it)");
      if (!live && !handWritten && existing.trim() !== "") return unchanged("the down section is already the generated one");
      // A live hand-written section keeps its SQL, commented out: the runner would run it after the up.
      const body = live && handWritten && !options.force ? inert(existing) : `\n${inert(sql)}`;
      if (live) liveFix = handWritten && !options.force ? "commented out the live ROLLBACK section" : "wrote the generated down, commented out, over the live ROLLBACK section";
      // The region starts right after the marker line: the body begins on the next line.
      next = current.slice(0, region.start) + body + current.slice(region.end);
    } else {
      const sep = current.endsWith("\n") ? "" : "\n";
      next = target.style === "dbmate" ? `${current}${sep}\n-- migrate:down\n${sql}` : `${current}${sep}\n-- ROLLBACK START\n${inert(sql)}-- ROLLBACK END\n`;
    }
  }

  const section = target.kind === "section" ? ` (${target.style === "dbmate" ? "-- migrate:down section" : "ROLLBACK section"})` : "";
  const preview = `-- would write ${target.path}${section}\n${target.kind === "file" ? next : sql}\n`;
  if (options.dryRun) return { result: { ...base, action: "would-write", reason: current === undefined ? "new file" : "replaces the current down" }, write: { file, text: next, preview } };
  const reason = liveFix ?? (current === undefined || current.trim() === "" || (target.kind === "section" && !options.force) ? "generated down written" : "replaced the hand-written down (--force)");
  return { result: { ...base, action: "written", reason }, write: { file, text: next, preview } };
}

/** Lines without their indentation (uncommenting leaves the markers' width as spaces). */
function sameLines(sql: string): string {
  return sql.trim().split("\n").map((l) => l.trim()).join("\n");
}

async function readOptional(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    // ENOTDIR: a file where a folder of the path should be; the writability check says so.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return undefined;
    throw error;
  }
}

/** Writes the text to a new temporary file beside the target (same file system, so a rename replaces it in one step). */
async function stage(file: string, text: string): Promise<string> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    await writeFile(tmp, text, { encoding: "utf8", flag: "wx" });
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return tmp;
}

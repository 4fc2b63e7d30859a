/**
 * `migration-lint.lock`: the sha256 of every migration, per set, in the order the runner applies them.
 * It is JSON with one migration a line, so a review shows exactly which entries a change adds and two
 * branches that each add a migration conflict on one readable line. Paths are relative to the lock
 * file's folder with `/` separators, so the file is the same on every machine.
 *
 * This module does the lock's I/O (find, read, write atomically); what the lock means is in `lock.ts`.
 */
import { existsSync, renameSync, unlinkSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type * as Zod from "zod";
import { InputError } from "../errors.js";
import { LAYOUT_IDS } from "../layout/registry.js";
import type { LayoutId } from "../layout/types.js";

export const LOCK_FILE = "migration-lint.lock";
export const LOCK_VERSION = 1;

export interface LockedMigration {
  id: string;
  /** The up file, relative to the lock file's folder. */
  path: string;
  /** sha256 (hex) of the up SQL as the runner reads it: the whole file, or its up section (`scope`). */
  sha256: string;
  /** `up-section`: the file also holds the down (dbmate, inline ROLLBACK); only the up part is hashed. */
  scope?: "up-section";
  /** drizzle: the journal's `when` (drizzle-orm applies only migrations newer than the last applied one). */
  when?: number;
}

export interface LockedSet {
  /** The set's root folder, relative to the lock file's folder (`.` for the folder itself). */
  root: string;
  layout: LayoutId;
  migrations: LockedMigration[];
}

export interface Lock {
  version: typeof LOCK_VERSION;
  sets: LockedSet[];
}

export interface LoadedLock {
  /** Absolute path of the lock file. */
  path: string;
  /** As the user should read it (relative to the cwd when under it). */
  display: string;
  text: string;
  lock: Lock;
}

/**
 * The lock's schema, built on first use: most runs find no lock file, and zod is ~95 modules to load
 * (required synchronously so `parseLock` stays a plain function).
 */
let schema: ReturnType<typeof buildLockSchema> | undefined;

function buildLockSchema() {
  const { z } = createRequire(import.meta.url)("zod") as typeof Zod;
  return z.object({
    version: z.literal(LOCK_VERSION),
    comment: z.string().optional(),
    sets: z.array(
      z.object({
        root: z.string().min(1),
        layout: z.enum(LAYOUT_IDS as [LayoutId, ...LayoutId[]]),
        migrations: z.array(
          z.object({
            id: z.string().min(1),
            path: z.string().min(1),
            sha256: z.string().regex(/^[0-9a-f]{64}$/, "expected 64 lower-case hex digits"),
            scope: z.literal("up-section").optional(),
            when: z.number().optional(),
          }),
        ),
      }),
    ),
  });
}

const COMMENT =
  "Written by `migration-lint lock`: the sha256 of each migration, in the order they are applied. Lint reports migration-modified, migration-removed and migration-out-of-order against it. Do not edit by hand; run `migration-lint lock` again after deploying new migrations.";

/** The lock file in use: the nearest one from `cwd` up to the repository's top folder, if any. */
export function findLock(cwd: string): string | undefined {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, LOCK_FILE);
    if (existsSync(candidate)) return candidate;
    if (existsSync(path.join(dir, ".git")) || path.dirname(dir) === dir) return undefined;
  }
}

/** Where `lock` writes: the given file, else the lock in use, else beside the config (or in the cwd). */
export function lockPathFor(cwd: string, baseDir: string, explicit?: string): string {
  if (explicit) return path.resolve(cwd, explicit);
  return findLock(cwd) ?? path.join(baseDir, LOCK_FILE);
}

export function displayPath(cwd: string, absolute: string): string {
  const rel = path.relative(cwd, absolute);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel.split(path.sep).join("/") : absolute;
}

export async function readLock(file: string, cwd: string): Promise<LoadedLock> {
  const display = displayPath(cwd, file);
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new InputError(`cannot read the lock file: ${(error as Error).message}`, { path: display });
  }
  return { path: file, display, text, lock: parseLock(text, display) };
}

export function parseLock(text: string, display: string): Lock {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new InputError(`the lock file is not valid JSON (${(error as Error).message}); restore it from git or run \`migration-lint lock\``, { path: display });
  }
  schema ??= buildLockSchema();
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.length ? issue.path.join(".") : "(top level)";
    throw new InputError(`the lock file is malformed at ${where}: ${issue.message}`, { path: display });
  }
  const { comment: _comment, ...lock } = parsed.data;
  return lock as Lock;
}

/** One migration a line, keys in a fixed order: stable output, small diffs. */
export function serializeLock(lock: Lock): string {
  const sets = lock.sets.map((s) => {
    const rows = s.migrations.map((m) => {
      const fields = [`"id": ${JSON.stringify(m.id)}`, `"path": ${JSON.stringify(m.path)}`, `"sha256": ${JSON.stringify(m.sha256)}`];
      if (m.scope) fields.push(`"scope": ${JSON.stringify(m.scope)}`);
      if (m.when !== undefined) fields.push(`"when": ${JSON.stringify(m.when)}`);
      return `        { ${fields.join(", ")} }`;
    });
    return [
      "    {",
      `      "root": ${JSON.stringify(s.root)},`,
      `      "layout": ${JSON.stringify(s.layout)},`,
      rows.length ? `      "migrations": [\n${rows.join(",\n")}\n      ]` : `      "migrations": []`,
      "    }",
    ].join("\n");
  });
  return [
    "{",
    `  "version": ${LOCK_VERSION},`,
    `  "comment": ${JSON.stringify(COMMENT)},`,
    sets.length ? `  "sets": [\n${sets.join(",\n")}\n  ]` : `  "sets": []`,
    "}",
    "",
  ].join("\n");
}

/** Temp file + rename: a reader never sees half a lock, and a failed write leaves the old one intact. */
export function writeFileAtomic(file: string, text: string): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, text);
    renameSync(temp, file);
  } catch (error) {
    try {
      unlinkSync(temp);
    } catch {
      // nothing was written
    }
    throw new InputError(`cannot write: ${(error as Error).message}`, { path: file });
  }
}

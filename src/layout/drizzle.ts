/**
 * drizzle-kit: `<out>/<tag>.sql` ordered by `<out>/meta/_journal.json` (the migrator reads the journal,
 * not the folder), statements separated by `--> statement-breakpoint`. drizzle keeps no downs; the
 * hand-written convention is `rollback/<NNNN>_rollback.sql`, inside the out folder or beside it.
 * drizzle-orm's `migrate()` applies every pending migration inside one transaction.
 */
import { at, defineLayout, detected, NOT_MINE, readSql, transaction } from "./common.js";
import { LayoutInputError } from "./errors.js";
import type { DirListing, LayoutFs, Migration, MigrationSet } from "./types.js";

export const JOURNAL = "meta/_journal.json";

interface JournalEntry {
  idx?: number;
  tag: string;
  when?: number;
}

export async function readJournal(dir: DirListing, fs: LayoutFs): Promise<JournalEntry[]> {
  const path = at(dir, JOURNAL);
  const text = await fs.readText(path);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new LayoutInputError("malformed", `not valid JSON: ${(error as Error).message}`, path, error);
  }
  const entries = (data as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(entries)) throw new LayoutInputError("malformed", 'expected an object with an "entries" array', path);
  return entries.map((e: unknown, i) => {
    const tag = (e as { tag?: unknown } | null)?.tag;
    if (typeof tag !== "string" || !tag) throw new LayoutInputError("malformed", `entries[${i}] has no "tag"`, path);
    return e as JournalEntry;
  });
}

/** The rollback folder in use: `rollback/` inside the out folder, else a `rollback/` beside it. */
function rollbackPrefix(dir: DirListing): string | undefined {
  if (dir.files.some((f) => f.startsWith("rollback/"))) return "rollback/";
  if (dir.files.some((f) => f.startsWith("../rollback/"))) return "../rollback/";
  return undefined;
}

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const entries = await readJournal(dir, fs);
  const files = new Set(dir.files);
  const used = new Set<string>();
  const prefix = rollbackPrefix(dir);
  const migrations: Migration[] = [];
  for (const [i, entry] of entries.entries()) {
    const upRel = `${entry.tag}.sql`;
    if (!files.has(upRel)) {
      throw new LayoutInputError("malformed", `the journal lists "${entry.tag}" but ${at(dir, upRel)} does not exist`, at(dir, JOURNAL));
    }
    used.add(upRel);
    const number = /^(\d+)/.exec(entry.tag)?.[1] ?? String(entry.idx ?? i).padStart(4, "0");
    const downRel = `${prefix ?? "rollback/"}${number}_rollback.sql`;
    const m: Migration = {
      id: entry.tag,
      version: number,
      name: entry.tag.replace(/^\d+_/, ""),
      up: await readSql(dir, fs, upRel),
      expectsDown: prefix !== undefined,
      downTarget: { kind: "file", path: at(dir, downRel) },
      ...transaction("all-pending", "drizzle-orm's migrate() applies every pending migration inside one transaction"),
      ...(typeof entry.when === "number" ? { when: entry.when } : {}),
    };
    if (files.has(downRel)) {
      used.add(downRel);
      m.down = await readSql(dir, fs, downRel);
    }
    migrations.push(m);
  }
  const stray = dir.files.filter((f) => f.endsWith(".sql") && !used.has(f)).map((f) => at(dir, f));
  return { layout: "drizzle", root: dir.root, migrations, stray };
}

export const drizzle = defineLayout(
  "drizzle",
  (dir) => (dir.files.includes(JOURNAL) ? detected(95, "meta/_journal.json (drizzle-kit's journal)") : NOT_MINE),
  load,
);

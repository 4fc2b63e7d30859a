/**
 * drizzle's `meta/_journal.json`, read for the history checks (the layout has already read and
 * validated it to order the set; here only `tag` and `when` matter, with the text for line numbers).
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { JOURNAL } from "../layout/drizzle.js";
import type { MigrationSet } from "../layout/types.js";
import type { Journal } from "./lock.js";

export async function readJournalOf(set: MigrationSet, cwd: string): Promise<Journal | undefined> {
  if (set.layout !== "drizzle") return undefined;
  const shown = set.root === "." ? JOURNAL : `${set.root}/${JOURNAL}`;
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, shown), "utf8");
  } catch {
    return undefined; // the layout found it a moment ago; a journal that vanished has nothing to check
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return undefined;
  }
  const raw = (data as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(raw)) return undefined;
  const entries = raw.flatMap((e: unknown) => {
    const tag = (e as { tag?: unknown } | null)?.tag;
    const when = (e as { when?: unknown } | null)?.when;
    if (typeof tag !== "string") return [];
    return [typeof when === "number" ? { tag, when } : { tag }];
  });
  return { path: shown, text, entries };
}

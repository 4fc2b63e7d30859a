/**
 * A plain folder of `.sql` files applied in name order with `psql -f` (or a shell loop over it),
 * which runs each statement on its own: no transaction unless the file writes BEGIN/COMMIT.
 * Downs follow one of the conventions teams write by hand:
 * - `<version>_down_<name>.sql` next to `<version>_<name>.sql`;
 * - an inline `-- ROLLBACK START` … `-- ROLLBACK END` section inside the up file.
 * A folder that uses either convention expects every migration to have a down; a bare folder does not.
 */
import { at, defineLayout, detected, isSql, readSql, textOf, topLevel, transaction } from "./common.js";
import { findSections } from "../parse/sections.js";
import { compareText } from "./version.js";
import type { DirListing, LayoutFs, Migration, MigrationSet } from "./types.js";

const DOWN_FILE = /^(\d+)_down_(.+)\.sql$/;
const VERSIONED = /^(\d+)_(.+)\.sql$/;
const ROLLBACK_MARKER = /^--\s*ROLLBACK\s+START\b/im;

export const PLAIN_TRANSACTION = transaction(
  "per-statement",
  "plain SQL files are applied with psql -f, which runs each statement on its own (no transaction unless the file has BEGIN/COMMIT)",
);

function downFileFor(rel: string): string {
  const m = VERSIONED.exec(rel);
  return m ? `${m[1]}_down_${m[2]}.sql` : `${rel.slice(0, -".sql".length)}_down.sql`;
}

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const sql = topLevel(dir).filter(isSql).sort(compareText);
  const downs = new Set(sql.filter((f) => DOWN_FILE.test(f)));
  const ups = sql.filter((f) => !downs.has(f));
  const used = new Set<string>();
  const loaded = [];
  for (const rel of ups) {
    const file = await readSql(dir, fs, rel);
    loaded.push({ rel, file, sections: findSections(file.text) });
  }
  const inline = loaded.filter((l) => l.sections.kind === "rollback").length;
  const pairedFiles = loaded.filter((l) => downs.has(downFileFor(l.rel))).length;
  const expectsDown = inline > 0 || downs.size > 0;
  const migrations: Migration[] = [];
  for (const { rel, file, sections } of loaded) {
    used.add(rel);
    const version = /^(\d+)/.exec(rel)?.[1] ?? rel.slice(0, -".sql".length);
    const downRel = downFileFor(rel);
    const m: Migration = {
      id: rel.slice(0, -".sql".length),
      version,
      name: rel.slice(0, -".sql".length).replace(/^\d+_/, ""),
      up: sections.kind === "rollback" ? { ...file, regions: sections.up } : file,
      expectsDown,
      downTarget:
        sections.kind === "rollback" || inline > pairedFiles
          ? { kind: "section", path: file.path, style: "rollback" }
          : { kind: "file", path: at(dir, downRel) },
      ...PLAIN_TRANSACTION,
    };
    if (sections.kind === "rollback") m.down = { ...file, regions: sections.down };
    else if (downs.has(downRel)) {
      used.add(downRel);
      m.down = await readSql(dir, fs, downRel);
    }
    migrations.push(m);
  }
  const stray = dir.files.filter((f) => isSql(f) && !used.has(f)).map((f) => at(dir, f));
  return { layout: "plain", root: dir.root, migrations, stray };
}

export const plain = defineLayout(
  "plain",
  (dir) => {
    const sql = topLevel(dir).filter(isSql);
    if (!sql.length) return { score: 0, evidence: [] };
    const downs = sql.filter((f) => DOWN_FILE.test(f)).length;
    if (downs) return detected(50, `${downs} <version>_down_<name>.sql file(s) beside their ups`);
    const inline = sql.filter((f) => ROLLBACK_MARKER.test(textOf(dir, f) ?? "")).length;
    if (inline) return detected(50, `${inline} file(s) with an inline -- ROLLBACK START section`);
    return detected(10, `${sql.length} .sql file(s), applied in name order`);
  },
  load,
);

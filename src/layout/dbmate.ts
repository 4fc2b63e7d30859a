/**
 * dbmate: one file per migration, `<version>_<name>.sql`, holding `-- migrate:up` and
 * `-- migrate:down` sections (found by `findSections` in src/parse). Files apply in name order. Each
 * migration runs in its own transaction unless its up marker says `transaction:false`; then dbmate
 * sends the section as one query on the bare connection.
 */
import { at, defineLayout, detected, NOT_MINE, readSql, textOf, topLevel, transaction, usesTool } from "./common.js";
import { findSections } from "../parse/sections.js";
import { compareText } from "./version.js";
import type { DirListing, LayoutFs, Migration, MigrationSet } from "./types.js";

const FILE = /^(\d+)_?(.*)\.sql$/;
const UP_MARKER = /^--\s*migrate:up\b/m;

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const used = new Set<string>();
  const migrations: Migration[] = [];
  for (const rel of topLevel(dir).filter((f) => FILE.test(f)).sort(compareText)) {
    const file = await readSql(dir, fs, rel);
    const sections = findSections(file.text);
    if (sections.kind !== "dbmate") continue; // dbmate refuses a file without `-- migrate:up`: a stray
    used.add(rel);
    const [, version, name] = FILE.exec(rel) as unknown as [string, string, string];
    const m: Migration = {
      id: rel.slice(0, -".sql".length),
      version,
      name: name || version,
      up: { ...file, regions: sections.up },
      expectsDown: true,
      downTarget: { kind: "section", path: at(dir, rel), style: "dbmate" },
      ...(sections.upTransaction === false
        ? transaction("single-query", "`-- migrate:up transaction:false`: dbmate runs it outside a transaction")
        : transaction("per-migration", "dbmate runs each migration in its own transaction")),
    };
    if (sections.downRegion) m.down = { ...file, regions: sections.down };
    migrations.push(m);
  }
  const stray = dir.files.filter((f) => f.endsWith(".sql") && !used.has(f)).map((f) => at(dir, f));
  return { layout: "dbmate", root: dir.root, migrations, stray };
}

export const dbmate = defineLayout(
  "dbmate",
  (dir) => {
    const files = topLevel(dir).filter((f) => FILE.test(f));
    const marked = files.filter((f) => UP_MARKER.test(textOf(dir, f) ?? "")).length;
    if (marked) return detected(90, `${marked} file(s) with a \`-- migrate:up\` section`);
    if (files.length && usesTool(dir, "dbmate")) return detected(85, "the project depends on dbmate");
    return NOT_MINE;
  },
  load,
);

/**
 * authelia's storage migrations: `V<NNNN>.<Name>[.<provider>].{up,down}.sql` (older releases put the
 * provider in the name, newer ones use a folder per provider). On PostgreSQL authelia applies every
 * pending migration inside one transaction (SchemaMigrate: BeginTxx … Commit); only MySQL runs
 * without one. mysql/sqlite files are ignored.
 */
import { at, defineLayout, detected, NOT_MINE, readSql, topLevel, transaction } from "./common.js";
import { compareNumeric } from "./version.js";
import type { DirListing, LayoutFs, Migration, MigrationSet } from "./types.js";

const FILE = /^V(\d+)\.([^.]+)(?:\.(all|postgres|mysql|sqlite))?\.(up|down)\.sql$/;

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const byVersion = new Map<string, { up?: string; down?: string; name: string; provider?: string }>();
  const used = new Set<string>();
  for (const rel of topLevel(dir)) {
    const m = FILE.exec(rel);
    if (!m) continue;
    const [, version, name, provider, direction] = m as unknown as [string, string, string, string | undefined, "up" | "down"];
    if (provider === "mysql" || provider === "sqlite") {
      used.add(rel);
      continue;
    }
    const slot = byVersion.get(version) ?? { name, provider };
    if (!slot[direction] || provider === "postgres") {
      slot[direction] = rel;
      if (direction === "up") slot.provider = provider;
    }
    byVersion.set(version, slot);
  }
  const migrations: Migration[] = [];
  for (const version of [...byVersion.keys()].sort(compareNumeric)) {
    const slot = byVersion.get(version)!;
    if (!slot.up) continue;
    used.add(slot.up);
    const suffix = slot.provider ? `.${slot.provider}` : "";
    const m: Migration = {
      id: `V${version}.${slot.name}`,
      version,
      name: slot.name,
      up: await readSql(dir, fs, slot.up),
      expectsDown: true,
      downTarget: { kind: "file", path: at(dir, slot.down ?? `V${version}.${slot.name}${suffix}.down.sql`) },
      ...transaction("all-pending", "authelia applies every pending migration inside one transaction on PostgreSQL"),
    };
    if (slot.down) {
      used.add(slot.down);
      m.down = await readSql(dir, fs, slot.down);
    }
    migrations.push(m);
  }
  const stray = dir.files.filter((f) => f.endsWith(".sql") && !used.has(f)).map((f) => at(dir, f));
  return { layout: "authelia", root: dir.root, migrations, stray };
}

export const authelia = defineLayout(
  "authelia",
  (dir) => {
    const n = topLevel(dir).filter((f) => FILE.test(f)).length;
    return n ? detected(90, `${n} V<NNNN>.<Name>.{up,down}.sql files (authelia's naming)`) : NOT_MINE;
  },
  load,
);

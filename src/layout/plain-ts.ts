/**
 * A hand-rolled runner (or Payload's postgres adapter): modules exporting `up` / `down` that send SQL
 * through `db.execute(sql`…`)`, `db.query(…)` and the like, applied in name order. Payload runs each
 * migration inside its own transaction (`initTransaction` per migration); for another hand-rolled runner
 * nothing is known, so no transaction is assumed (set `transactional` for the folder in the config).
 * The journal comes from the config's custom journal.
 */
import { defineLayout, detected, NOT_MINE, strays, transaction, usesTool } from "./common.js";
import { compareText } from "./version.js";
import { countContaining, moduleFiles, moduleMigration, moduleStem, readModule } from "./ts-module.js";
import type { DirListing, LayoutFs, Migration, MigrationSet } from "./types.js";

const FILE = /^[^.].*\.(?:js|cjs|mjs|ts|mts|cts)$/;
const EXPORTS = /\bexport\s+(?:async\s+)?(?:function\s+up\b|const\s+up\b)|\bexports\.up\s*=|module\.exports\s*=/;
const PAYLOAD = /\bMigrateUpArgs\b|from\s+["']@payloadcms\/db-(?:vercel-)?postgres["']/;

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const migrations: Migration[] = [];
  const used = new Set<string>();
  for (const rel of moduleFiles(dir, FILE).sort(compareText)) {
    const { text, extracted } = await readModule(dir, fs, rel);
    if (!extracted.located.up && !extracted.located.down) continue;
    used.add(rel);
    const stem = moduleStem(rel);
    const payload = PAYLOAD.test(text);
    migrations.push(
      moduleMigration(dir, rel, text, extracted, {
        id: stem,
        version: /^[\d_]+/.exec(stem)?.[0]?.replace(/_$/, "") ?? stem,
        name: stem.replace(/^[\d_]+/, "") || stem,
        style: "plain-ts",
        transaction: payload
          ? transaction("per-migration", "Payload's migrate runs each migration in its own transaction")
          : transaction("per-statement", "a hand-rolled runner: no transaction assumed"),
      }),
    );
  }
  return { layout: "plain-ts", root: dir.root, migrations, stray: strays(dir, used) };
}

export const plainTs = defineLayout(
  "plain-ts",
  (dir) => {
    const files = moduleFiles(dir, FILE);
    if (!files.length) return NOT_MINE;
    const payload = countContaining(dir, files, PAYLOAD);
    if (payload) return detected(60, `${payload} module(s) are Payload postgres-adapter migrations`);
    const exporting = countContaining(dir, files, EXPORTS);
    if (exporting) return detected(usesTool(dir, "payload") ? 60 : 20, `${exporting} module(s) export up/down`);
    return NOT_MINE;
  },
  load,
);

/**
 * A hand-rolled runner (or Payload's postgres adapter): modules exporting `up` / `down` that send SQL
 * through `db.execute(sql`…`)`, `db.query(…)` and the like, applied in name order. Payload runs each
 * migration inside its own transaction (`initTransaction` per migration); for another hand-rolled runner
 * nothing is known, so no transaction is assumed (set `transactional` for the folder in the config).
 * The journal comes from the config's custom journal.
 */
import { defineLayout, detected, NOT_MINE, transaction, usesTool } from "./common.js";
import { countContaining, moduleFiles, moduleMigration, moduleSet, readMigrationModules } from "./ts-module.js";
import type { DirListing, LayoutFs, MigrationSet } from "./types.js";

const FILE = /^[^.].*\.(?:js|cjs|mjs|ts|mts|cts)$/;
const EXPORTS = /\bexport\s+(?:async\s+)?(?:function\s+up\b|const\s+up\b)|\bexports\.up\s*=|module\.exports\s*=/;
const PAYLOAD = /\bMigrateUpArgs\b|from\s+["']@payloadcms\/db-(?:vercel-)?postgres["']/;

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const modules = await readMigrationModules(dir, fs, "plain-ts", FILE);
  const migrations = modules.map((m) =>
    moduleMigration(dir, m, {
      version: /^[\d_]+/.exec(m.stem)?.[0]?.replace(/_$/, "") ?? m.stem,
      name: m.stem.replace(/^[\d_]+/, "") || m.stem,
      style: "plain-ts",
      transaction: PAYLOAD.test(m.text)
        ? transaction("per-migration", "Payload's migrate runs each migration in its own transaction")
        : transaction("per-statement", "a hand-rolled runner: no transaction assumed"),
    }),
  );
  return moduleSet("plain-ts", dir, migrations, modules);
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

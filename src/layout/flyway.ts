/**
 * Flyway: versioned `V<version>__<description>.sql` (version parts split by `.` or `_`), undo
 * `U<version>__<description>.sql`, repeatable `R__<description>.sql` (applied after the versioned ones,
 * by description). Flyway runs each migration in a transaction, except when the script's
 * `<file>.conf` says `executeInTransaction=false` or its PostgreSQL parser finds a statement that
 * cannot run in one (CREATE/DROP INDEX CONCURRENTLY, REINDEX … SCHEMA/DATABASE/SYSTEM, VACUUM,
 * DISCARD ALL, ALTER SYSTEM, CREATE DATABASE/TABLESPACE/SUBSCRIPTION): then it runs the statements
 * one by one outside a transaction.
 */
import { at, defineLayout, detected, NOT_MINE, readSql, topLevel, transaction, withoutComments, type TransactionFacts } from "./common.js";
import { compareDotted, compareText } from "./version.js";
import type { DirListing, LayoutFs, Migration, MigrationSet } from "./types.js";

const VERSIONED = /^([VU])(\d[\d._]*?)__(.+)\.sql$/;
const REPEATABLE = /^R__(.+)\.sql$/;

const NON_TRANSACTIONAL =
  /(?:^|;)\s*(CREATE\s+(?:UNIQUE\s+)?INDEX\s+CONCURRENTLY|DROP\s+INDEX\s+CONCURRENTLY|REINDEX\b[^;]*\b(?:SCHEMA|DATABASE|SYSTEM)\b|VACUUM\b|DISCARD\s+ALL\b|ALTER\s+SYSTEM\b|CREATE\s+(?:DATABASE|TABLESPACE|SUBSCRIPTION)\b)/i;

export function flywayTransaction(text: string, conf: string | undefined, confPath: string): TransactionFacts {
  const setting = conf && /^\s*executeInTransaction\s*=\s*(true|false)\s*$/m.exec(conf)?.[1];
  if (setting === "false") return transaction("per-statement", `${confPath} sets executeInTransaction=false`);
  if (setting === "true") return transaction("per-migration", `${confPath} sets executeInTransaction=true`);
  const found = NON_TRANSACTIONAL.exec(withoutComments(text));
  if (found) {
    const what = found[1]!.replace(/\s+/g, " ").toUpperCase().split(" ").slice(0, 4).join(" ");
    return transaction("per-statement", `Flyway runs a migration containing ${what} outside a transaction`);
  }
  return transaction("per-migration", "Flyway runs each migration in its own transaction");
}

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const files = new Set(dir.files);
  const used = new Set<string>();
  const versioned = new Map<string, { v?: { rel: string; desc: string }; u?: { rel: string; desc: string } }>();
  const repeatable: { rel: string; desc: string }[] = [];
  for (const rel of topLevel(dir)) {
    const m = VERSIONED.exec(rel);
    if (m) {
      const version = m[2]!.replace(/_/g, ".");
      const slot = versioned.get(version) ?? {};
      slot[m[1] === "V" ? "v" : "u"] = { rel, desc: m[3]! };
      versioned.set(version, slot);
      continue;
    }
    const r = REPEATABLE.exec(rel);
    if (r) repeatable.push({ rel, desc: r[1]! });
  }
  const hasUndo = [...versioned.values()].some((s) => s.u);
  const migrations: Migration[] = [];
  const build = async (rel: string, version: string, desc: string): Promise<Migration> => {
    used.add(rel);
    const up = await readSql(dir, fs, rel);
    const confRel = `${rel}.conf`;
    const conf = files.has(confRel) ? await fs.readText(at(dir, confRel)) : undefined;
    return {
      id: rel.slice(0, -".sql".length),
      version,
      name: desc,
      up,
      expectsDown: false,
      downTarget: { kind: "file", path: at(dir, `U${version}__${desc}.sql`) },
      ...flywayTransaction(up.text, conf, at(dir, confRel)),
    };
  };
  for (const version of [...versioned.keys()].sort(compareDotted)) {
    const slot = versioned.get(version)!;
    if (!slot.v) continue;
    const m = await build(slot.v.rel, version, slot.v.desc);
    m.expectsDown = hasUndo;
    if (slot.u) {
      used.add(slot.u.rel);
      m.down = await readSql(dir, fs, slot.u.rel);
      m.downTarget = { kind: "file", path: at(dir, slot.u.rel) };
    }
    migrations.push(m);
  }
  for (const r of repeatable.sort((a, b) => compareText(a.desc, b.desc))) {
    const m = await build(r.rel, "R", r.desc);
    // Flyway has no undo for repeatables; keep generated ones out of its scan path.
    m.downTarget = { kind: "file", path: at(dir, `rollback/R__${r.desc}.down.sql`) };
    migrations.push(m);
  }
  const stray = dir.files.filter((f) => f.endsWith(".sql") && !used.has(f)).map((f) => at(dir, f));
  return { layout: "flyway", root: dir.root, migrations, stray };
}

export const flyway = defineLayout(
  "flyway",
  (dir) => {
    const n = topLevel(dir).filter((f) => VERSIONED.test(f) && f.startsWith("V")).length;
    return n ? detected(90, `${n} V<version>__<description>.sql files (Flyway's naming)`) : NOT_MINE;
  },
  load,
);

/**
 * The inputs `npm run bench` builds from the shared corpus (read in place, never copied into the
 * project): the list of SQL files, replicated corpora for the scaling runs, and the pre-commit
 * project (a 300-migration history plus one new migration).
 */
import { cpSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/** Every `.sql` file under `dir`, absolute, sorted (the order every tool is given them in). */
export function sqlFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile() && e.name.toLowerCase().endsWith(".sql")) out.push(p);
    }
  };
  visit(dir);
  return out.sort();
}

export function totalBytes(files: readonly string[]): number {
  return files.reduce((n, f) => n + statSync(f).size, 0);
}

/** The folder of copy `index` (1-based) of `count`: zero-padded so the copies sort in order. */
export function copyName(index: number, count: number): string {
  if (!Number.isInteger(index) || index < 1 || index > count) throw new Error(`copy ${index} of ${count}`);
  return `copy-${String(index).padStart(String(count).length, "0")}`;
}

/**
 * `dest/copy-1 … copy-N`, each a whole copy of `corpus`. Every copy sits at its own path, so discovery
 * finds each migration set once per copy and replays each copy as its own, independent history.
 */
export function replicate(corpus: string, dest: string, count: number): string[] {
  mkdirSync(dest, { recursive: true });
  const dirs: string[] = [];
  for (let i = 1; i <= count; i++) {
    const dir = path.join(dest, copyName(i, count));
    cpSync(corpus, dir, { recursive: true });
    dirs.push(dir);
  }
  return dirs;
}

/** Where the pre-commit history comes from: trigger.dev's prisma migrations, one folder per migration. */
export const PRECOMMIT_SOURCE = "triggerdotdev__trigger.dev/internal-packages/database/prisma/migrations";
export const PRECOMMIT_NEW = "99990101000000_bench_precommit";

export interface PrecommitProject {
  /** The project folder (the hook's working directory). */
  root: string;
  /** The staged file the hook passes: the new migration's `migration.sql`. */
  staged: string;
  history: number;
}

/**
 * A prisma project holding the first `history` migrations of {@link PRECOMMIT_SOURCE} and one new, small
 * migration (add a column to a table the history created, index it): what a developer commits.
 */
export function precommitProject(corpus: string, dest: string, history = 300): PrecommitProject {
  const source = path.join(corpus, PRECOMMIT_SOURCE);
  const folders = readdirSync(source, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  if (folders.length < history) throw new Error(`${source} holds ${folders.length} migrations, fewer than ${history}`);
  const migrations = path.join(dest, "prisma", "migrations");
  mkdirSync(migrations, { recursive: true });
  for (const f of folders.slice(0, history)) cpSync(path.join(source, f), path.join(migrations, f), { recursive: true });
  const table = firstCreatedTable(readFileSync(path.join(source, folders[0]!, "migration.sql"), "utf8"));
  const sql = table
    ? `-- AlterTable\nALTER TABLE "${table}" ADD COLUMN "benchNote" TEXT;\n\n-- CreateIndex\nCREATE INDEX "${table}_benchNote_idx" ON "${table}"("benchNote");\n`
    : `-- CreateTable\nCREATE TABLE "BenchNote" ("id" TEXT NOT NULL, CONSTRAINT "BenchNote_pkey" PRIMARY KEY ("id"));\n`;
  const newDir = path.join(migrations, PRECOMMIT_NEW);
  mkdirSync(newDir, { recursive: true });
  const staged = path.join(newDir, "migration.sql");
  writeFileSync(staged, sql);
  return { root: dest, staged, history };
}

/** The first table a prisma migration creates (`CREATE TABLE "Name"`). */
export function firstCreatedTable(sql: string): string | undefined {
  return /CREATE TABLE "([^"]+)"/.exec(sql)?.[1];
}

/** The SQL of migration `i` (1-based) of the synthetic history: each one builds on the one before. */
export function syntheticMigration(i: number): string {
  const t = `t${i}`;
  const lines = [`CREATE TABLE ${t} (id bigint PRIMARY KEY, name text NOT NULL, created_at timestamptz NOT NULL DEFAULT now()${i > 1 ? `, parent_id bigint REFERENCES t${i - 1} (id)` : ""});`, `CREATE INDEX ${t}_name_idx ON ${t} (name);`, `COMMENT ON TABLE ${t} IS 'table ${i}';`];
  if (i > 1) lines.push(`ALTER TABLE t${i - 1} ADD COLUMN note text;`, `ALTER TABLE t${i - 1} ALTER COLUMN name SET DEFAULT '';`);
  if (i > 2) lines.push(`ALTER TABLE t${i - 2} DROP COLUMN note;`);
  return `${lines.join("\n")}\n`;
}

/**
 * A plain folder of `count` numbered migrations, each creating a table with NOT NULL columns, a
 * foreign key to the previous table and an index, and altering earlier tables: the schema grows with
 * the history, so a replay or a rule that scans the whole catalog per statement shows up as
 * time per migration growing with the length of the history.
 */
export function syntheticHistory(dir: string, count: number): string[] {
  mkdirSync(dir, { recursive: true });
  const width = String(count).length;
  const files: string[] = [];
  for (let i = 1; i <= count; i++) {
    const file = path.join(dir, `${String(i).padStart(width, "0")}_migration_${i}.sql`);
    writeFileSync(file, syntheticMigration(i));
    files.push(file);
  }
  return files;
}

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { copyName, firstCreatedTable, PRECOMMIT_NEW, PRECOMMIT_SOURCE, precommitProject, replicate, sqlFiles, syntheticHistory, syntheticMigration } from "../../bench/corpus.js";
import { parseRss } from "../../bench/measure.js";
import { spliceDocs } from "../../bench/run.js";
import { writeTree } from "../write-tree.js";

const scratch: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "ml-bench-test-"));
  scratch.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of scratch.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe("bench corpus helpers", () => {
  it("names copies so they sort in order", () => {
    expect(copyName(1, 8)).toBe("copy-1");
    expect(copyName(3, 12)).toBe("copy-03");
    expect(Array.from({ length: 12 }, (_, i) => copyName(i + 1, 12)).sort()).toEqual(Array.from({ length: 12 }, (_, i) => copyName(i + 1, 12)));
    expect(() => copyName(0, 8)).toThrow();
    expect(() => copyName(9, 8)).toThrow();
  });

  it("replicates a corpus into one folder per copy, with every SQL file in each", () => {
    const corpus = tempDir();
    writeTree(corpus, { "a/migrations/1_x.up.sql": "CREATE TABLE x ();", "a/migrations/1_x.down.sql": "DROP TABLE x;", "README.md": "not sql" });
    const dest = path.join(tempDir(), "x2");
    const dirs = replicate(corpus, dest, 2);
    expect(dirs.map((d) => path.relative(dest, d))).toEqual(["copy-1", "copy-2"]);
    expect(sqlFiles(dest).map((f) => path.relative(dest, f))).toEqual([
      "copy-1/a/migrations/1_x.down.sql",
      "copy-1/a/migrations/1_x.up.sql",
      "copy-2/a/migrations/1_x.down.sql",
      "copy-2/a/migrations/1_x.up.sql",
    ]);
  });

  it("builds the pre-commit project: the first N migrations of the history and one new migration on a table they created", () => {
    const corpus = tempDir();
    const source = path.join(corpus, PRECOMMIT_SOURCE);
    writeTree(source, {
      "20200101000000_init/migration.sql": 'CREATE TABLE "User" ("id" TEXT NOT NULL);',
      "20200102000000_two/migration.sql": 'ALTER TABLE "User" ADD COLUMN "a" TEXT;',
      "20200103000000_three/migration.sql": 'ALTER TABLE "User" ADD COLUMN "b" TEXT;',
    });
    const project = precommitProject(corpus, tempDir(), 2);
    const migrations = path.join(project.root, "prisma", "migrations");
    expect(sqlFiles(migrations).map((f) => path.relative(migrations, f))).toEqual([
      "20200101000000_init/migration.sql",
      "20200102000000_two/migration.sql",
      `${PRECOMMIT_NEW}/migration.sql`,
    ]);
    expect(project.staged).toBe(path.join(migrations, PRECOMMIT_NEW, "migration.sql"));
    expect(readFileSync(project.staged, "utf8")).toContain('ALTER TABLE "User" ADD COLUMN "benchNote" TEXT;');
    expect(() => precommitProject(corpus, tempDir(), 4)).toThrow(/fewer than 4/);
  });

  it("generates a history whose migrations build on each other, numbered to sort in order", () => {
    const dir = path.join(tempDir(), "h");
    const files = syntheticHistory(dir, 12);
    expect(files.map((f) => path.basename(f))).toEqual(Array.from({ length: 12 }, (_, i) => `${String(i + 1).padStart(2, "0")}_migration_${i + 1}.sql`));
    expect(syntheticMigration(1)).not.toContain("REFERENCES");
    expect(syntheticMigration(3)).toContain("parent_id bigint REFERENCES t2 (id)");
    expect(syntheticMigration(3)).toContain("ALTER TABLE t2 ADD COLUMN note text;");
    expect(syntheticMigration(3)).toContain("ALTER TABLE t1 DROP COLUMN note;");
    expect(readFileSync(files[2]!, "utf8")).toBe(syntheticMigration(3));
  });

  it("finds the first table a prisma migration creates", () => {
    expect(firstCreatedTable('-- CreateEnum\nCREATE TYPE "A" AS ENUM (\'x\');\nCREATE TABLE "Org" (\n"id" TEXT);\nCREATE TABLE "User" ();')).toBe("Org");
    expect(firstCreatedTable("ALTER TABLE x ADD y int;")).toBeUndefined();
  });

  it("reads GNU time's peak RSS, also after a non-zero exit", () => {
    expect(parseRss("42664\n")).toBe(42664);
    expect(parseRss("Command exited with non-zero status 1\n315220\n")).toBe(315220);
    expect(parseRss("")).toBeUndefined();
  });

  it("replaces only the generated block of docs/performance.md", () => {
    const doc = "# Performance\n\nprose\n\n<!-- bench:start -->\nold table\n<!-- bench:end -->\n\nmore prose\n";
    expect(spliceDocs(doc, "new table\n")).toBe("# Performance\n\nprose\n\n<!-- bench:start -->\nnew table\n<!-- bench:end -->\n\nmore prose\n");
    expect(() => spliceDocs("no markers", "x")).toThrow(/bench:start/);
  });
});

/** `changedSince` on real repositories, and how changed files select migrations (`--since`). */
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InputError } from "../../src/errors.js";
import { findMigration } from "../../src/history/find.js";
import { changedSince, realPath, type ChangedFiles } from "../../src/history/git.js";
import { changedMigrations } from "../../src/history/since.js";
import { migrationSetFromSql } from "../../src/pipeline/in-memory.js";
import { Repo } from "../e2e/helpers.js";

describe("changedSince", () => {
  let repo: Repo;
  const rel = (c: ChangedFiles) => Object.fromEntries([...c.files].map(([f, k]) => [path.relative(c.top, f), k]));

  beforeEach(() => {
    repo = new Repo("mll-git-");
    repo.write("db/001_a.sql", "SELECT 1;\n");
    repo.write("db/002_b.sql", "SELECT 2;\n");
    repo.commitAll("base");
  });
  afterEach(() => repo.cleanup());

  it("committed, staged, unstaged and untracked changes since the ref; deletions too", async () => {
    repo.write("db/003_c.sql", "SELECT 3;\n");
    repo.commitAll("c");
    repo.write("db/001_a.sql", "SELECT 10;\n");
    repo.remove("db/002_b.sql");
    repo.write("db/004_d.sql", "SELECT 4;\n");
    repo.git("add", "db/004_d.sql");
    repo.write("db/005 e é.sql", "SELECT 5;\n");
    const c = await changedSince(repo.dir, "HEAD~1");
    expect(rel(c)).toEqual({ "db/001_a.sql": "modified", "db/002_b.sql": "deleted", "db/003_c.sql": "added", "db/004_d.sql": "added", "db/005 e é.sql": "added" });
    expect(c.ref).toBe("HEAD~1");
  });

  it("compares with the merge base: what landed on main after the branch left it is not the branch's", async () => {
    repo.git("checkout", "-q", "-b", "feature");
    repo.write("db/003_feature.sql", "SELECT 3;\n");
    repo.commitAll("feature");
    repo.git("checkout", "-q", "main");
    repo.write("db/003_main.sql", "SELECT 33;\n");
    repo.commitAll("main moves on");
    repo.git("checkout", "-q", "feature");
    expect(rel(await changedSince(repo.dir, "main"))).toEqual({ "db/003_feature.sql": "added" });
  });

  it("a ref that is not a commit, or no repository, is an InputError", async () => {
    await expect(changedSince(repo.dir, "nope")).rejects.toThrow(new InputError("--since nope: not a commit in this repository"));
    await expect(changedSince(repo.dir, "--output=x")).rejects.toThrow(/cannot start with "-"/);
    await expect(changedSince(path.dirname(repo.dir), "HEAD")).rejects.toThrow(/--since needs a git repository/);
  });
});

describe("changed files → migrations", () => {
  const set = migrationSetFromSql(
    [
      { name: "001_a", up: "SELECT 1;", prelude: true },
      { name: "002_b", up: "SELECT 2;", down: "SELECT -2;" },
      { name: "003_c", up: "SELECT 3;" },
      { name: "004_d", up: "SELECT 4;" },
    ],
    "db",
  );
  const cwd = "/repo";
  const changes = (files: Record<string, "added" | "modified" | "deleted">): ChangedFiles => ({
    ref: "main",
    base: "abc",
    top: cwd,
    files: new Map(Object.entries(files).map(([f, k]) => [realPath(cwd, f), k])),
  });

  it("selects migrations with an added or modified up or down; new ups are unapplied; history is never selected", () => {
    const got = changedMigrations(set, changes({ "db/001_a.sql": "modified", "db/002_b.down.sql": "modified", "db/003_c.sql": "added", "db/004_d.sql": "deleted" }), cwd);
    expect([...got.selected]).toEqual(["002_b", "003_c"]);
    expect([...got.unapplied]).toEqual(["003_c"]);
  });

  it("findMigration: by id, version, file or prefix; ambiguity and misses are input errors", () => {
    const sets = [{ set }];
    expect(findMigration(sets, "003_c", cwd, "--to").migration.id).toBe("003_c");
    expect(findMigration(sets, "db/004_d.sql", cwd, "--to").migration.id).toBe("004_d");
    expect(findMigration(sets, "002", cwd, "--to").migration.id).toBe("002_b");
    expect(() => findMigration(sets, "00", cwd, "--to")).toThrow(/--to 00: 3 migrations match \(db: 002_b, db: 003_c, db: 004_d\)/);
    expect(() => findMigration(sets, "001_a", cwd, "--to")).toThrow("--to 001_a: no migration has this id, version or file");
  });
});

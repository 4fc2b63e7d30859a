import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { candidateRoots, discover, LayoutInputError, matchesGlob } from "../../src/layout/index.js";
import { discoverTree, onlySet } from "./helpers.js";

const diesel = {
  "api/migrations/2024-01-01-000000_a/up.sql": "CREATE TABLE a (id int);",
  "api/migrations/2024-01-01-000000_a/down.sql": "DROP TABLE a;",
  "api/migrations/2024-01-02-000000_b/up.sql": "CREATE TABLE b (id int);",
  "api/migrations/2024-01-02-000000_b/down.sql": "DROP TABLE b;",
  "api/migrations/2024-01-03-000000_c/up.sql": "CREATE TABLE c (id int);",
};

describe("candidateRoots", () => {
  it("finds set roots: version-folder parents, journal owners, sqitch projects, plain folders; claims deploy/ and rollback/", () => {
    expect(
      candidateRoots([
        "a/migrations/1_x/up.sql",
        "a/migrations/1_x/down.sql",
        "b/drizzle/meta/_journal.json",
        "b/drizzle/0000_x.sql",
        "b/drizzle/rollback/0000_rollback.sql",
        "c/sqitch.plan",
        "c/deploy/x.sql",
        "c/revert/x.sql",
        "d/sql/001.sql",
        "d/sql/prelude/000.sql",
        "e/migrations_sqlite/1_x/up.sql",
        "e/mysql/V0001.A.up.sql",
        "supabase/seed.sql",
        "README.md",
      ]),
    ).toEqual(["a/migrations", "b/drizzle", "c", "d/sql"]);
  });

  it("gives `..` when the searched folder is inside a set (a diesel version folder)", () => {
    expect(candidateRoots(["up.sql", "down.sql"])).toEqual([".."]);
  });
});

describe("discover: folders", () => {
  it("finds every set under a tree, sorted by root, each with its own layout", async () => {
    const sets = await discoverTree({
      ...diesel,
      "web/drizzle/meta/_journal.json": JSON.stringify({ entries: [{ idx: 0, tag: "0000_init" }] }),
      "web/drizzle/0000_init.sql": "CREATE TABLE w (id int);",
      "web/node_modules/pkg/migrations/1_x.up.sql": "SELECT 1;",
      "web/.cache/1_x.up.sql": "SELECT 1;",
      "svc/db/migrations/20240101000000_init.up.sql": "CREATE TABLE s (id int);",
      "svc/go.mod": "module example.com/svc\nrequire github.com/golang-migrate/migrate/v4 v4.17.0",
    });
    expect(sets.map(({ set, selected }) => [set.root, set.layout, set.migrations.length, selected])).toEqual([
      ["api/migrations", "diesel", 3, undefined],
      ["svc/db/migrations", "golang-migrate", 1, undefined],
      ["web/drizzle", "drizzle", 1, undefined],
    ]);
  });

  it("a folder above another set's folder keeps only its own files", async () => {
    const sets = await discoverTree({ "db/001_schema.sql": "CREATE SCHEMA s;", "db/migrations/001_a.up.sql": "SELECT 1;" });
    expect(sets.map(({ set }) => [set.root, set.layout, set.migrations.map((m) => m.up.path), set.stray])).toEqual([
      ["db", "plain", ["db/001_schema.sql"], []],
      ["db/migrations", "golang-migrate", ["db/migrations/001_a.up.sql"], []],
    ]);
  });

  it("a diesel version folder given directly selects just that migration and loads the whole set", async () => {
    const sets = await discoverTree(diesel, ["api/migrations/2024-01-02-000000_b"]);
    expect(sets.map(({ set, selected }) => [set.root, set.migrations.length, [...(selected ?? [])]])).toEqual([["api/migrations", 3, ["2024-01-02-000000_b"]]]);
  });
});

describe("discover: files (the pre-commit hook)", () => {
  it("loads the whole set a file belongs to and selects the migrations named by their up or down", async () => {
    const sets = await discoverTree(diesel, ["api/migrations/2024-01-03-000000_c/up.sql", "api/migrations/2024-01-01-000000_a/down.sql"]);
    expect(sets).toHaveLength(1);
    expect(sets[0]!.set.migrations.map((m) => m.id)).toEqual(["2024-01-01-000000_a", "2024-01-02-000000_b", "2024-01-03-000000_c"]);
    expect([...sets[0]!.selected!].sort()).toEqual(["2024-01-01-000000_a", "2024-01-03-000000_c"]);
  });

  it("finds the set of a sqitch deploy script, a drizzle rollback and a journal; a folder given too wins (everything selected)", async () => {
    const tree = {
      "sqitch.plan": "%project=x\na 2024-01-01T00:00:00Z J <j@x> # a\nb 2024-01-02T00:00:00Z J <j@x> # b",
      "deploy/a.sql": "SELECT 1;",
      "deploy/b.sql": "SELECT 2;",
      "drizzle/meta/_journal.json": JSON.stringify({ entries: [{ tag: "0000_a" }, { tag: "0001_b" }] }),
      "drizzle/0000_a.sql": "SELECT 1;",
      "drizzle/0001_b.sql": "SELECT 2;",
      "drizzle/rollback/0001_rollback.sql": "SELECT 3;",
    };
    const sets = await discoverTree(tree, ["deploy/b.sql", "drizzle/rollback/0001_rollback.sql"]);
    expect(sets.map(({ set, selected }) => [set.root, set.layout, [...(selected ?? [])]])).toEqual([
      [".", "sqitch", ["b"]],
      ["drizzle", "drizzle", ["0001_b"]],
    ]);
    const both = await discoverTree(tree, ["drizzle/0000_a.sql", "drizzle"]);
    expect(both.map((s) => [s.set.root, s.selected])).toEqual([["drizzle", undefined]]);
  });
});

describe("discover: history", () => {
  const kratos = {
    "kratos/prelude/20150100000001000000_networks.postgres.up.sql": "CREATE TABLE networks (id uuid);",
    "kratos/prelude/20191100000001000000_identities.postgres.up.sql": "CREATE TABLE identities (id uuid);",
    "kratos/persistence/sql/migrations/sql/20200605111551000002_messages.postgres.up.sql": "CREATE TABLE messages (id uuid);",
    "kratos/persistence/sql/migrations/sql/20200605111551000002_messages.postgres.down.sql": "DROP TABLE messages;",
    "kratos/persistence/sql/migrations/sql/20200607165100000000_settings.postgres.up.sql": "ALTER TABLE messages ADD COLUMN s int;",
  };

  it("replays a prelude/ folder above the set first, marked prelude, never selected or linted", async () => {
    for (const path of ["kratos", "kratos/persistence/sql/migrations/sql"]) {
      const sets = await discoverTree(kratos, [path]);
      expect(sets.map((s) => s.set.root)).toEqual(["kratos/persistence/sql/migrations/sql"]);
      expect(sets[0]!.set.migrations.map((m) => [m.id, m.up.path, m.prelude ?? false])).toEqual([
        ["20150100000001000000_networks", "kratos/prelude/20150100000001000000_networks.postgres.up.sql", true],
        ["20191100000001000000_identities", "kratos/prelude/20191100000001000000_identities.postgres.up.sql", true],
        ["20200605111551000002_messages", "kratos/persistence/sql/migrations/sql/20200605111551000002_messages.postgres.up.sql", false],
        ["20200607165100000000_settings", "kratos/persistence/sql/migrations/sql/20200607165100000000_settings.postgres.up.sql", false],
      ]);
      expect(sets[0]!.selected).toBeUndefined();
    }
  });

  it("a staged prelude file lints nothing; a staged set file selects only its migration", async () => {
    expect(await discoverTree(kratos, ["kratos/prelude/20150100000001000000_networks.postgres.up.sql"])).toEqual([]);
    const sets = await discoverTree(kratos, ["kratos/persistence/sql/migrations/sql/20200605111551000002_messages.postgres.down.sql"]);
    expect([...sets[0]!.selected!]).toEqual(["20200605111551000002_messages"]);
  });

  it("replays config `history` folders (relative to the config folder)", async () => {
    const set = await onlySet(
      { "repo/old/001_a.up.sql": "CREATE TABLE a ();", "repo/db/002_b.up.sql": "CREATE TABLE b ();", "repo/go.mod": "module x" },
      ["repo/db"],
      { configDir: "/repo/repo", history: ["old"] },
    );
    expect(set.migrations.map((m) => [m.id, m.prelude ?? false])).toEqual([
      ["001_a", true],
      ["002_b", false],
    ]);
    await expect(discoverTree({ "db/1_a.up.sql": "SELECT 1;" }, ["db"], { history: ["missing"] })).rejects.toMatchObject({ code: "missing", path: "missing" });
  });
});

describe("discover: options", () => {
  it("config `transaction` globs override the layout, last match wins, and say why", async () => {
    const set = await onlySet(diesel, ["api"], {
      transaction: { "**/2024-01-0*/**": false, "api/migrations/2024-01-03-000000_c": true },
    });
    expect(set.migrations.map((m) => [m.id, m.transactional, m.transactionMode, m.transactionReason])).toEqual([
      ["2024-01-01-000000_a", false, "single-query", 'config "transaction": "**/2024-01-0*/**" is false'],
      ["2024-01-02-000000_b", false, "single-query", 'config "transaction": "**/2024-01-0*/**" is false'],
      ["2024-01-03-000000_c", true, "per-migration", 'config "transaction": "api/migrations/2024-01-03-000000_c" is true'],
    ]);
  });

  it("a transaction override function sees each up path", async () => {
    const seen: string[] = [];
    const set = await onlySet(diesel, ["api"], {
      transaction: (path) => {
        seen.push(path);
        return path.includes("_b/") ? { transactional: false, reason: "runs CONCURRENTLY" } : undefined;
      },
    });
    expect(seen).toEqual(set.migrations.map((m) => m.up.path));
    expect(set.migrations.map((m) => [m.transactional, m.transactionReason])).toEqual([
      [true, "diesel runs each migration in its own transaction"],
      [false, "runs CONCURRENTLY"],
      [true, "diesel runs each migration in its own transaction"],
    ]);
  });

  it("include / exclude narrow the selection; a set with nothing left is dropped, a named folder left with nothing is an input error", async () => {
    const sets = await discoverTree(diesel, ["."], { exclude: ["api/migrations/2024-01-01-000000_a/**"] });
    expect([...sets[0]!.selected!]).toEqual(["2024-01-02-000000_b", "2024-01-03-000000_c"]);
    const included = await discoverTree(diesel, ["."], { include: ["**/2024-01-03-*/up.sql"] });
    expect([...included[0]!.selected!]).toEqual(["2024-01-03-000000_c"]);
    await expect(discoverTree(diesel, ["."], { include: ["nothing/**"] })).rejects.toMatchObject({
      name: "LayoutInputError",
      code: "empty",
      path: ".",
      message: "no migrations found: none of api/migrations's 3 migration(s) matches the config's include (nothing/**), relative to /repo",
    });
  });

  it("--layout forces a layout: folders it cannot read are skipped in a search, loaded when named", async () => {
    const tree = { ...diesel, "sql/20240101000000_x.up.sql": "SELECT 1;", "sql/20240101000000_x.down.sql": "SELECT 2;" };
    const sets = await discoverTree(tree, ["."], { layout: "golang-migrate" });
    expect(sets.map(({ set }) => [set.root, set.layout, set.detection])).toEqual([
      ["sql", "golang-migrate", { by: "forced", score: 60, evidence: ["--layout golang-migrate"] }],
    ]);
    await expect(discoverTree(tree, ["sql"], { layout: "drizzle" })).rejects.toMatchObject({ name: "LayoutInputError", path: "sql/meta/_journal.json" });
    const perRoot = await discoverTree(tree, ["."], { layout: (root) => (root === "sql" ? "sqlx" : undefined) });
    expect(perRoot.map(({ set }) => [set.root, set.layout])).toEqual([
      ["api/migrations", "diesel"],
      ["sql", "sqlx"],
    ]);
  });
});

describe("discover: input errors", () => {
  it("a missing path is a LayoutInputError naming it", async () => {
    const error = await discoverTree({ "a.sql": "" }, ["nope/x.sql"]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LayoutInputError);
    expect(error).toMatchObject({ code: "missing", path: "nope/x.sql", message: "no such file or directory" });
  });

  it("an unreadable migration file is a LayoutInputError naming it", async () => {
    await expect(discoverTree({ "db/1_a.up.sql": undefined })).rejects.toMatchObject({ code: "unreadable", path: "db/1_a.up.sql" });
  });
});

describe("discover on the real file system", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "ml-layout-"));
    await mkdir(join(dir, "migrations", "20240101000000_a"), { recursive: true });
    await writeFile(join(dir, "migrations", "20240101000000_a", "migration.sql"), "CREATE TABLE a (id int);");
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it("gives paths relative to the cwd for relative input and absolute ones for absolute input", async () => {
    const rel = await discover(["migrations"], { cwd: dir });
    expect(rel[0]!.set.migrations[0]!.up.path).toBe("migrations/20240101000000_a/migration.sql");
    const abs = await discover([join(dir, "migrations")], { cwd: "/" });
    expect(abs[0]!.set.root).toBe(join(dir, "migrations").replace(/\\/g, "/"));
  });

  it("turns a missing path into an input error", async () => {
    await expect(discover(["missing"], { cwd: dir })).rejects.toMatchObject({ code: "missing", path: "missing" });
  });
});

describe("globs", () => {
  it("match like .gitignore: ** across folders, * within one, bare names anywhere, folders cover their files", () => {
    expect(matchesGlob("migrations/2024_x/up.sql", "migrations/**")).toBe(true);
    expect(matchesGlob("migrations/2024_x/up.sql", "migrations/*/up.sql")).toBe(true);
    expect(matchesGlob("migrations/2024_x/up.sql", "up.sql")).toBe(true);
    expect(matchesGlob("migrations/2024_x/up.sql", "migrations/2024_x")).toBe(true);
    expect(matchesGlob("migrations/2024_x/up.sql", "{db,migrations}/*_x/*.sql")).toBe(true);
    expect(matchesGlob("migrations/2024_x/up.sql", "db/**")).toBe(false);
    expect(matchesGlob("migrations/2024_x/up.sql", "migrations/*.sql")).toBe(false);
  });
});

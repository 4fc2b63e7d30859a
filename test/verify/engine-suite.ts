/**
 * The tests every engine must pass: snapshot/diff (one case per kind of difference), round trips with
 * each result, recovery after failures, and the history runner. `pglite.test.ts` and `server.test.ts`
 * run it, so PGlite and a real server are held to the same behaviour.
 */
import { afterEach, describe, expect, it } from "vitest";
import { diff, formatDiff, isSame, PATH_SEPARATOR } from "../../src/verify/diff.js";
import type { Engine } from "../../src/verify/engine.js";
import { roundTrip } from "../../src/verify/roundtrip.js";
import { summaryLine } from "../../src/verify/format.js";
import { isFailing, verifyMigrations } from "../../src/verify/verify.js";
import { migration, resetDatabase, script } from "./helpers.js";
import { DIFF_CASES, SAME_CASES } from "./snapshot-cases.js";

export function engineSuite(getEngine: () => Engine | undefined): void {
  const engine = (): Engine => getEngine()!;

  describe("snapshot and diff", () => {
    // Each case runs in a transaction that is rolled back: the next one starts from the same empty database.
    async function isolated<T>(fn: (e: Engine) => Promise<T>): Promise<T> {
      const e = engine();
      await e.begin();
      try {
        return await fn(e);
      } finally {
        await e.rollback();
      }
    }

    it.each(DIFF_CASES)("catches a difference in: $name", async (c) => {
      const d = await isolated(async (e) => {
        if (c.setup) await e.exec(c.setup);
        const before = await e.snapshot();
        await e.exec(c.change);
        return diff(before, await e.snapshot());
      });
      const found = d.differences.find((x) => x.path.join(PATH_SEPARATOR).startsWith(c.path));
      expect(found, formatDiff(d).join("\n")).toBeDefined();
      expect(found!.kind).toBe(c.kind);
    });

    it.each(SAME_CASES)("same snapshot when: $name", async (c) => {
      const d = await isolated(async (e) => {
        await e.exec(c.setup);
        const before = await e.snapshot();
        await e.exec(c.change);
        return diff(before, await e.snapshot());
      });
      expect(formatDiff(d)).toEqual([]);
    });

    it("reports a column that moved apart from real differences", async () => {
      const d = await isolated(async (e) => {
        await e.exec("CREATE TABLE t (a int, b int, c int)");
        const before = await e.snapshot();
        await e.exec("ALTER TABLE t DROP b; ALTER TABLE t ADD b int");
        return diff(before, await e.snapshot());
      });
      expect(d.differences).toEqual([]);
      expect(d.columnOrder).toEqual([{ path: ["table public.t"], before: ["a", "b", "c"], after: ["a", "c", "b"] }]);
    });

    it("leaves extension members out and the snapshot stable across reads", async () => {
      const [a, b] = await isolated(async (e) => {
        await e.exec("CREATE EXTENSION pgcrypto");
        return [await e.snapshot(), await e.snapshot()];
      });
      expect(Object.keys(a!.functions)).toEqual([]);
      expect(a!.extensions["pgcrypto"]?.schema).toBe("public");
      expect(isSame(diff(a!, b!))).toBe(true);
    });
  });

  describe("round trip", () => {
    afterEach(async () => resetDatabase(engine()));

    async function trip(history: string, up: string, down: string | undefined, checkUpTwice = false) {
      if (history) await engine().exec(history);
      return roundTrip(engine(), {
        up: await script(up, "up.sql"),
        ...(down === undefined ? {} : { down: await script(down, "down.sql") }),
        checkUpTwice,
      });
    }

    it("exact: the down restores S0 and the up gives S1 again", async () => {
      const { result } = await trip("", "CREATE TABLE t (id int PRIMARY KEY);\nCREATE INDEX t_id ON t (id);", "DROP TABLE t;");
      expect(result.status).toBe("exact");
      expect(isSame(result.downDiff!)).toBe(true);
      expect(isSame(result.reupDiff!)).toBe(true);
    });

    it("exact-except-column-order: a dropped column comes back last", async () => {
      const { result } = await trip("CREATE TABLE t (a int, b int, c int);", "ALTER TABLE t DROP COLUMN b;", "ALTER TABLE t ADD COLUMN b int;");
      expect(result.status).toBe("exact-except-column-order");
      expect(result.downDiff!.columnOrder[0]!.after).toEqual(["a", "c", "b"]);
    });

    it("differs: the down forgets the default, with the path", async () => {
      const { result } = await trip("CREATE TABLE t (a int);", "ALTER TABLE t ALTER a SET DEFAULT 1;", "SELECT 1;");
      expect(result.status).toBe("differs");
      expect(result.downDiff!.differences.map((d) => d.path.join(PATH_SEPARATOR))).toEqual(["table public.t › column a › default"]);
    });

    it("empty-down: a comment-only down after an up that changed the schema", async () => {
      const { result } = await trip("", "CREATE TABLE t (a int);", "-- nothing to do\n");
      expect(result.status).toBe("empty-down");
      expect(result.downDiff!.differences[0]!.path).toEqual(["table public.t"]);
    });

    it("an empty down after an up that changes no schema is exact", async () => {
      const { result } = await trip("CREATE TABLE t (a int);", "INSERT INTO t VALUES (1);", "");
      expect(result.status).toBe("exact");
    });

    it("up-failed: PostgreSQL's message at file:line:col, and the state is S0 again", async () => {
      const { result, after } = await trip("", "CREATE TABLE t (a int);\nSELECT * FROM   nope;", "DROP TABLE t;");
      expect(result.status).toBe("up-failed");
      expect(result.failure).toMatchObject({ phase: "up", location: { path: "up.sql", line: 2, column: 17 } });
      expect(result.failure!.error.message).toMatch(/relation "nope" does not exist/);
      expect(result.failure!.error.code).toBe("42P01");
      expect(Object.keys(after.relations)).toEqual([]);
      expect(Object.keys((await engine().snapshot()).relations)).toEqual([]);
    });

    it("down-failed: the half-run down is rolled back, the state is S1", async () => {
      const { result } = await trip("", "CREATE TABLE t (a int);\nCREATE TABLE u (a int);", "DROP TABLE u;\nDROP TABLE nope;");
      expect(result.status).toBe("down-failed");
      expect(result.failure).toMatchObject({ phase: "down", location: { path: "down.sql", line: 2, column: 1 } });
      expect(Object.keys((await engine().snapshot()).relations)).toEqual(["public.t", "public.u"]);
    });

    it("reup-failed: the down leaves something behind that the up creates", async () => {
      const { result } = await trip("", "CREATE SCHEMA app;\nCREATE TABLE app.t (a int);", "DROP TABLE app.t;");
      expect(result.status).toBe("reup-failed");
      expect(result.failure).toMatchObject({ phase: "reup", location: { line: 1, column: 1 } });
      expect(result.downDiff!.differences.map((d) => d.path[0])).toEqual(["schema app"]);
    });

    it("a syntax error in the down fails it at the error's position", async () => {
      const { result } = await trip("", "CREATE TABLE t (a int);", "DROP TABLE t\nDROP TABLE u;");
      expect(result.status).toBe("down-failed");
      expect(result.failure!.location).toMatchObject({ line: 2, column: 1 });
      expect(result.failure!.error.message).toMatch(/syntax error/);
    });

    it("CONCURRENTLY runs inside the transaction with the same catalog result, and says so", async () => {
      const { result } = await trip(
        "CREATE TABLE t (a int);",
        "CREATE INDEX CONCURRENTLY t_a_idx ON t (a);",
        "DROP INDEX CONCURRENTLY IF EXISTS t_a_idx;",
      );
      expect(result.status).toBe("exact");
      expect(result.notes.some((n) => /without CONCURRENTLY/.test(n))).toBe(true);
      const indexes = (await engine().snapshot()).indexes;
      expect(indexes["public.t_a_idx"]?.definition).toBe("CREATE INDEX t_a_idx ON public.t USING btree (a)");
    });

    it("BEGIN/COMMIT in a migration file are left to the verifier", async () => {
      const { result } = await trip("", "BEGIN;\nCREATE TABLE t (a int);\nCOMMIT;", "BEGIN; DROP TABLE t; COMMIT;");
      expect(result.status).toBe("exact");
    });

    it("an up that adds an enum value and uses it runs, and the down cannot remove the value", async () => {
      const { result } = await trip(
        "CREATE TYPE mood AS ENUM ('a'); CREATE TABLE t (m mood);",
        "ALTER TYPE mood ADD VALUE IF NOT EXISTS 'b';\nINSERT INTO t VALUES ('b');",
        "DELETE FROM t WHERE m = 'b';",
      );
      expect(result.status).toBe("differs");
      expect(result.downDiff!.differences.map((d) => d.path.join(PATH_SEPARATOR))).toEqual(["enum public.mood › labels"]);
    });

    it("up twice: an idempotent up passes, a plain one fails", async () => {
      const ok = await trip("", "CREATE TABLE IF NOT EXISTS t (a int);", "DROP TABLE t;", true);
      expect(ok.result.upTwice).toEqual({ ok: true });
      await resetDatabase(engine());
      const bad = await trip("", "CREATE TABLE t (a int);", "DROP TABLE t;", true);
      expect(bad.result.upTwice).toMatchObject({ ok: false, failure: { phase: "up-twice" } });
      expect(bad.result.status).toBe("exact");
    });
  });

  describe("history", () => {
    afterEach(async () => resetDatabase(engine()));

    it("replays once, round-trips each migration on the state of the earlier ones", async () => {
      const report = await verifyMigrations(engine(), [
        migration("001_users", "CREATE TABLE users (id int PRIMARY KEY);", "DROP TABLE users;"),
        migration("002_email", "ALTER TABLE users ADD email text;", "ALTER TABLE users DROP email;"),
        migration("003_bad_down", "ALTER TABLE users ADD name text;", "ALTER TABLE users DROP nope;"),
        migration("004_no_down", "CREATE INDEX users_email ON users (email);"),
        migration("005_after", "ALTER TABLE users ADD age int;", "ALTER TABLE users DROP age;"),
      ]);
      expect(report.results.map((r) => [r.id, r.status])).toEqual([
        ["001_users", "exact"],
        ["002_email", "exact"],
        ["003_bad_down", "down-failed"],
        ["004_no_down", "missing-down"],
        ["005_after", "exact"],
      ]);
      // The history went on with every up applied once.
      const users = (await engine().snapshot()).relations["public.users"]!;
      expect(users.columns.map((c) => c.name)).toEqual(["id", "email", "name", "age"]);
      expect(report.counts.exact).toBe(3);
    });

    it("--from/--to: earlier migrations are history only, later ones are not run", async () => {
      const report = await verifyMigrations(
        engine(),
        [
          migration("001_a", "CREATE TABLE a (x int);", "DROP TABLE a;"),
          migration("002_b", "CREATE TABLE b (x int);", "DROP TABLE b;"),
          migration("003_c", "CREATE TABLE c (x int);", "DROP TABLE c;"),
        ],
        { from: "002_b", to: "002" },
      );
      expect(report.results.map((r) => r.id)).toEqual(["002_b"]);
      expect(Object.keys((await engine().snapshot()).relations)).toEqual(["public.a", "public.b"]);
    });

    it("an up written in code is not run, and its down is not verified (not a failure either)", async () => {
      const report = await verifyMigrations(engine(), [
        migration("001_a", "CREATE TABLE a (x int);", "DROP TABLE a;"),
        // concourse: the up is a Go file, only the down is SQL (it undoes what the Go code did).
        migration("002_go", "", "ALTER TABLE a DROP COLUMN added_by_go;", { external: "up", up: { path: "002_go.up.go", text: "" } }),
        migration("003_b", "ALTER TABLE a ADD y int;", "ALTER TABLE a DROP y;"),
      ]);
      expect(report.results.map((r) => [r.id, r.status])).toEqual([
        ["001_a", "exact"],
        ["002_go", "code-up"],
        ["003_b", "exact"],
      ]);
      expect(report.results[1]!.notes).toEqual(["the up is code (002_go.up.go): not run, its down not verified"]);
      expect(isFailing("code-up")).toBe(false);
      expect(summaryLine(report)).toMatch(/^2 verified: 2 exact, .*, 1 with the up in code \(not verified\) \(/);
    });

    it("verifies the down a supplier gives (the --generated hook)", async () => {
      const report = await verifyMigrations(engine(), [migration("001_a", "CREATE TABLE a (x int);", "SELECT 1;")], {
        downFor: (m) => ({ path: `${m.id}.generated.sql`, text: "DROP TABLE IF EXISTS a;" }),
      });
      expect(report.results[0]).toMatchObject({ status: "exact", down: "001_a.generated.sql" });
    });

    it("the up is committed before the down: a down may use an enum label its up added", async () => {
      const report = await verifyMigrations(engine(), [
        migration("001_k", "CREATE TYPE k AS ENUM ('old'); CREATE TABLE t (k k); INSERT INTO t VALUES ('old');", "DROP TABLE t; DROP TYPE k;"),
        // As in the histories: the value cannot be dropped, so the down moves the rows back.
        migration("002_new", "ALTER TYPE k ADD VALUE IF NOT EXISTS 'new';", "UPDATE t SET k = 'old' WHERE k = 'new';"),
      ]);
      const second = report.results[1]!;
      // The label stays (PostgreSQL cannot drop it): the down runs, and the diff says what it left.
      expect(second.status, JSON.stringify(second.failure)).toBe("differs");
      expect(second.downDiff!.differences.map((d) => d.path.join(PATH_SEPARATOR))).toEqual(["enum public.k › labels"]);
    });

    it("a down that adds an enum label and uses it is run again with each phase committed", async () => {
      const report = await verifyMigrations(engine(), [
        migration("001_k", "CREATE TYPE k AS ENUM ('a', 'b'); CREATE TABLE t (k k);", "DROP TABLE t; DROP TYPE k;"),
        migration(
          "002_drop_b",
          "ALTER TYPE k RENAME TO k_old;\nCREATE TYPE k AS ENUM ('a');\nALTER TABLE t ALTER k TYPE k USING k::text::k;\nDROP TYPE k_old;",
          "ALTER TYPE k ADD VALUE 'b';\nUPDATE t SET k = 'b' WHERE k IS NULL;",
        ),
      ]);
      const second = report.results[1]!;
      expect(second.status, JSON.stringify(second.failure)).toBe("exact");
      expect(second.notes.join("\n")).toMatch(/002_drop_b\/down\.sql:2: the down uses an enum value added in the same transaction \(55P04\): the down and the second up were run again, each committed/);
      // The history went on from the up applied once.
      expect((await engine().snapshot()).types["public.k"]).toMatchObject({ labels: ["a"] });
    });

    it("commitEach: every phase committed, and the history goes on from the state after the up (restored)", async () => {
      const report = await verifyMigrations(
        engine(),
        [
          migration("001_app", "CREATE SCHEMA app;\nCREATE TABLE app.t (a int);", "DROP TABLE app.t;"),
          migration("002_b", "ALTER TABLE app.t ADD b int;", "ALTER TABLE app.t DROP b;"),
          migration("003_default", "ALTER TABLE app.t ALTER b SET DEFAULT 1;", "ALTER TABLE app.t ALTER b SET DEFAULT 2;"),
          migration("004_c", "ALTER TABLE app.t ADD c int;", "ALTER TABLE app.t DROP c;"),
        ],
        { commitEach: true },
      );
      expect(report.results.map((r) => [r.id, r.status])).toEqual([
        ["001_app", "reup-failed"],
        ["002_b", "exact"],
        ["003_default", "differs"],
        ["004_c", "exact"],
      ]);
      const t = (await engine().snapshot()).relations["app.t"]!;
      expect(t.columns.map((c) => [c.name, c.default ?? null])).toEqual([
        ["a", null],
        ["b", "1"],
        ["c", null],
      ]);
    });

    it("only: the migrations not chosen are replayed as history", async () => {
      const report = await verifyMigrations(
        engine(),
        [
          migration("001_a", "CREATE TABLE a (x int);", "DROP TABLE a;"),
          migration("002_b", "CREATE TABLE b (x int);", "SELECT 1;"),
          migration("003_c", "CREATE TABLE c (x int);", "DROP TABLE c;"),
        ],
        { only: new Set(["002_b"]) },
      );
      expect(report.results.map((r) => [r.id, r.status])).toEqual([["002_b", "reup-failed"]]);
      expect(Object.keys((await engine().snapshot()).relations).sort()).toEqual(["public.a", "public.b", "public.c"]);
    });

    it("setup SQL runs before the history and is the platform's (a migration may read a runner's journal)", async () => {
      const report = await verifyMigrations(
        engine(),
        [
          migration(
            "001_guarded",
            "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM __diesel_schema_migrations WHERE version = '0') THEN CREATE TABLE a (x int); END IF; END $$;",
            "DROP TABLE a;",
          ),
        ],
        { setupSql: ["CREATE TABLE __diesel_schema_migrations (version varchar(50) PRIMARY KEY NOT NULL, run_on timestamp NOT NULL DEFAULT CURRENT_TIMESTAMP);"] },
      );
      expect(report.results.map((r) => [r.id, r.status])).toEqual([["001_guarded", "exact"]]);
      await expect(verifyMigrations(engine(), [migration("001_x", "SELECT 1;")], { setupSql: [{ path: "setup.sql", text: "SELECT 1;\nSELECT * FROM nope;" }] })).rejects.toThrow(
        /^setup\.sql:2:15: the setup SQL failed: relation "nope" does not exist \(42P01\)$/,
      );
    });

    it("pop steps are verified together: ups in order, downs in reverse", async () => {
      const report = await verifyMigrations(
        engine(),
        {
          layout: "pop",
          root: ".",
          stray: [],
          migrations: [
            // As ory/kratos splits a version: the down steps run last-first and undo the up steps first-first.
            migration("20200101000000000000_x", "CREATE TABLE a (x int);", "DROP TABLE b;"),
            migration("20200101000000000001_x", "CREATE TABLE b (x int);", "DROP TABLE a;"),
          ],
        },
      );
      expect(report.results.map((r) => [r.migrations.length, r.status])).toEqual([[2, "exact"]]);
    });
  });
}

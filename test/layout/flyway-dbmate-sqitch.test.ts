import { describe, expect, it } from "vitest";
import { discoverTree, facts, onlySet } from "./helpers.js";

describe("flyway layout", () => {
  it("V<version>__<desc>.sql in dotted-number order, U<version>__ as the down, R__ after the versioned ones", async () => {
    const set = await onlySet({
      "db/migration/V1__init.sql": "CREATE TABLE a (id int);",
      "db/migration/U1__init.sql": "DROP TABLE a;",
      "db/migration/V1.10__later.sql": "ALTER TABLE a ADD COLUMN c int;",
      "db/migration/V1_2__earlier.sql": "ALTER TABLE a ADD COLUMN b int;",
      "db/migration/R__views.sql": "CREATE OR REPLACE VIEW v AS SELECT * FROM a;",
    });
    expect(set.layout).toBe("flyway");
    const tx = { transactional: true, mode: "per-migration" };
    const d = "db/migration";
    expect(set.migrations.map(facts)).toEqual([
      { id: "V1__init", version: "1", up: `${d}/V1__init.sql`, down: `${d}/U1__init.sql`, expectsDown: true, target: { kind: "file", path: `${d}/U1__init.sql` }, ...tx },
      { id: "V1_2__earlier", version: "1.2", up: `${d}/V1_2__earlier.sql`, down: undefined, expectsDown: true, target: { kind: "file", path: `${d}/U1.2__earlier.sql` }, ...tx },
      { id: "V1.10__later", version: "1.10", up: `${d}/V1.10__later.sql`, down: undefined, expectsDown: true, target: { kind: "file", path: `${d}/U1.10__later.sql` }, ...tx },
      { id: "R__views", version: "R", up: `${d}/R__views.sql`, down: undefined, expectsDown: false, target: { kind: "file", path: `${d}/rollback/R__views.down.sql` }, ...tx },
    ]);
  });

  it("runs a migration outside a transaction when its .conf says so or it holds CREATE INDEX CONCURRENTLY", async () => {
    const set = await onlySet({
      "sql/V1__init.sql": "CREATE TABLE a (id int);",
      "sql/V2__index.sql": "-- CONCURRENTLY keeps writes going\ncreate index concurrently i on a (id);",
      "sql/V3__vacuum.sql": "VACUUM a;",
      "sql/V4__conf.sql": "UPDATE a SET id = id;",
      "sql/V4__conf.sql.conf": "executeInTransaction=false\n",
      "sql/V5__comment_only_mention.sql": "-- CREATE INDEX CONCURRENTLY would be better\nCREATE INDEX j ON a (id);",
    });
    expect(set.migrations.map((m) => [m.id, m.transactional, m.transactionMode, m.transactionReason])).toEqual([
      ["V1__init", true, "per-migration", "Flyway runs each migration in its own transaction"],
      ["V2__index", false, "per-statement", "Flyway runs a migration containing CREATE INDEX CONCURRENTLY outside a transaction"],
      ["V3__vacuum", false, "per-statement", "Flyway runs a migration containing VACUUM outside a transaction"],
      ["V4__conf", false, "per-statement", "sql/V4__conf.sql.conf sets executeInTransaction=false"],
      ["V5__comment_only_mention", true, "per-migration", "Flyway runs each migration in its own transaction"],
    ]);
    expect(set.migrations.every((m) => !m.expectsDown)).toBe(true);
  });
});

describe("dbmate layout", () => {
  it("one file per migration with -- migrate:up / -- migrate:down sections; transaction:false turns the wrapping off", async () => {
    const a = "-- migrate:up\nCREATE TABLE a (id int);\n\n-- migrate:down\nDROP TABLE a;\n";
    const b = "-- migrate:up transaction:false\nCREATE INDEX CONCURRENTLY i ON a (id);\n";
    const set = await onlySet({
      "db/migrations/20240101000000_create_a.sql": a,
      "db/migrations/20240102000000_index_a.sql": b,
      "db/migrations/20240103000000_no_marker.sql": "CREATE TABLE c (id int);",
    });
    expect(set.layout).toBe("dbmate");
    const d = "db/migrations";
    expect(set.migrations.map(facts)).toEqual([
      { id: "20240101000000_create_a", version: "20240101000000", up: `${d}/20240101000000_create_a.sql`, down: `${d}/20240101000000_create_a.sql`, expectsDown: true, target: { kind: "section", path: `${d}/20240101000000_create_a.sql`, style: "dbmate" }, transactional: true, mode: "per-migration" },
      { id: "20240102000000_index_a", version: "20240102000000", up: `${d}/20240102000000_index_a.sql`, down: undefined, expectsDown: true, target: { kind: "section", path: `${d}/20240102000000_index_a.sql`, style: "dbmate" }, transactional: false, mode: "single-query" },
    ]);
    const [first] = set.migrations;
    expect(first!.up.regions!.map((r) => a.slice(r.start, r.end))).toEqual(["\nCREATE TABLE a (id int);\n\n"]);
    expect(first!.down!.regions!.map((r) => a.slice(r.start, r.end))).toEqual(["\nDROP TABLE a;\n"]);
    expect(set.stray).toEqual([`${d}/20240103000000_no_marker.sql`]);
  });
});

describe("sqitch layout", () => {
  const plan = [
    "%syntax-version=1.0.0",
    "%project=app",
    "",
    "appschema 2024-01-01T00:00:00Z Jane <jane@example.com> # schema",
    "users [appschema] 2024-01-02T00:00:00Z Jane <jane@example.com> # users table",
    "@v1.0 2024-01-03T00:00:00Z Jane <jane@example.com> # first release",
    "users [users@v1.0] 2024-01-04T00:00:00Z Jane <jane@example.com> # reworked",
  ].join("\n");

  it("orders by sqitch.plan; deploy/revert/verify; a reworked change's older scripts carry the next tag", async () => {
    const set = await onlySet({
      "sqitch.conf": "[core]\n\tengine = pg",
      "sqitch.plan": plan,
      "deploy/appschema.sql": "BEGIN;\nCREATE SCHEMA app;\nCOMMIT;",
      "revert/appschema.sql": "BEGIN;\nDROP SCHEMA app;\nCOMMIT;",
      "verify/appschema.sql": "SELECT pg_catalog.has_schema_privilege('app', 'usage');",
      "deploy/users@v1.0.sql": "BEGIN;\nCREATE TABLE app.users (id int);\nCOMMIT;",
      "revert/users@v1.0.sql": "BEGIN;\nDROP TABLE app.users;\nCOMMIT;",
      "deploy/users.sql": "BEGIN;\nALTER TABLE app.users ADD COLUMN name text;\nCOMMIT;",
    });
    expect(set.layout).toBe("sqitch");
    expect(set.root).toBe(".");
    const tx = { transactional: false, mode: "per-statement" };
    expect(set.migrations.map(facts)).toEqual([
      { id: "appschema", version: "0001", up: "deploy/appschema.sql", down: "revert/appschema.sql", expectsDown: true, target: { kind: "file", path: "revert/appschema.sql" }, ...tx },
      { id: "users@v1.0", version: "0002", up: "deploy/users@v1.0.sql", down: "revert/users@v1.0.sql", expectsDown: true, target: { kind: "file", path: "revert/users@v1.0.sql" }, ...tx },
      { id: "users", version: "0003", up: "deploy/users.sql", down: undefined, expectsDown: true, target: { kind: "file", path: "revert/users.sql" }, ...tx },
    ]);
    expect(set.migrations[0]!.verify?.path).toBe("verify/appschema.sql");
  });

  it("a planned change without its deploy script is an input error naming the plan line", async () => {
    await expect(discoverTree({ "sqitch.plan": plan, "deploy/appschema.sql": "SELECT 1;" })).rejects.toThrow(/line 5 plans "users" but deploy\/users@v1.0.sql does not exist/);
  });
});

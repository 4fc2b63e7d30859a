import { describe, expect, it } from "vitest";
import { facts, onlySet } from "./helpers.js";

describe("pop layout (ory/popx)", () => {
  it("per version and direction the .postgres. file wins, other dialects are ignored, .autocommit. runs outside a transaction", async () => {
    const dir = "persistence/sql/migrations/sql";
    const set = await onlySet({
      [`${dir}/20200101000000000000_networks.up.sql`]: "CREATE TABLE generic ();",
      [`${dir}/20200101000000000000_networks.postgres.up.sql`]: "CREATE TABLE networks (id uuid);",
      [`${dir}/20200101000000000000_networks.cockroach.up.sql`]: "CREATE TABLE networks (id uuid) -- crdb;",
      [`${dir}/20200101000000000000_networks.mysql.up.sql`]: "CREATE TABLE networks (id char(36));",
      [`${dir}/20200101000000000000_networks.down.sql`]: "DROP TABLE networks;",
      [`${dir}/20241029153900000001_identities.autocommit.up.sql`]: "CREATE INDEX CONCURRENTLY i ON networks (id);",
      [`${dir}/20241029153900000001_identities.autocommit.down.sql`]: "DROP INDEX CONCURRENTLY i;",
      [`${dir}/20260616000000000000_restore.postgres.autocommit.up.sql`]: "CREATE INDEX CONCURRENTLY j ON networks (id);",
    });
    expect(set.layout).toBe("pop");
    expect(set.migrations.map(facts)).toEqual([
      { id: "20200101000000000000_networks", version: "20200101000000000000", up: `${dir}/20200101000000000000_networks.postgres.up.sql`, down: `${dir}/20200101000000000000_networks.down.sql`, expectsDown: true, target: { kind: "file", path: `${dir}/20200101000000000000_networks.down.sql` }, transactional: true, mode: "per-migration" },
      { id: "20241029153900000001_identities", version: "20241029153900000001", up: `${dir}/20241029153900000001_identities.autocommit.up.sql`, down: `${dir}/20241029153900000001_identities.autocommit.down.sql`, expectsDown: true, target: { kind: "file", path: `${dir}/20241029153900000001_identities.autocommit.down.sql` }, transactional: false, mode: "per-statement" },
      { id: "20260616000000000000_restore", version: "20260616000000000000", up: `${dir}/20260616000000000000_restore.postgres.autocommit.up.sql`, down: undefined, expectsDown: true, target: { kind: "file", path: `${dir}/20260616000000000000_restore.postgres.autocommit.down.sql` }, transactional: false, mode: "per-statement" },
    ]);
    expect(set.migrations[1]!.transactionReason).toMatch(/autocommit/);
    // The generic up lost to the .postgres. one and the other dialects are not PostgreSQL's: none is a stray.
    expect(set.stray).toEqual([]);
  });

  it("a `.sql.up.sql` name is not a pop dialect (docs.rs has one): the folder stays an up/down pair folder", async () => {
    const set = await onlySet({
      "m/20240309082057_release_status_view.sql.up.sql": "CREATE VIEW v AS SELECT 1;",
      "m/20240309082057_release_status_view.sql.down.sql": "DROP VIEW v;",
    });
    expect(set.layout).toBe("sqlx");
    expect(set.migrations.map((m) => m.id)).toEqual(["20240309082057_release_status_view.sql"]);
  });

  it("fizz migrations are code: external", async () => {
    const set = await onlySet({
      "m/20190101000000_a.up.fizz": 'create_table("a") {}',
      "m/20190101000000_a.down.fizz": 'drop_table("a")',
      "m/20200101000000_b.postgres.up.sql": "CREATE TABLE b (id int);",
    });
    expect(set.migrations.map((m) => [m.id, m.external, m.up.text, m.expectsDown])).toEqual([
      ["20190101000000_a", "down", "", false],
      ["20200101000000_b", undefined, "CREATE TABLE b (id int);", true],
    ]);
  });
});

describe("authelia layout", () => {
  it("V<NNNN>.<Name>.{up,down}.sql by version; provider-named mysql/sqlite files ignored; all pending in one transaction", async () => {
    const set = await onlySet({
      "internal/storage/migrations/postgres/V0002.WebAuthn.up.sql": "CREATE TABLE webauthn (id int);",
      "internal/storage/migrations/postgres/V0002.WebAuthn.down.sql": "DROP TABLE webauthn;",
      "internal/storage/migrations/postgres/V0001.Initial_Schema.up.sql": "CREATE TABLE users (id int);",
      "internal/storage/migrations/postgres/V0001.Initial_Schema.down.sql": "DROP TABLE users;",
      "internal/storage/migrations/postgres/V0003.Old.mysql.up.sql": "CREATE TABLE x (id int) ENGINE=InnoDB;",
      "internal/storage/migrations/postgres/V0003.Old.postgres.up.sql": "CREATE TABLE x (id int);",
    });
    const dir = "internal/storage/migrations/postgres";
    expect(set.layout).toBe("authelia");
    const tx = { transactional: true, mode: "all-pending" };
    expect(set.migrations.map(facts)).toEqual([
      { id: "V0001.Initial_Schema", version: "0001", up: `${dir}/V0001.Initial_Schema.up.sql`, down: `${dir}/V0001.Initial_Schema.down.sql`, expectsDown: true, target: { kind: "file", path: `${dir}/V0001.Initial_Schema.down.sql` }, ...tx },
      { id: "V0002.WebAuthn", version: "0002", up: `${dir}/V0002.WebAuthn.up.sql`, down: `${dir}/V0002.WebAuthn.down.sql`, expectsDown: true, target: { kind: "file", path: `${dir}/V0002.WebAuthn.down.sql` }, ...tx },
      { id: "V0003.Old", version: "0003", up: `${dir}/V0003.Old.postgres.up.sql`, down: undefined, expectsDown: true, target: { kind: "file", path: `${dir}/V0003.Old.postgres.down.sql` }, ...tx },
    ]);
    expect(set.stray).toEqual([]);
  });

  it("sibling mysql/ and sqlite/ provider folders are not PostgreSQL sets", async () => {
    const set = await onlySet({
      "migrations/postgres/V0001.Init.up.sql": "CREATE TABLE a (id int);",
      "migrations/mysql/V0001.Init.up.sql": "CREATE TABLE a (id int) ENGINE=InnoDB;",
      "migrations/sqlite/V0001.Init.up.sql": "CREATE TABLE a (id INTEGER);",
    });
    expect(set.root).toBe("migrations/postgres");
  });
});

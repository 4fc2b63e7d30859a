import { describe, expect, it } from "vitest";
import { facts, onlySet } from "./helpers.js";

describe("prisma layout", () => {
  it("orders migration folders by name; no downs expected; down.sql in the folder is the down and the target", async () => {
    const set = await onlySet({
      "prisma/schema.prisma": "datasource db { provider = \"postgresql\" }",
      "prisma/migrations/migration_lock.toml": 'provider = "postgresql"',
      "prisma/migrations/20240102000000_second/migration.sql": "ALTER TABLE a ADD COLUMN b int;",
      "prisma/migrations/20240101000000_init/migration.sql": "CREATE TABLE a (id int);",
      "prisma/migrations/20240101000000_init/down.sql": "DROP TABLE a;",
    });
    expect(set.layout).toBe("prisma");
    expect(set.detection?.evidence).toContain("migration_lock.toml");
    const tx = { transactional: false, mode: "single-query" };
    expect(set.migrations.map(facts)).toEqual([
      { id: "20240101000000_init", version: "20240101000000", up: "prisma/migrations/20240101000000_init/migration.sql", down: "prisma/migrations/20240101000000_init/down.sql", expectsDown: false, target: { kind: "file", path: "prisma/migrations/20240101000000_init/down.sql" }, ...tx },
      { id: "20240102000000_second", version: "20240102000000", up: "prisma/migrations/20240102000000_second/migration.sql", down: undefined, expectsDown: false, target: { kind: "file", path: "prisma/migrations/20240102000000_second/down.sql" }, ...tx },
    ]);
    expect(set.migrations[0]!.transactionReason).toMatch(/opens no transaction.*implicit transaction/);
  });
});

describe("supabase layout", () => {
  it("takes supabase/migrations/<timestamp>_<name>.sql in name order, each in its own transaction", async () => {
    const set = await onlySet({
      "supabase/config.toml": 'project_id = "x"',
      "supabase/migrations/20240201000000_policies.sql": "ALTER TABLE a ENABLE ROW LEVEL SECURITY;",
      "supabase/migrations/20240101000000_init.sql": "CREATE TABLE a (id int);",
      "supabase/migrations/notes.sql": "-- not a migration name",
      "supabase/seed.sql": "INSERT INTO a VALUES (1);",
    });
    expect(set.layout).toBe("supabase");
    const tx = { transactional: true, mode: "per-migration" };
    expect(set.migrations.map(facts)).toEqual([
      { id: "20240101000000_init", version: "20240101000000", up: "supabase/migrations/20240101000000_init.sql", down: undefined, expectsDown: false, target: { kind: "file", path: "supabase/migrations/rollback/20240101000000_init.down.sql" }, ...tx },
      { id: "20240201000000_policies", version: "20240201000000", up: "supabase/migrations/20240201000000_policies.sql", down: undefined, expectsDown: false, target: { kind: "file", path: "supabase/migrations/rollback/20240201000000_policies.down.sql" }, ...tx },
    ]);
    expect(set.stray).toEqual(["supabase/migrations/notes.sql"]);
  });

  it("reads downs from supabase/migrations/rollback/ and then expects them", async () => {
    const set = await onlySet({
      "supabase/migrations/20240101000000_init.sql": "CREATE TABLE a (id int);",
      "supabase/migrations/20240201000000_more.sql": "CREATE TABLE b (id int);",
      "supabase/migrations/rollback/20240101000000_init.down.sql": "DROP TABLE a;",
    });
    expect(set.migrations.map((m) => [m.id, m.down?.path, m.expectsDown])).toEqual([
      ["20240101000000_init", "supabase/migrations/rollback/20240101000000_init.down.sql", true],
      ["20240201000000_more", undefined, true],
    ]);
  });

  it("is found from inside the folder too (root `.`)", async () => {
    const sets = await onlySet({ "app/supabase/migrations/20240101000000_init.sql": "CREATE TABLE a (id int);" }, ["app/supabase/migrations"]);
    expect(sets.layout).toBe("supabase");
  });
});

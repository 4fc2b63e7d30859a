import { describe, expect, it } from "vitest";
import { discoverTree, facts, onlySet } from "./helpers.js";

const journal = (tags: string[]) =>
  JSON.stringify({ version: "7", dialect: "postgresql", entries: tags.map((tag, idx) => ({ idx, version: "7", when: 1700000000000 + idx, tag, breakpoints: true })) });

describe("drizzle layout", () => {
  it("orders by meta/_journal.json, not by file name, and reads rollback/<NNNN>_rollback.sql as downs", async () => {
    const set = await onlySet({
      "drizzle/meta/_journal.json": journal(["0000_init", "0002_later_name", "0001_earlier_name"]),
      "drizzle/0000_init.sql": 'CREATE TABLE "a" ("id" int);',
      "drizzle/0001_earlier_name.sql": 'ALTER TABLE "a" ADD COLUMN "b" int;',
      "drizzle/0002_later_name.sql": 'CREATE INDEX "i" ON "a" ("id");',
      "drizzle/rollback/0000_rollback.sql": 'DROP TABLE "a";',
      "drizzle/rollback/0001_rollback.sql": 'ALTER TABLE "a" DROP COLUMN "b";',
    });
    expect(set.layout).toBe("drizzle");
    expect(set.root).toBe("drizzle");
    const tx = { transactional: true, mode: "all-pending" };
    expect(set.migrations.map(facts)).toEqual([
      { id: "0000_init", version: "0000", up: "drizzle/0000_init.sql", down: "drizzle/rollback/0000_rollback.sql", expectsDown: true, target: { kind: "file", path: "drizzle/rollback/0000_rollback.sql" }, ...tx },
      { id: "0002_later_name", version: "0002", up: "drizzle/0002_later_name.sql", down: undefined, expectsDown: true, target: { kind: "file", path: "drizzle/rollback/0002_rollback.sql" }, ...tx },
      { id: "0001_earlier_name", version: "0001", up: "drizzle/0001_earlier_name.sql", down: "drizzle/rollback/0001_rollback.sql", expectsDown: true, target: { kind: "file", path: "drizzle/rollback/0001_rollback.sql" }, ...tx },
    ]);
    expect(set.migrations[0]!.transactionReason).toMatch(/one transaction/);
    expect(set.stray).toEqual([]);
  });

  it("expects no downs until the project adopts the rollback folder; unjournaled files are strays", async () => {
    const set = await onlySet({
      "db/migrations/meta/_journal.json": journal(["0000_init"]),
      "db/migrations/0000_init.sql": "CREATE TABLE a (id int);",
      "db/migrations/0001_not_in_journal.sql": "CREATE TABLE b (id int);",
    });
    expect(set.migrations.map(facts)).toEqual([
      { id: "0000_init", version: "0000", up: "db/migrations/0000_init.sql", down: undefined, expectsDown: false, target: { kind: "file", path: "db/migrations/rollback/0000_rollback.sql" }, transactional: true, mode: "all-pending" },
    ]);
    expect(set.stray).toEqual(["db/migrations/0001_not_in_journal.sql"]);
  });

  it("finds a rollback/ folder beside the out folder", async () => {
    const set = await onlySet({
      "drizzle/meta/_journal.json": journal(["0000_init"]),
      "drizzle/0000_init.sql": "CREATE TABLE a (id int);",
      "rollback/0000_rollback.sql": "DROP TABLE a;",
    });
    expect(set.root).toBe("drizzle");
    expect(set.migrations[0]!.down?.path).toBe("rollback/0000_rollback.sql");
    expect(set.migrations[0]!.downTarget).toEqual({ kind: "file", path: "rollback/0000_rollback.sql" });
  });

  it("reports a malformed journal and a journal entry without its file as input errors", async () => {
    await expect(discoverTree({ "d/meta/_journal.json": "{ nope", "d/0000_a.sql": "SELECT 1;" })).rejects.toMatchObject({
      name: "LayoutInputError",
      code: "malformed",
      path: "d/meta/_journal.json",
    });
    await expect(discoverTree({ "d/meta/_journal.json": journal(["0000_a", "0001_gone"]), "d/0000_a.sql": "SELECT 1;" })).rejects.toThrow(
      /lists "0001_gone" but d\/0001_gone.sql does not exist/,
    );
  });
});

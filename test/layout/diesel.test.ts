import { describe, expect, it } from "vitest";
import { facts, onlySet } from "./helpers.js";
import { runInTransaction } from "../../src/layout/diesel.js";

describe("diesel layout", () => {
  it("orders <version>_<name>/ folders by dash-less version string; metadata.toml can turn the transaction off", async () => {
    const set = await onlySet({
      "Cargo.toml": '[dependencies]\ndiesel = { version = "2" }',
      "migrations/20161115111853_dumped/up.sql": "CREATE TABLE a (id int);",
      "migrations/20161115111853_dumped/down.sql": "DROP TABLE a;",
      "migrations/2026-06-26-100902-0000_long_version/up.sql": "ALTER TABLE a ADD COLUMN c int;",
      "migrations/2019-03-22-170700_dashed/up.sql": "ALTER TABLE a ADD COLUMN b int;",
      "migrations/2019-03-22-170700_dashed/down.sql": "ALTER TABLE a DROP COLUMN b;",
      "migrations/2019-03-22-170700_dashed/metadata.toml": "run_in_transaction = false\n",
    });
    expect(set.layout).toBe("diesel");
    expect(set.detection).toEqual({ by: "detected", score: 95, evidence: ["3 <version>_<name>/up.sql folders", "the project uses diesel (Cargo.toml / diesel.toml)"] });
    expect(set.migrations.map(facts)).toEqual([
      { id: "20161115111853_dumped", version: "20161115111853", up: "migrations/20161115111853_dumped/up.sql", down: "migrations/20161115111853_dumped/down.sql", expectsDown: true, target: { kind: "file", path: "migrations/20161115111853_dumped/down.sql" }, transactional: true, mode: "per-migration" },
      { id: "2019-03-22-170700_dashed", version: "20190322170700", up: "migrations/2019-03-22-170700_dashed/up.sql", down: "migrations/2019-03-22-170700_dashed/down.sql", expectsDown: true, target: { kind: "file", path: "migrations/2019-03-22-170700_dashed/down.sql" }, transactional: false, mode: "single-query" },
      { id: "2026-06-26-100902-0000_long_version", version: "202606261009020000", up: "migrations/2026-06-26-100902-0000_long_version/up.sql", down: undefined, expectsDown: true, target: { kind: "file", path: "migrations/2026-06-26-100902-0000_long_version/down.sql" }, transactional: true, mode: "per-migration" },
    ]);
    expect(set.migrations[1]!.transactionReason).toBe("migrations/2019-03-22-170700_dashed/metadata.toml sets run_in_transaction = false");
  });

  it("reads run_in_transaction from metadata.toml", () => {
    expect(runInTransaction("run_in_transaction = false")).toBe(false);
    expect(runInTransaction("# comment\nrun_in_transaction=true")).toBe(true);
    expect(runInTransaction("")).toBe(true);
  });
});

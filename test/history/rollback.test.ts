/** Rollback plans as pure functions: the range, the order, the sources and the script's header. */
import { describe, expect, it } from "vitest";
import { lintSql } from "../../src/api.js";
import { irreversibleParts, planRollback, renderRollback } from "../../src/history/rollback.js";

const MIGRATIONS = [
      { name: "m0", up: "CREATE TABLE t (id bigint PRIMARY KEY, note varchar(20) DEFAULT 'x');\nCREATE TYPE mood AS ENUM ('ok');", down: "DROP TYPE mood;\nDROP TABLE t;" },
      // An enum value added to an enum of an earlier migration: no down can remove it.
      { name: "m1", up: "ALTER TYPE mood ADD VALUE 'sad';" },
      { name: "m2", up: "ALTER TABLE t DROP COLUMN note;", down: "ALTER TABLE t ADD COLUMN note text;" },
      { name: "m3", up: "CREATE INDEX CONCURRENTLY t_id_idx ON t (id);", transactional: false },
];

async function analyzed(count = MIGRATIONS.length) {
  return lintSql(MIGRATIONS.slice(0, count), {}, []);
}

describe("planRollback", () => {
  it("--steps N: the last N migrations, newest first, each with its class and reasons", async () => {
    const plan = planRollback(await analyzed(), { steps: 3 }, "generated");
    expect(plan.parts.map((p) => [p.migration.id, p.class, p.source])).toEqual([
      ["m3", "reversible", "generated"],
      ["m2", "lossy", "generated"],
      ["m1", "irreversible", "generated"],
    ]);
    expect(plan.target?.id).toBe("m0");
    expect(plan.parts[1]!.reasons).toEqual([expect.stringMatching(/^line 1: the values of t\.note are gone/)]);
    expect(irreversibleParts(plan).map((p) => p.migration.id)).toEqual(["m1"]);
    // The dropped column comes back as it was before m2: varchar(20) with its default.
    expect(plan.parts[1]!.sql).toContain("ADD COLUMN IF NOT EXISTS note character varying(20) DEFAULT 'x';");
  });

  it("--to: every migration after the target; the target stays", async () => {
    const plan = planRollback(await analyzed(), { to: "m1" }, "generated");
    expect(plan.parts.map((p) => p.migration.id)).toEqual(["m3", "m2"]);
    expect(plan.target?.id).toBe("m1");
    expect(planRollback(await analyzed(), { to: "m3" }, "generated").parts).toEqual([]);
    expect(planRollback(await analyzed(), { steps: 4 }, "generated").target).toBeUndefined();
  });

  it("refuses ranges it cannot plan", async () => {
    const a = await analyzed();
    expect(() => planRollback(a, { steps: 5 }, "generated")).toThrow("--steps 5: <memory> has only 4 migrations");
    expect(() => planRollback(a, { steps: 0 }, "generated")).toThrow(/at least 1/);
    expect(() => planRollback(a, { to: "nope" }, "generated")).toThrow("--to nope: not a migration of <memory>");
  });

  it("--downs written uses the hand-written down where there is one", async () => {
    const plan = planRollback(await analyzed(), { steps: 2 }, "written");
    expect(plan.parts.map((p) => [p.migration.id, p.source])).toEqual([
      ["m3", "generated"],
      ["m2", "written"],
    ]);
    expect(plan.parts[1]!.sql).toBe("ALTER TABLE t ADD COLUMN note text;");
  });

  it("the script: header with the parts, whether it fits one transaction, each part under its class", async () => {
    const all = renderRollback(planRollback(await analyzed(), { steps: 3 }, "generated"), "9.9.9");
    expect(all).toMatch(/^-- Rollback of the last 3 migrations of <memory> \(plain\), newest first\.\n-- Planned by migration-lint 9\.9\.9/);
    expect(all).toContain("-- Afterwards the schema is the one after m0.");
    expect(all).toMatch(/-- {3}1\. m3 {2}reversible\s+\(generated down\)\n-- {3}2\. m2 {2}lossy\s+\(generated down\)\n-- {3}3\. m1 {2}irreversible \(generated down\)/);
    expect(all).toContain("-- Not one transaction: m3 must run outside a transaction block.");
    expect(all.indexOf("-- 1/3  m3: reversible")).toBeLessThan(all.indexOf("-- 2/3  m2: lossy"));
    const two = renderRollback(planRollback(await analyzed(3), { to: "m1" }, "generated"), "9.9.9");
    expect(two).toContain("psql -v ON_ERROR_STOP=1 --single-transaction");
    expect(renderRollback(planRollback(await analyzed(), { to: "m3" }, "generated"), "1")).toContain("-- Nothing to roll back.");
  });
});

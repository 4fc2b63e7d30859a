/** The list the registry wires in: one journal per researched layout, each with the facts status and rollback need. */
import { describe, expect, it } from "vitest";
import { runnerJournals } from "../../src/layout/runner-journals.js";

describe("runnerJournals", () => {
  it("covers each researched layout once", () => {
    expect(runnerJournals.flatMap((j) => j.layouts).sort()).toEqual(
      ["dbmate", "diesel", "flyway", "golang-migrate", "pop", "postgres-migrations", "prisma", "sqitch", "sqlx", "supabase"].sort(),
    );
  });

  it("lists the journal's own table among the objects the drift check leaves out", () => {
    for (const journal of runnerJournals) {
      const at = journal.location({});
      expect(journal.ownedObjects({}).relations, journal.runner).toContain(`${at.schema}.${at.table}`);
    }
  });

  it("names where every lock key comes from", () => {
    expect(Object.fromEntries(runnerJournals.filter((j) => j.lock).map((j) => [j.runner, j.lock!.mode]))).toEqual({
      prisma: "wait",
      "golang-migrate": "wait",
      sqlx: "wait",
      flyway: "try",
      sqitch: "try",
      "postgres-migrations": "try",
    });
    for (const j of runnerJournals) if (j.lock) expect(j.lock.source.length, j.runner).toBeGreaterThan(20);
  });
});

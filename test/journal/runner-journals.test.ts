/** The list the registry wires in: one journal per researched layout, each with the facts status and rollback need. */
import { describe, expect, it } from "vitest";
import { runnerJournals } from "../../src/layout/runner-journals.js";
import { pgliteDatabase, useDatabase } from "./harness.js";

describe("runnerJournals", () => {
  it("covers each researched layout once", () => {
    expect(runnerJournals.flatMap((j) => j.layouts).sort()).toEqual(
      [
        ...["authelia", "concourse", "dbmate", "diesel", "flyway", "golang-migrate", "pop", "postgres-migrations", "prisma", "sqitch", "sqlx", "supabase"],
        ...["typeorm", "mikro-orm", "kysely", "knex", "node-pg-migrate"],
      ].sort(),
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
      concourse: "try",
      kysely: "wait",
      "node-pg-migrate": "try",
    });
    // knex locks with a row of its lock table instead (the others of the TypeScript runners take no lock).
    expect(runnerJournals.filter((j) => j.rowLock).map((j) => j.runner)).toEqual(["knex"]);
    // authelia locks its journal table inside its migration transaction instead of taking a key.
    expect(runnerJournals.filter((j) => j.tableLock).map((j) => j.runner)).toEqual(["authelia"]);
    for (const j of runnerJournals) if (j.tableLock) expect(j.tableLock.source.length, j.runner).toBeGreaterThan(20);
    for (const j of runnerJournals) if (j.lock) expect(j.lock.source.length, j.runner).toBeGreaterThan(20);
  });
});

describe("ownedObjects is exactly what createSql makes (PGlite)", () => {
  const db = useDatabase(pgliteDatabase, ["sqitch", "supabase_migrations"]);

  it.each(runnerJournals.map((j) => [j.runner, j] as const))("%s", async (_name, journal) => {
    for (const sql of journal.createSql({})) await db.client.query(sql);
    const made = await db.client.query<{ name: string }>(
      `SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast') ORDER BY 1`,
    );
    const schemas = await db.client.query<{ nspname: string }>(
      "SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast', 'public') AND nspname NOT LIKE 'pg_%' ORDER BY 1",
    );
    const owned = journal.ownedObjects({});
    expect(made.map((r) => r.name)).toEqual([...owned.relations].sort());
    expect(schemas.map((r) => r.nspname)).toEqual(owned.schemas);
  });
});

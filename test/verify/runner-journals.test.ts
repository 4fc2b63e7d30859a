/**
 * verify creates the runner's journal table before the history, as each runner does before its first
 * migration: a migration that reads its runner's table (`SELECT … FROM schema_migrations`) runs, per
 * runner family. Each project is laid out on disk as its runner wants, found by the real discovery and
 * verified on PGlite with the setup `verify` gives it (`runnerJournalSql`), the way `api.verify` does;
 * the last case goes through `api.verify` itself. Without the journal, each such up fails with 42P01.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { discoverSets, resolveConfig, verify } from "../../src/api.js";
import type { LayoutId } from "../../src/layout/types.js";
import { runnerJournalSql } from "../../src/verify/runner-journal.js";
import { verifyMigrations } from "../../src/verify/verify.js";
import { resetDatabase, sharedPglite } from "./helpers.js";

const engine = sharedPglite();
const root = mkdtempSync(path.join(tmpdir(), "mlv-journals-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** The guard a migration puts on its runner's journal: the table must exist, rows or not. */
const reads = (table: string): string => `DO $$ BEGIN IF (SELECT count(*) FROM ${table}) >= 0 THEN CREATE TABLE a (x int); END IF; END $$;\n`;

interface Project {
  layout: LayoutId;
  table: string;
  files: Record<string, string>;
  config?: string;
}

const PROJECTS: Record<string, Project> = {
  diesel: {
    layout: "diesel",
    table: "__diesel_schema_migrations",
    files: { "migrations/2024-01-01-000000_a/up.sql": reads("__diesel_schema_migrations"), "migrations/2024-01-01-000000_a/down.sql": "DROP TABLE a;\n" },
  },
  dbmate: {
    layout: "dbmate",
    table: "schema_migrations",
    files: { "db/migrations/20240101000000_a.sql": `-- migrate:up\n${reads("schema_migrations")}\n-- migrate:down\nDROP TABLE a;\n` },
  },
  "golang-migrate": {
    layout: "golang-migrate",
    table: "schema_migrations",
    files: { "migrations/000001_a.up.sql": reads("schema_migrations"), "migrations/000001_a.down.sql": "DROP TABLE a;\n" },
  },
  sqlx: {
    layout: "sqlx",
    table: "_sqlx_migrations",
    files: { "migrations/20240101000000_a.up.sql": reads("_sqlx_migrations"), "migrations/20240101000000_a.down.sql": "DROP TABLE a;\n" },
  },
  flyway: {
    layout: "flyway",
    table: "flyway_schema_history",
    files: { "db/migration/V1__a.sql": reads("flyway_schema_history"), "db/migration/U1__a.sql": "DROP TABLE a;\n" },
  },
  prisma: {
    layout: "prisma",
    table: "_prisma_migrations",
    files: { "prisma/migrations/20240101000000_a/migration.sql": reads("_prisma_migrations"), "prisma/migrations/20240101000000_a/down.sql": "DROP TABLE a;\n" },
  },
  "flyway, journal moved by the config": {
    layout: "flyway",
    table: "meta.history",
    files: { "db/migration/V1__a.sql": reads("meta.history"), "db/migration/U1__a.sql": "DROP TABLE a;\n" },
    config: '{ "journal": { "schema": "meta", "table": "history" } }\n',
  },
};

function lay(name: string, p: Project): string {
  const dir = path.join(root, name.replace(/\W+/g, "-"));
  for (const [file, text] of Object.entries({ ...p.files, ...(p.config ? { "migration-lint.config.json": p.config } : {}) })) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
  return dir;
}

describe("verify creates the runner's journal while migrations run", () => {
  for (const [name, p] of Object.entries(PROJECTS)) {
    it(name, async () => {
      const dir = lay(name, p);
      const { config, baseDir } = await resolveConfig({ cwd: dir });
      const sets = await discoverSets([], { cwd: dir, config, baseDir });
      expect(sets.map((s) => s.set.layout)).toEqual([p.layout]);
      const set = sets[0]!.set;
      const setup = runnerJournalSql(set.layout, config);
      expect(setup.map((s) => s.path)).toEqual([expect.stringContaining(`journal ${p.table.includes(".") ? p.table : `public.${p.table}`}`)]);

      await resetDatabase(engine());
      const without = await verifyMigrations(engine(), set);
      expect(without.results.map((r) => [r.status, r.failure?.error.code])).toEqual([["up-failed", "42P01"]]);

      await resetDatabase(engine());
      const report = await verifyMigrations(engine(), set, { setupSql: setup });
      expect(report.results.map((r) => [r.id, r.status])).toEqual([[set.migrations[0]!.id, "exact"]]);
      // The journal is the platform's: there, and in no diff.
      const [schema, table] = p.table.includes(".") ? p.table.split(".") : ["public", p.table];
      expect(await engine().query<{ n: string }>(`SELECT count(*)::text AS n FROM pg_tables WHERE schemaname = '${schema}' AND tablename = '${table}'`)).toEqual([{ n: "1" }]);
    });
  }

  it("a layout without a known runner journal gets none; a bad journal config is one line", async () => {
    expect(runnerJournalSql("plain")).toEqual([]);
    expect(runnerJournalSql(undefined)).toEqual([]);
    expect(() => runnerJournalSql("flyway", { journal: { idColumn: "id" } })).toThrow("journal.idColumn needs journal.table");
  });

  it("api.verify wires it in (sqlx)", async () => {
    const dir = lay("api-sqlx", PROJECTS["sqlx"]!);
    const [set] = await verify([dir], { cwd: dir });
    expect(set!.report.results.map((r) => r.status)).toEqual(["exact"]);
  }, 120_000);
});

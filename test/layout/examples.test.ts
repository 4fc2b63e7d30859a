/**
 * The bundled examples: discovered with the right layouts, every file valid PostgreSQL for the real
 * grammar, and every up (and its hand-written down) applying on PGlite in history order.
 */
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { beforeAll, describe, expect, it } from "vitest";
import { discover, type DiscoveredSet } from "../../src/layout/index.js";
import { loadParser, parseSql, SourceText } from "../../src/parse/index.js";
import type { SqlFile } from "../../src/layout/types.js";

const REPO = path.resolve(import.meta.dirname, "../..");
let sets: DiscoveredSet[];

beforeAll(async () => {
  await loadParser();
  sets = await discover(["examples"], { cwd: REPO });
});

function syntaxErrors(file: SqlFile) {
  return parseSql(new SourceText(file.text, file.path), file.regions).syntaxErrors;
}

describe("examples/", () => {
  it("holds a diesel project and a drizzle project", () => {
    expect(sets.map(({ set, selected }) => [set.root, set.layout, set.migrations.length, selected])).toEqual([
      ["examples/diesel-app/migrations", "diesel", 6, undefined],
      ["examples/drizzle-app/drizzle", "drizzle", 5, undefined],
    ]);
  });

  it("diesel-app: six migrations, each with a down.sql, each in its own transaction", () => {
    const set = sets[0]!.set;
    expect(set.migrations.map((m) => [m.id, m.down?.path.endsWith(`${m.id}/down.sql`), m.transactional])).toEqual([
      ["2024-01-10-090000_create_authors", true, true],
      ["2024-01-15-120000_create_posts", true, true],
      ["2024-02-01-080000_index_posts_author", true, true],
      ["2024-02-20-101500_drop_authors_legacy_code", true, true],
      ["2024-03-05-140000_rename_posts_published_at", true, true],
      ["2024-03-20-093000_add_archived_post_state", true, true],
    ]);
    expect(set.detection?.evidence).toContain("the project uses diesel (Cargo.toml / diesel.toml)");
  });

  it("drizzle-app: journal order, hand-written rollbacks for three of five, one transaction for the run", () => {
    const set = sets[1]!.set;
    expect(set.migrations.map((m) => [m.id, m.down?.path.slice(set.root.length + 1), m.expectsDown, m.transactionMode])).toEqual([
      ["0000_init_users_projects", "rollback/0000_rollback.sql", true, "all-pending"],
      ["0001_project_slug", "rollback/0001_rollback.sql", true, "all-pending"],
      ["0002_project_status_paused", undefined, true, "all-pending"],
      ["0003_users_full_name", "rollback/0003_rollback.sql", true, "all-pending"],
      ["0004_project_members", undefined, true, "all-pending"],
    ]);
  });

  it("every up and down parses with the PostgreSQL grammar", () => {
    for (const { set } of sets) {
      for (const m of set.migrations) {
        expect([m.up.path, syntaxErrors(m.up)]).toEqual([m.up.path, []]);
        if (m.down) expect([m.down.path, syntaxErrors(m.down)]).toEqual([m.down.path, []]);
      }
    }
  });

  it("applies on PostgreSQL (PGlite): each up, then its down and the up again when it has a down", async () => {
    for (const { set } of sets) {
      const db = new PGlite();
      try {
        for (const m of set.migrations) {
          await db.exec(m.up.text);
          if (!m.down) continue;
          await db.exec(m.down.text);
          await db.exec(m.up.text);
        }
        const tables = await db.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1");
        expect(tables.rows.map((r) => r.tablename)).toEqual(set.layout === "diesel" ? ["authors", "posts"] : ["project_members", "projects", "users"]);
      } finally {
        await db.close();
      }
    }
  });
});

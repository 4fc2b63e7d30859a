import { beforeAll, describe, expect, it } from "vitest";
import { compareCatalogs } from "../../src/catalog/compare.js";
import { exprSql } from "../../src/catalog/render.js";
import { applyStatement, emptyCatalog } from "../../src/catalog/replay.js";
import type { Catalog } from "../../src/catalog/types.js";
import { loadParser, parseSql } from "../../src/parse/parse.js";
import { SourceText } from "../../src/parse/source.js";

function replay(sql: string, from: Catalog = emptyCatalog()): Catalog {
  let c = from;
  // As the pipeline does: a DO block is replayed as the statements inside it.
  for (const s of parseSql(new SourceText(sql)).statements) {
    for (const t of s.body?.length ? s.body : [s]) c = applyStatement(c, t, { migrationId: "m", path: "m.sql", searchPath: ["public"] });
  }
  return c;
}

beforeAll(async () => {
  await loadParser();
});

describe("replay", () => {
  it("stores types canonically", () => {
    const c = replay("CREATE TABLE t (a int, b int4, c integer, d varchar(10), e character varying(10), f timestamptz, g timestamp(3), h numeric(10), i float8, j bool, k text[], l serial, m bigserial);");
    expect(c.tables.get("public.t")!.columns.map((x) => x.type)).toEqual([
      "integer",
      "integer",
      "integer",
      "character varying(10)",
      "character varying(10)",
      "timestamp with time zone",
      "timestamp(3) without time zone",
      "numeric(10,0)",
      "double precision",
      "boolean",
      "text[]",
      "integer",
      "bigint",
    ]);
    expect(exprSql(c.tables.get("public.t")!.columns.at(-1)!.default!)).toMatch(/^nextval\(.*'t_m_seq'.*regclass.*\)$/);
  });

  it("shares untouched objects and never copies the catalog", () => {
    const a = replay("CREATE TABLE t (id int); CREATE TABLE u (id int);");
    const b = replay("ALTER TABLE t ADD COLUMN x int;", a);
    expect(b.tables.get("public.u")).toBe(a.tables.get("public.u"));
    expect(b.tables.get("public.t")).not.toBe(a.tables.get("public.t"));
    expect(a.tables.get("public.t")!.columns).toHaveLength(1);
    expect(replay("SELECT 1;", b)).toBe(b);
  });

  it("applies CASCADE: foreign keys and views that depend on a dropped table go with it", () => {
    const a = replay(`
      CREATE TABLE p (id int PRIMARY KEY);
      CREATE TABLE c (id int, p int REFERENCES p);
      CREATE VIEW v AS SELECT id FROM p;
      CREATE VIEW w AS SELECT id FROM v;
      DROP TABLE p CASCADE;
    `);
    expect(a.tables.has("public.p")).toBe(false);
    expect(a.tables.get("public.c")!.constraints).toEqual([]);
    expect([...a.views.keys()]).toEqual([]);
  });

  it("drops the foreign keys of every referencing table, the partitions, and defaults reading an owned sequence", () => {
    const before = replay(`
      CREATE TABLE p (id serial PRIMARY KEY, k int UNIQUE);
      CREATE TABLE c1 (id int, p int REFERENCES p, k int REFERENCES p (k), CHECK (id > 0));
      CREATE TABLE c2 (p int CONSTRAINT c2_p REFERENCES p, o int REFERENCES c1 (id));
      CREATE TABLE other (n int DEFAULT nextval('p_id_seq'), m int DEFAULT 1);
      CREATE TABLE parted (d date) PARTITION BY RANGE (d);
      CREATE TABLE parted_2024 PARTITION OF parted FOR VALUES FROM ('2024-01-01') TO ('2025-01-01');
      CREATE TABLE unrelated (id int PRIMARY KEY);
    `);
    // A map per version: the replay of another statement (here the catalog before) asked in between.
    replay("ALTER TABLE c1 ADD COLUMN x int;", before);
    const after = replay("DROP TABLE p CASCADE;\nDROP TABLE parted;", before);
    expect([...after.tables.keys()].sort()).toEqual(["public.c1", "public.c2", "public.other", "public.unrelated"]);
    expect(after.tables.get("public.c1")!.constraints.map((c) => c.type)).toEqual(["check"]);
    expect(after.tables.get("public.c2")!.constraints.map((c) => c.foreignKey?.table)).toEqual(["public.c1"]);
    expect(after.tables.get("public.other")!.columns.map((c) => [c.name, c.default === undefined])).toEqual([
      ["n", true],
      ["m", false],
    ]);
    expect(after.tables.get("public.unrelated")).toBe(before.tables.get("public.unrelated"));
    expect(after.sequences.has("public.p_id_seq")).toBe(false);
  });

  it("follows renames the way PostgreSQL follows OIDs", () => {
    const a = replay(`
      CREATE TABLE p (id int PRIMARY KEY, name text);
      CREATE TABLE c (p_id int REFERENCES p (id));
      CREATE INDEX p_name_idx ON p (name);
      ALTER TABLE p RENAME TO parents;
      ALTER TABLE parents RENAME COLUMN id TO parent_id;
    `);
    expect(a.tables.get("public.c")!.constraints[0]!.foreignKey).toMatchObject({ table: "public.parents", refColumns: ["parent_id"] });
    expect(a.indexes.get("public.p_name_idx")!.table).toBe("public.parents");
    expect(a.tables.get("public.parents")!.constraints[0]!.name).toBe("p_pkey");
  });

  it("records what it cannot model instead of skipping it", () => {
    const a = replay("DROP TABLE never_created; CREATE PUBLICATION pub FOR ALL TABLES;");
    expect(a.unmodelled.map((u) => u.reason)).toEqual(["relation never_created is not known", "CreatePublicationStmt is not modelled"]);
    expect(replay("DROP TABLE IF EXISTS never_created;").unmodelled).toEqual([]);
  });

  it("treats guarded statements that hit an existing object as no-ops", () => {
    const a = replay("CREATE TYPE s AS ENUM ('a');");
    const b = replay("DO $$ BEGIN CREATE TYPE s AS ENUM ('a', 'b'); EXCEPTION WHEN duplicate_object THEN null; END $$;", a);
    expect(b).toBe(a);
    const c = replay("CREATE TYPE s AS ENUM ('a', 'b');", a);
    expect(c.unmodelled.map((u) => u.reason)).toEqual(["type public.s already exists"]);
  });
});

describe("compareCatalogs", () => {
  it("lists what is missing, extra and changed, by name", () => {
    const before = replay("CREATE TABLE t (a int NOT NULL, b text DEFAULT 'x'); CREATE INDEX t_a_idx ON t (a);");
    const after = replay("ALTER TABLE t DROP COLUMN a; ALTER TABLE t ALTER COLUMN b SET DEFAULT 'y'; CREATE TABLE extra (id int);", before);
    const diff = compareCatalogs(before, after).map((d) => `${d.kind} ${d.path.join(" › ")}`);
    expect(diff).toEqual(["extra table public.extra", "missing table public.t › column a", "changed table public.t › column b › default", "missing index public.t_a_idx"]);
    expect(compareCatalogs(before, before)).toEqual([]);
  });

  it("does not care how an equal definition was spelled, nor about column order by default", () => {
    const a = replay("CREATE TABLE t (a int4, b varchar(5)); CREATE INDEX i ON t (a ASC NULLS LAST);");
    const b = replay("CREATE TABLE t (a integer, b character varying(5)); CREATE INDEX i ON t (a);");
    expect(compareCatalogs(a, b)).toEqual([]);
    const c = replay("CREATE TABLE t (b character varying(5), a integer); CREATE INDEX i ON t (a);");
    expect(compareCatalogs(a, c)).toEqual([]);
    expect(compareCatalogs(a, c, { columnOrder: true }).map((d) => d.path.at(-1))).toEqual(["column order"]);
  });
});

/**
 * The output columns the model infers for CREATE TABLE AS / SELECT INTO and for views over `*`,
 * checked against what PostgreSQL (PGlite) creates from the same statements: every name, and every
 * type the model claims to know (a type it does not know must be marked unknown, never guessed).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { applyStatement, emptyCatalog } from "../../src/catalog/replay.js";
import type { Catalog } from "../../src/catalog/types.js";
import { parseSql } from "../../src/parse/parse.js";
import { SourceText } from "../../src/parse/source.js";
import { resetDatabase, sharedPglite } from "../verify/helpers.js";

const engine = sharedPglite();

function replay(sql: string, from: Catalog = emptyCatalog()): Catalog {
  let c = from;
  for (const s of parseSql(new SourceText(sql)).statements) c = applyStatement(c, s, { migrationId: "m", path: "m.sql", searchPath: ["public"] });
  return c;
}

const BASE = `CREATE TYPE mood AS ENUM ('ok', 'bad');
CREATE TABLE t (id integer, g text, n numeric(10,2), v varchar(20), at timestamptz, b boolean, m mood, big bigint);
CREATE VIEW tv AS SELECT id AS ident, g FROM t;`;

const QUERIES: Record<string, string> = {
  columns: "SELECT id, g AS grp, v FROM t",
  star: "SELECT * FROM t",
  "qualified star and more": "SELECT x.*, 1 AS one FROM t x",
  aggregates: "SELECT g, count(*), sum(id) AS s_int, sum(big) AS s_big, sum(n), avg(id), max(at), min(v), bool_and(b), array_agg(m), max(n) AS max_n, array_agg(v) AS vs, min(at) AS first_at FROM t GROUP BY g",
  literals: "SELECT 1 AS i, 2.5 AS f, 'x' AS s, true AS t, NULL AS nothing, 3000000000 AS large",
  casts: "SELECT id::text, g::varchar(5) AS short, '2024-01-01'::date AS d, n::integer FROM t",
  functions: "SELECT now(), lower(g), length(v), coalesce(id, 0) AS c, gen_random_uuid() AS u, current_date FROM t",
  expressions: "SELECT id + 1 AS plus, id = 1 AS eq, g IS NULL AS isnull, CASE WHEN b THEN 'y' ELSE 'n' END AS yn, EXISTS (SELECT 1 FROM t) FROM t",
  "union of one type": "SELECT id, g FROM t UNION ALL SELECT id, g FROM t",
  "union of two types": "SELECT id, v, n FROM t UNION SELECT big, g, id FROM t",
  "union of types not worked out": "SELECT at FROM t UNION SELECT current_date",
  "from a view and a subquery": "SELECT tv.*, s.total FROM tv JOIN (SELECT id, sum(n) AS total FROM t GROUP BY id) s ON s.id = tv.ident",
  "with a CTE": "WITH c AS (SELECT g, count(*) AS k FROM t GROUP BY g) SELECT * FROM c",
};

interface Col {
  name: string;
  type: string;
}

async function pgColumns(relation: string): Promise<Col[]> {
  return engine().query<Col>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = '${relation}'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
  );
}

beforeAll(async () => {
  await resetDatabase(engine());
  await engine().exec(BASE);
});

describe("CREATE TABLE AS columns", () => {
  for (const [name, query] of Object.entries(QUERIES)) {
    it(name, async () => {
      const table = `ctas_${name.replace(/\W+/g, "_").toLowerCase()}`;
      await engine().exec(`CREATE TABLE ${table} AS ${query}`);
      const expected = await pgColumns(table);
      const model = replay(`CREATE TABLE ${table} AS ${query}`, replay(BASE)).tables.get(`public.${table}`)!;
      expect(model.columns.map((c) => c.name)).toEqual(expected.map((c) => c.name));
      model.columns.forEach((c, i) => {
        if (c.typeUnknown) expect(c.type).toBe("unknown");
        else expect(`${c.name} ${c.type}`).toBe(`${expected[i]!.name} ${expected[i]!.type}`);
      });
    });
  }

  it("knows the types of the plain cases", () => {
    const c = replay(`CREATE TABLE a AS ${QUERIES["aggregates"]!}`, replay(BASE));
    expect(c.tables.get("public.a")!.columns.filter((x) => x.typeUnknown).map((x) => x.name)).toEqual([]);
    const u = replay(`CREATE TABLE u AS ${QUERIES["union of two types"]!}`, replay(BASE));
    expect(u.tables.get("public.u")!.columns.map((x) => [x.name, x.type])).toEqual([["id", "bigint"], ["v", "character varying"], ["n", "numeric"]]);
    const w = replay(`CREATE TABLE w AS ${QUERIES["union of types not worked out"]!}`, replay(BASE));
    expect(w.tables.get("public.w")!.columns.map((x) => [x.name, x.typeUnknown ?? false])).toEqual([["at", true]]);
  });

  it("SELECT … INTO makes the same table", async () => {
    await engine().exec("SELECT id, g, count(*) AS k INTO si FROM t GROUP BY id, g");
    const model = replay("SELECT id, g, count(*) AS k INTO si FROM t GROUP BY id, g", replay(BASE)).tables.get("public.si")!;
    expect(model.columns.map((c) => `${c.name} ${c.type}`)).toEqual((await pgColumns("si")).map((c) => `${c.name} ${c.type}`));
  });
});

describe("views over *", () => {
  it("keep the columns the table had when the view was created, as PostgreSQL does", async () => {
    const up = "CREATE TABLE s (a int, b text); CREATE VIEW sv AS SELECT * FROM s; CREATE MATERIALIZED VIEW smv AS SELECT x.* FROM s x; ALTER TABLE s ADD COLUMN c int;";
    await engine().exec(up);
    const c = replay(up);
    for (const v of ["sv", "smv"]) {
      const pg = await engine().query<{ def: string }>(`SELECT pg_get_viewdef('${v}'::regclass) AS def`);
      expect(pg[0]!.def).not.toContain(" c");
      const names = (await pgColumns(v)).map((x) => x.name);
      expect(names).toEqual(["a", "b"]);
      const text = JSON.stringify(c.views.get(`public.${v}`)!.query);
      expect(text).not.toContain("A_Star");
      expect(c.views.get(`public.${v}`)!.columnsRead).toEqual(["a", "b"]);
    }
  });
});

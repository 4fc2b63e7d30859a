/** The dependency graph between migrations, read from the replayed catalog. */
import { describe, expect, it } from "vitest";
import { lintSql } from "../../src/api.js";
import { dependencyGraph, dependentsOf } from "../../src/history/deps.js";

async function graph(...ups: string[]) {
  const analyzed = await lintSql(
    ups.map((up, i) => ({ name: `m${i}`, up })),
    {},
    [],
  );
  return dependencyGraph(analyzed);
}

/** Later id → earlier ids it depends on. */
const edges = (g: Awaited<ReturnType<typeof graph>>) => Object.fromEntries([...g.dependsOn].map(([id, deps]) => [id, deps.map((d) => d.on)]));
const reasons = (g: Awaited<ReturnType<typeof graph>>, id: string, on: string) => g.dependsOn.get(id)?.find((d) => d.on === on)?.reasons ?? [];

describe("dependencies between migrations", () => {
  it("a foreign key, an index and a view on a table depend on the migration that created it", async () => {
    const g = await graph(
      "CREATE TABLE users (id bigint PRIMARY KEY, email text);",
      "CREATE TABLE posts (id bigint PRIMARY KEY, author_id bigint REFERENCES users (id));",
      "CREATE INDEX users_email_idx ON users (email);",
      "CREATE VIEW emails AS SELECT email FROM users;",
      "CREATE TABLE tags (id bigint PRIMARY KEY);",
    );
    expect(edges(g)).toEqual({ m1: ["m0"], m2: ["m0"], m3: ["m0"] });
    expect(reasons(g, "m1", "m0")).toEqual(["foreign key posts_author_id_fkey references public.users"]);
    expect(reasons(g, "m2", "m0")).toEqual(["index public.users_email_idx on public.users (email)"]);
    expect(reasons(g, "m3", "m0")).toEqual(["view public.emails reads table public.users"]);
  });

  it("column-level: changes to other columns of an older table are independent", async () => {
    const g = await graph(
      "CREATE TABLE t (id bigint PRIMARY KEY);",
      "ALTER TABLE t ADD COLUMN a text;",
      "ALTER TABLE t ADD COLUMN b text;",
      "CREATE INDEX t_a_idx ON t (a);",
      "ALTER TABLE t ALTER COLUMN b SET NOT NULL;",
    );
    expect(edges(g)).toEqual({ m1: ["m0"], m2: ["m0"], m3: ["m0", "m1"], m4: ["m0", "m2"] });
    expect(reasons(g, "m4", "m2")).toEqual(["table public.t: alters column b"]);
  });

  it("types, renames and drops carry dependencies", async () => {
    const g = await graph(
      "CREATE TYPE mood AS ENUM ('ok');",
      "CREATE TABLE people (id bigint PRIMARY KEY, mood mood);",
      "ALTER TABLE people RENAME TO persons;",
      "CREATE INDEX persons_mood_idx ON persons (mood);",
      "DROP TABLE persons;",
    );
    expect(edges(g)).toEqual({ m1: ["m0"], m2: ["m1"], m3: ["m1", "m2"], m4: ["m1", "m2", "m3"] });
    expect(reasons(g, "m1", "m0")).toEqual(["column public.people.mood has type public.mood"]);
    expect(reasons(g, "m2", "m1").sort()).toEqual(["alters index public.people_pkey", "renames table public.people to public.persons"]);
    expect(reasons(g, "m4", "m1").sort()).toEqual(["drops index public.people_pkey", "drops table public.persons"]);
  });

  it("dependents: direct ones with reasons, indirect ones through them, and what it needs", async () => {
    const g = await graph(
      "CREATE TABLE a (id bigint PRIMARY KEY);",
      "CREATE TABLE b (id bigint PRIMARY KEY, a_id bigint REFERENCES a (id));",
      "CREATE TABLE c (id bigint PRIMARY KEY, b_id bigint REFERENCES b (id));",
      "CREATE TABLE d (id bigint PRIMARY KEY);",
    );
    const d = dependentsOf(g, "m0");
    expect(d.direct).toEqual([{ id: "m1", reasons: ["foreign key b_a_id_fkey references public.a"] }]);
    expect(d.indirect).toEqual([{ id: "m2", via: "m1" }]);
    expect(dependentsOf(g, "m2").needs.map((n) => n.on)).toEqual(["m1"]);
    expect(dependentsOf(g, "m3")).toEqual({ direct: [], indirect: [], needs: [] });
  });
});

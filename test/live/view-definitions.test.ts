import { beforeAll, describe, expect, it } from "vitest";
import { loadParser } from "../../src/parse/index.js";
import { canonicalViewDefinition } from "../../src/live/view-definitions.js";

beforeAll(() => loadParser());

describe("view definitions as PostgreSQL 15 and 17 print them", () => {
  it("is the same query whether or not a column names the only relation", () => {
    // pg_get_viewdef on 15 and on 17 (PGlite) for the same CREATE VIEW.
    expect(canonicalViewDefinition(" SELECT pet.name\n   FROM public.pet;")).toBe(canonicalViewDefinition(" SELECT name\n   FROM public.pet;"));
    expect(canonicalViewDefinition(" SELECT p.name FROM public.pet p WHERE p.id > 1;")).toBe(canonicalViewDefinition(" SELECT name FROM public.pet p WHERE id > 1;"));
  });

  it("still tells a different query apart", () => {
    expect(canonicalViewDefinition(" SELECT pet.name FROM public.pet;")).not.toBe(canonicalViewDefinition(" SELECT id FROM public.pet;"));
    expect(canonicalViewDefinition(" SELECT pet.name FROM public.pet;")).not.toBe(canonicalViewDefinition(" SELECT name FROM public.owner;"));
  });

  it("keeps qualifiers where the query reads more than one relation", () => {
    const join = (q: string) => canonicalViewDefinition(` SELECT ${q} FROM public.pet JOIN public.owner ON pet.owner_id = owner.id;`);
    expect(join("pet.name")).not.toBe(join("owner.name"));
  });
});

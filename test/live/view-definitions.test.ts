import { beforeAll, describe, expect, it } from "vitest";
import { loadParser } from "../../src/parse/index.js";
import { sameViewDefinition } from "../../src/live/view-definitions.js";

beforeAll(() => loadParser());

describe("view definitions as PostgreSQL 15 and 17 print them", () => {
  it("is the same query whether or not a column names the only relation", () => {
    // pg_get_viewdef on 15 and on 17 (PGlite) for the same CREATE VIEW.
    expect(sameViewDefinition(" SELECT pet.name\n   FROM public.pet;", " SELECT name\n   FROM public.pet;")).toBe(true);
    expect(sameViewDefinition(" SELECT p.name FROM public.pet p WHERE p.id > 1;", " SELECT name FROM public.pet p WHERE id > 1;")).toBe(true);
  });

  it("still tells a different query apart", () => {
    expect(sameViewDefinition(" SELECT pet.name FROM public.pet;", " SELECT id FROM public.pet;")).toBe(false);
    expect(sameViewDefinition(" SELECT pet.name FROM public.pet;", " SELECT name FROM public.owner;")).toBe(false);
  });

  it("keeps qualifiers where the query reads more than one relation", () => {
    const join = (q: string) => ` SELECT ${q} FROM public.pet JOIN public.owner ON pet.owner_id = owner.id;`;
    expect(sameViewDefinition(join("pet.name"), join("owner.name"))).toBe(false);
    expect(sameViewDefinition(join("pet.name"), join("pet.name").replace(" FROM", "\n   FROM"))).toBe(true);
  });

  it("takes text that does not parse as the same only as the identical text", () => {
    expect(sameViewDefinition("SELECT FROM FROM", "SELECT FROM FROM")).toBe(true);
    expect(sameViewDefinition("SELECT FROM FROM", "SELECT  FROM FROM")).toBe(false);
    expect(sameViewDefinition("SELECT FROM FROM", " SELECT name FROM public.pet;")).toBe(false);
  });
});

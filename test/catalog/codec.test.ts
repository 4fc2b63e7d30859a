/**
 * The catalog codec (src/catalog/codec.ts) on real histories: the catalog replayed after each of many
 * points of several corpus projects' histories, encoded and decoded, is the same catalog: strictly
 * deep-equal (persistent maps down to their tries), and encoding it again gives the same text (every
 * map's order, every object's key order, `undefined` properties and shared objects included).
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { discoverSets } from "../../src/api.js";
import { decodeCatalog, encodeCatalog } from "../../src/catalog/codec.js";
import { PMap } from "../../src/catalog/pmap.js";
import { emptyCatalog } from "../../src/catalog/replay.js";
import type { Catalog } from "../../src/catalog/types.js";
import { defaultConfig } from "../../src/config/schema.js";
import { loadParser } from "../../src/parse/parse.js";
import { analyzeSet } from "../../src/pipeline/analyze.js";

const CORPUS = path.resolve(import.meta.dirname, "../../../shared/corpus");
// Six layouts: diesel, concourse (Go migrations beside SQL), authelia, drizzle, kratos (a prelude), prisma.
const PROJECTS = ["rust-lang__crates.io", "concourse__concourse", "authelia__authelia", "dittofeed__dittofeed", "ory__kratos", "triggerdotdev__trigger.dev"];

beforeAll(loadParser);

function roundTrip(catalog: Catalog): Catalog {
  const text = encodeCatalog(catalog);
  const back = decodeCatalog(text);
  expect(back).toStrictEqual(catalog);
  expect(encodeCatalog(back)).toBe(text);
  return back;
}

describe("the catalog codec", () => {
  it.each(PROJECTS)("restores the replayed catalog of %s exactly, at ten points of its history", async (project) => {
    const cwd = path.join(CORPUS, project);
    const config = defaultConfig();
    const sets = await discoverSets(["."], { cwd, config, baseDir: cwd });
    let checked = 0;
    for (const { set } of sets) {
      const analyzed = analyzeSet(set, { settings: { pgVersion: config.pgVersion, timeoutsSetByRunner: config.timeoutsSetByRunner }, searchPath: config.searchPath, rules: [], lint: false });
      // About ten points of each history, the end included.
      const step = Math.max(1, Math.floor(set.migrations.length / 10));
      analyzed.migrations.forEach((m, i) => {
        if (i % step === step - 1 || i === analyzed.migrations.length - 1) {
          roundTrip(m.catalogAfter);
          checked++;
        }
      });
      const last = analyzed.migrations.at(-1)!.catalogAfter;
      // Not a trivial history: tables with columns, constraints and expressions.
      if (set.migrations.length > 20) expect(last.tables.size).toBeGreaterThan(3);
    }
    expect(checked).toBeGreaterThanOrEqual(10);
  }, 120_000);

  it("keeps map kinds and orders, undefined properties, key order and shared objects", () => {
    const shared = { A_Const: { ival: { ival: 1 }, location: 4 } };
    const grants = new Map([["zed", ["SELECT"]], ["amy", ["INSERT", "SELECT"]]]);
    const base = emptyCatalog();
    const catalog: Catalog = {
      ...base,
      // An empty map left by a delete is not the shared empty one.
      views: PMap.from<never>([["public.v", undefined as never]]).delete("public.v"),
      tables: PMap.from([
        ["public.b", { schema: "public", name: "b", kind: "table", columns: [{ id: 1, name: "x", type: "integer", notNull: false, default: shared, comment: undefined }], nextColumnId: 2, constraints: [], triggers: [], policies: [], rowSecurity: false, forceRowSecurity: false, unlogged: false, grants }],
        ["public.a", { kind: "table", schema: "public", name: "a", columns: [{ id: 1, name: "y", type: "integer", notNull: true, default: shared }], nextColumnId: 2, constraints: [], triggers: [], policies: [], rowSecurity: false, forceRowSecurity: false, unlogged: false, grants: PMap.empty() }],
      ]),
    };
    const back = roundTrip(catalog);
    const [b, a] = [back.tables.get("public.b")!, back.tables.get("public.a")!];
    expect(Object.keys(b.columns[0]!)).toEqual(["id", "name", "type", "notNull", "default", "comment"]);
    expect(Object.keys(a)[0]).toBe("kind");
    expect(b.columns[0]!.default).toBe(a.columns[0]!.default);
    expect(b.grants).toBeInstanceOf(Map);
    expect([...b.grants.keys()]).toEqual(["zed", "amy"]);
    expect(a.grants).toBeInstanceOf(PMap);
    expect([...back.tables.keys()]).toEqual([...catalog.tables.keys()]);
    expect(back.views.size).toBe(0);
    expect(back.views).not.toBe(PMap.empty());
    expect(back.indexes).toBe(PMap.empty());
  });

  it("refuses what it cannot restore exactly, and text that is not a catalog", () => {
    class Odd {
      x = 1;
    }
    const withNaN = { ...emptyCatalog(), unmodelled: [{ migrationId: "1", path: "a.sql", line: Number.NaN, tag: "X", reason: "r" }] };
    expect(() => encodeCatalog(withNaN)).toThrow(/number NaN/);
    const withClass = { ...emptyCatalog(), unmodelled: [new Odd() as never] };
    expect(() => encodeCatalog(withClass)).toThrow(/instance of Odd/);
    expect(() => decodeCatalog("not json")).toThrow();
    expect(() => decodeCatalog('{"tables":{"$":"m","e":[]}}')).toThrow(/not a catalog/);
    expect(() => decodeCatalog('{"tables":{"$":"r","i":3}}')).toThrow(/unknown object/);
    expect(() => decodeCatalog('{"tables":{"$":"x"}}')).toThrow(/unknown tag/);
    expect(() => decodeCatalog('{"tables":{"$":"p","e":["a"]}}')).toThrow(/without its entries/);
    // An object of the catalog's own with a `$` key is escaped, and comes back as it was.
    const odd = { ...emptyCatalog(), unmodelled: [{ $: "u", migrationId: "1", path: "a.sql", line: 1, tag: "X", reason: "r" } as never] };
    expect(decodeCatalog(encodeCatalog(odd))).toStrictEqual(odd);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PMap, diffMaps } from "../../src/catalog/pmap.js";

describe("PMap", () => {
  it("behaves like a Map under random sets and deletes", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.string({ maxLength: 4 }), fc.integer())), (ops) => {
        let p = PMap.empty<number>();
        const m = new Map<string, number>();
        for (const [del, k, v] of ops) {
          if (del) {
            p = p.delete(k);
            m.delete(k);
          } else {
            p = p.set(k, v);
            m.set(k, v);
          }
        }
        expect(p.size).toBe(m.size);
        expect(new Map(p)).toEqual(m);
        for (const k of m.keys()) expect(p.get(k)).toBe(m.get(k));
      }),
    );
  });

  it("never changes an earlier version", () => {
    const a = PMap.from([["x", 1], ["y", 2]]);
    const b = a.set("x", 3).delete("y").set("z", 4);
    expect([...a].sort()).toEqual([["x", 1], ["y", 2]]);
    expect([...b].sort()).toEqual([["x", 3], ["z", 4]]);
    expect(a.set("x", 1)).toBe(a);
    expect(a.delete("nope")).toBe(a);
  });

  it("diffs two versions by what changed", () => {
    let a = PMap.empty<{ n: number }>();
    for (let i = 0; i < 2000; i++) a = a.set(`k${i}`, { n: i });
    const b = a.set("k5", { n: -5 }).delete("k7").set("new", { n: 0 });
    expect(diffMaps(a, b).map((c) => [c.key, c.before?.n, c.after?.n])).toEqual([
      ["k5", 5, -5],
      ["k7", 7, undefined],
      ["new", undefined, 0],
    ]);
    expect(diffMaps(a, a)).toEqual([]);
  });

  it("diffs any two versions as plain Maps would, sorted by key", () => {
    // Values by identity: an equal but new object is a change, the same object is not.
    const values = [{ v: 0 }, { v: 1 }, { v: 2 }];
    const ops = fc.array(fc.tuple(fc.nat(3), fc.string({ maxLength: 3 }), fc.nat(2)), { maxLength: 300 });
    fc.assert(
      fc.property(ops, ops, (first, second) => {
        const apply = (p: PMap<{ v: number }>, list: [number, string, number][]) => {
          for (const [op, k, v] of list) p = op === 0 ? p.delete(k) : p.set(k, op === 1 ? { v } : values[v]!);
          return p;
        };
        const a = apply(PMap.empty(), first);
        const b = apply(a, second);
        const plain = (x: ReadonlyMap<string, { v: number }>, y: ReadonlyMap<string, { v: number }>) =>
          [...new Set([...x.keys(), ...y.keys()])]
            .filter((k) => x.get(k) !== y.get(k))
            .sort()
            .map((k) => ({ key: k, before: x.get(k), after: y.get(k) }));
        for (const [x, y] of [[a, b], [b, a]] as const) {
          const got = diffMaps(x, y);
          expect(got).toEqual(plain(new Map(x), new Map(y)));
          got.forEach((c) => {
            expect(c.before).toBe(x.get(c.key));
            expect(c.after).toBe(y.get(c.key));
          });
        }
      }),
    );
  });
});

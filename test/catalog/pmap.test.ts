import { describe, expect, it } from "vitest";
import { PMap } from "../../src/catalog/pmap.js";

describe("PMap iteration", () => {
  it("visits every entry once, in the same order through entries, keys, values and forEach", () => {
    let m = PMap.empty<number>();
    for (let i = 0; i < 2000; i++) m = m.set(`public.t${i}`, i);
    m = m.delete("public.t7").set("public.t3", -3);
    const entries = [...m.entries()];
    expect(entries).toHaveLength(1999);
    expect(new Map(entries).get("public.t3")).toBe(-3);
    expect(new Set(entries.map(([k]) => k)).size).toBe(1999);
    expect([...m.keys()]).toEqual(entries.map(([k]) => k));
    expect([...m.values()]).toEqual(entries.map(([, v]) => v));
    const seen: [string, number][] = [];
    m.forEach((v, k) => seen.push([k, v]));
    expect(seen).toEqual(entries);
    expect([...m]).toEqual(entries);
  });

  it("orders by the key set only, not by insertion order", () => {
    const keys = Array.from({ length: 300 }, (_, i) => `k${i}`);
    const a = PMap.from(keys.map((k) => [k, 1] as const));
    const b = PMap.from([...keys].reverse().map((k) => [k, 1] as const));
    expect([...a.keys()]).toEqual([...b.keys()]);
    expect([...PMap.empty<number>().values()]).toEqual([]);
  });
});

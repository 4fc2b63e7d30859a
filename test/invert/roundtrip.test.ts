/**
 * Every down-generator fixture, proven on PostgreSQL (PGlite): the history is applied, then the up,
 * the generated down and the up again (verify's round trip). Reversible cases must be `exact`; lossy
 * ones restore the schema (exact, or exact except the re-added column's position).
 */
import { describe, expect, it } from "vitest";
import { formatDiff } from "../../src/verify/diff.js";
import { verifyMigrations } from "../../src/verify/verify.js";
import { resetDatabase, sharedPglite } from "../verify/helpers.js";
import { analyzeCase, invertCases } from "./cases.js";

const engine = sharedPglite();

describe("generated downs round-trip on PostgreSQL", () => {
  for (const c of invertCases()) {
    it(c.name, async () => {
      const analyzed = analyzeCase(c);
      await resetDatabase(engine());
      const report = await verifyMigrations(engine(), c.set, {
        from: "up",
        downFor: (m) => (m.id === "up" ? { path: `${c.name}/generated down`, text: analyzed.plan.sql } : undefined),
      });
      expect(report.history).toEqual([]);
      const result = report.results[0]!;
      const expected = c.spec.roundTrip ?? (analyzed.plan.class === "lossy" ? ["exact", "exact-except-column-order"] : "exact");
      const detail = [
        result.failure ? JSON.stringify(result.failure) : "",
        ...(result.downDiff ? formatDiff(result.downDiff) : []),
        ...(result.reupDiff ? formatDiff(result.reupDiff) : []),
      ].join("\n");
      if (Array.isArray(expected)) expect(expected, detail).toContain(result.status);
      else expect(result.status, detail).toBe(expected);
      if (c.spec.class) expect(analyzed.plan.class).toBe(c.spec.class);
    });
  }
});

describe("a transform with no cast back", () => {
  it("restores the type on an empty table (above) and refuses, saying why, on a table with rows", async () => {
    const c = invertCases().find((x) => x.name === "alter-column-type-no-cast-back")!;
    const analyzed = analyzeCase(c);
    await resetDatabase(engine());
    for (const m of c.set.migrations.filter((x) => x.prelude)) await engine().exec(m.up.text);
    await engine().exec("INSERT INTO device_keys (dev_eui, dev_nonces) VALUES ('\\x01', '{1,2,3}')");
    await engine().exec(c.set.migrations.at(-1)!.up.text);
    await expect(engine().exec(analyzed.plan.sql)).rejects.toThrow(
      "device_keys.dev_nonces cannot go back to integer[]: the migration converted its values to jsonb and kept no copy (irreversible); restore the rows from a backup",
    );
    // The refusal comes before the type change: the column still holds the converted values.
    expect(await engine().query<{ v: string }>("SELECT dev_nonces::text AS v FROM device_keys")).toEqual([{ v: '{"0000000000000000": [1, 2, 3]}' }]);
  });
});

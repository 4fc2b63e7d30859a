/**
 * Every down-generator fixture, proven on PostgreSQL (PGlite): the history is applied, then the up,
 * the generated down and the up again (verify's round trip). Reversible cases must be `exact`; lossy
 * ones restore the schema (exact, or exact except the re-added column's position).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadParser } from "../../src/parse/parse.js";
import { formatDiff } from "../../src/verify/diff.js";
import { PgliteEngine } from "../../src/verify/pglite.js";
import { verifyMigrations } from "../../src/verify/verify.js";
import { resetDatabase } from "../verify/helpers.js";
import { analyzeCase, invertCases } from "./cases.js";

let engine: PgliteEngine;

beforeAll(async () => {
  await loadParser();
  engine = await PgliteEngine.create();
});

afterAll(async () => {
  await engine?.close();
});

describe("generated downs round-trip on PostgreSQL", () => {
  for (const c of invertCases()) {
    it(c.name, async () => {
      const analyzed = analyzeCase(c);
      await resetDatabase(engine);
      const report = await verifyMigrations(engine, c.set, {
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

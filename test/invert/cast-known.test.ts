/**
 * `castKnown` against PostgreSQL itself: every pair it calls castable must cast on PGlite (a wrong
 * "yes" gives a down that fails on its cast), and the common pairs must be known (a wrong "no" only
 * makes a down stricter, but should stay rare).
 */
import { describe, expect, it } from "vitest";
import { castKnown } from "../../src/invert/families/column-type.js";
import { sharedPglite } from "../verify/helpers.js";

const TYPES = [
  "smallint", "integer", "bigint", "numeric", "numeric(10,2)", "real", "double precision",
  "text", "character varying", "character varying(20)", "character(3)",
  "boolean", "date", "timestamp without time zone", "timestamp with time zone", "time without time zone",
  "json", "jsonb", "uuid", "bytea", "inet", "cidr",
  "integer[]", "bigint[]", "text[]", "jsonb[]",
];

const engine = sharedPglite();

async function pgCasts(from: string, to: string): Promise<boolean> {
  try {
    // Planning the cast of a typed NULL checks that a cast path exists without needing a value.
    await engine().query(`SELECT NULL::${from}::${to}`);
    return true;
  } catch {
    return false;
  }
}

describe("castKnown", () => {
  it("never claims a cast PostgreSQL does not have, and knows most of those it has", async () => {
    const wrongYes: string[] = [];
    let known = 0;
    let castable = 0;
    for (const from of TYPES) {
      for (const to of TYPES) {
        const pg = await pgCasts(from, to);
        const ours = castKnown(from, to);
        if (ours && !pg) wrongYes.push(`${from} -> ${to}`);
        if (pg) castable++;
        if (pg && ours) known++;
      }
    }
    expect(wrongYes).toEqual([]);
    expect(known / castable).toBeGreaterThan(0.9);
  });

  it("has no cast from jsonb back to integer[] (chirpstack's dev_nonces), nor from uuid to integer", () => {
    expect(castKnown("jsonb", "integer[]")).toBe(false);
    expect(castKnown("uuid", "integer")).toBe(false);
    expect(castKnown("integer", "text")).toBe(true);
    expect(castKnown("real", "integer")).toBe(true);
  });
});

import { expect } from "vitest";
import type { DynamicSql } from "../../../src/extract/extract.js";

/** A call its mapper cannot read: no SQL at all, and one `unmapped-call` whose text holds the reason. */
export function expectUnmapped(direction: { sql: readonly unknown[]; dynamic: readonly DynamicSql[] }, reason: RegExp | string): void {
  expect(direction.sql).toEqual([]);
  expect(direction.dynamic.map((d) => d.kind)).toEqual(["unmapped-call"]);
  expect(direction.dynamic[0]!.expression).toMatch(reason);
}

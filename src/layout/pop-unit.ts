/**
 * Pop's split migrations: `20200810141652000003` is step 3 of version 20200810141652, and the steps of
 * one version are applied and rolled back together. Its own module: the rules read it on every lint
 * run, and src/verify/verify.ts (where it was) brings the whole round-trip engine with it.
 */
import type { Migration } from "./types.js";

export function popUnit(m: Migration): string {
  return /^\d{20}$/.test(m.version) ? m.version.slice(0, 14) : m.id;
}

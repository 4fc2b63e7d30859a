/**
 * The per-migration digest every `--cache` key feeds (src/pipeline/migration-digest.ts): equal for
 * equal migrations, different for any change a key must see (text, path, facts, a down added), and
 * the keys built on it miss when a migration changes.
 */
import { describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/schema.js";
import { outcomeKey } from "../../src/pipeline/cache.js";
import { migrationSetFromSql } from "../../src/pipeline/in-memory.js";
import { migrationDigest } from "../../src/pipeline/migration-digest.js";
import { prefixKeys } from "../../src/pipeline/prefix-cache.js";
import type { AnalyzeOptions } from "../../src/pipeline/analyze.js";

const sql = [
  { name: "1_a", up: "CREATE TABLE a (id int);", down: "DROP TABLE a;" },
  { name: "2_b", up: "CREATE TABLE b (id int);" },
];
const options = { rules: [], searchPath: ["public"], settings: {} } as unknown as AnalyzeOptions;

describe("migrationDigest", () => {
  it("is the same for equal migrations and differs for any change", () => {
    const [a, b] = migrationSetFromSql(sql).migrations;
    const [a2] = migrationSetFromSql(sql).migrations;
    expect(a).not.toBe(a2);
    expect(migrationDigest(a!)).toMatch(/^[0-9a-f]{64}$/);
    expect(migrationDigest(a2!)).toBe(migrationDigest(a!));
    expect(migrationDigest(b!)).not.toBe(migrationDigest(a!));
    const variants = [
      { ...a!, up: { ...a!.up, text: `${a!.up.text} ` } },
      { ...a!, up: { ...a!.up, path: "elsewhere.sql" } },
      { ...a!, id: "1_other" },
      { ...a!, down: undefined },
      // Text moved from the up to the down: the length in the digest keeps the two apart.
      { ...a!, up: { ...a!.up, text: "CREATE TABLE a (id int);DROP" }, down: { ...a!.down!, text: " TABLE a;" } },
    ];
    const digests = new Set([migrationDigest(a!), ...variants.map(migrationDigest)]);
    expect(digests.size).toBe(variants.length + 1);
  });

  it("carries a change into the outcome and history-prefix keys", () => {
    const set = migrationSetFromSql(sql);
    const edited = migrationSetFromSql([{ ...sql[0]!, down: "DROP TABLE a CASCADE;" }, sql[1]!]);
    expect(outcomeKey(edited, options, defaultConfig())).not.toBe(outcomeKey(set, options, defaultConfig()));
    expect(outcomeKey(migrationSetFromSql(sql), options, defaultConfig())).toBe(outcomeKey(set, options, defaultConfig()));
    const before = prefixKeys(set, options, 2).keys;
    const after = prefixKeys(edited, options, 2).keys;
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).not.toBe(before[1]);
    expect(prefixKeys(migrationSetFromSql(sql), options, 2).keys).toEqual(before);
  });
});

/**
 * A large file's data statements keep no syntax tree (lazy-node.ts): the tree read later must be the
 * tree the chunk parse gave, at the same file positions, and a whole analysis must report the same
 * findings and downs as with every tree kept, while holding at most a few parsed trees, and without
 * parsing a statement again: every part of the pipeline reads a tree while its chunk is alive.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { defaultConfig } from "../../src/config/schema.js";
import { resolveRules } from "../../src/lint/engine.js";
import { cachedPayloads, isLazyNode, treesParsedAgain } from "../../src/parse/lazy-node.js";
import { CHUNK_CHARS, LAZY_TREES_ABOVE, loadParser, parseSql, treeRetention } from "../../src/parse/parse.js";
import { SourceText } from "../../src/parse/source.js";
import type { Statement } from "../../src/parse/types.js";
import { analyzeSet } from "../../src/pipeline/analyze.js";
import { migrationSetFromSql } from "../../src/pipeline/in-memory.js";

beforeAll(loadParser);
// Files above one chunk drop their data statements' trees here, so a test file of 2 chunks exercises it.
beforeEach(() => {
  treeRetention.lazyAbove = CHUNK_CHARS;
});
afterEach(() => {
  treeRetention.lazyAbove = LAZY_TREES_ABOVE;
});

/** Data statements of every kind the lazy trees cover, and some they do not, over more than one chunk. */
function dataMigration(minChars: number): string {
  const lines: string[] = [];
  for (let i = 0, chars = 0; chars < minChars; i++) {
    const line = [
      `INSERT INTO items (id, name, qty) VALUES (${i}, 'name ${i} é', ${i % 7});`,
      `insert into items (id, name) values (${i + 1_000_000}, 'n'), (${i + 2_000_000}, 'm') ON CONFLICT (id) DO NOTHING;`,
      `-- row ${i}\nUPDATE items SET qty = qty + 1 WHERE id = ${i};`,
      `DELETE FROM log WHERE id = ${i};`,
      `WITH src AS (SELECT ${i} AS id) INSERT INTO log (id, msg) SELECT id, 'w' FROM src;`,
      `INSERT INTO log (id, msg) VALUES (${i}, 'x'::text);`,
    ][i % 6]!;
    lines.push(line);
    chars += line.length + 1;
  }
  return lines.join("\n") + "\n";
}

/** The tree with every `location` turned into a file byte offset, so trees parsed from different starts compare. */
function absolute(node: unknown, base: number): unknown {
  if (Array.isArray(node)) return node.map((n) => absolute(n, base));
  if (!node || typeof node !== "object") return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === "location" && typeof v === "number" && v >= 0 ? v + base : absolute(v, base);
  return out;
}

const tree = (s: Statement) => absolute(JSON.parse(JSON.stringify(s.node)), s.locationBase!);

describe("syntax trees of a large file's data statements", () => {
  const text = dataMigration(2.2 * CHUNK_CHARS);

  it("are not kept, and read back as the chunk parse's trees at the same file positions", { timeout: 120_000 }, () => {
    const lazy = parseSql(new SourceText(text, "big.sql"));
    const kept = parseSql(new SourceText(text, "big.sql"), undefined, undefined, Infinity);
    expect(lazy.statements.length).toBe(kept.statements.length);
    expect(lazy.statements.length).toBeGreaterThan(5_000);
    const dropped = lazy.statements.filter((s) => isLazyNode(s.node));
    // Every INSERT/UPDATE/DELETE that starts with its keyword; not the WITH … INSERT.
    expect(dropped.length).toBe(lazy.statements.filter((s) => !s.text.startsWith("WITH")).length);
    expect(kept.statements.some((s) => isLazyNode(s.node))).toBe(false);
    lazy.statements.forEach((s, i) => {
      const k = kept.statements[i]!;
      expect([s.tag, s.text, s.range]).toEqual([k.tag, k.text, k.range]);
      expect(tree(s)).toEqual(tree(k));
    });
    expect(cachedPayloads()).toBeLessThanOrEqual(256);
  });

  it("answer a question about another kind without being parsed", () => {
    const s = parseSql(new SourceText(text, "big.sql")).statements[0]!;
    expect(isLazyNode(s.node)).toBe(true);
    expect(Object.keys(s.node)).toEqual(["InsertStmt"]);
    expect((s.node as Record<string, unknown>)["AlterTableStmt"]).toBeUndefined();
  });

  const config = defaultConfig();
  const options = { settings: { pgVersion: config.pgVersion, timeoutsSetByRunner: false }, searchPath: config.searchPath, rules: resolveRules(allRules, config) };
  const set = (up: string) =>
    migrationSetFromSql(
      [
        { name: "001_create", up: "CREATE TABLE items (id bigint PRIMARY KEY, name text NOT NULL, qty int);\nCREATE TABLE log (id bigint PRIMARY KEY, msg text);", prelude: true },
        { name: "002_data", up, transactional: false },
      ],
      "migrations",
    );

  it("are parsed once by a whole analysis: the replay, the down planner and every rule read them while alive", { timeout: 120_000 }, () => {
    const parsedAgain = treesParsedAgain();
    const m = analyzeSet(set(text), options).migrations.at(-1)!;
    expect(m.up.statements.filter((s) => isLazyNode(s.node)).length).toBeGreaterThan(5_000);
    expect(m.findings.length).toBeGreaterThan(5_000);
    expect(m.plan.sql).toContain("DELETE FROM items WHERE id IN (0)");
    expect(treesParsedAgain() - parsedAgain).toBe(0);
    // Reading a dropped tree after its chunk is a real parse, and the counter sees it.
    const s = m.up.statements.find((x) => isLazyNode(x.node) && x.tag === "UpdateStmt")!;
    expect((s.node as { UpdateStmt: { whereClause?: unknown } }).UpdateStmt.whereClause).toBeDefined();
    expect(treesParsedAgain() - parsedAgain).toBe(1);
  });

  it("give the same findings and the same down as with every tree kept, holding a bounded number of trees", { timeout: 300_000 }, () => {
    const lazy = analyzeSet(set("UPDATE items SET qty = 0;\n" + text), options).migrations.at(-1)!;
    const lazyUp = lazy.up.statements.filter((s) => isLazyNode(s.node)).length;
    expect(cachedPayloads()).toBeLessThanOrEqual(256);
    treeRetention.lazyAbove = Infinity;
    const kept = analyzeSet(set("UPDATE items SET qty = 0;\n" + text), options).migrations.at(-1)!;
    expect(lazyUp).toBeGreaterThan(5_000);
    expect(kept.up.statements.some((s) => isLazyNode(s.node))).toBe(false);
    expect(lazy.findings.length).toBeGreaterThan(0);
    expect(lazy.findings).toEqual(kept.findings);
    expect(lazy.plan.sql).toBe(kept.plan.sql);
    expect(lazy.plan.class).toBe(kept.plan.class);
    // The INSERTs into a table the migration did not create are undone key by key: their trees were read.
    expect(lazy.plan.sql).toContain("DELETE FROM items WHERE id IN (0)");
  });
});

/**
 * The shared pieces the rules stand on: the transaction model per runner mode, type parsing, the
 * rewrite table, volatility, and ignore directives end to end.
 */
import { beforeAll, describe, expect, it } from "vitest";
import banDropTable from "../../rules/ban-drop-table.js";
import requireConcurrentIndexCreation from "../../rules/require-concurrent-index-creation.js";
import unusedIgnore from "../../rules/unused-ignore.js";
import { allRules } from "../../rules/index.js";
import { alterSites } from "../../rules/_shared/sql.js";
import { isNarrowing, typeChangeEffect } from "../../rules/_shared/rewrite.js";
import { parseTypeText, typeToString } from "../../rules/_shared/types.js";
import { functionVolatility } from "../../rules/_shared/volatility.js";
import { defaultConfig } from "../../src/config/schema.js";
import { resolveRules } from "../../src/lint/engine.js";
import { computeTransactions } from "../../src/lint/transactions.js";
import { SourceText } from "../../src/parse/source.js";
import { loadParser, parseSql } from "../../src/parse/parse.js";
import { analyzeSet } from "../../src/pipeline/analyze.js";
import { migrationSetFromSql } from "../../src/pipeline/in-memory.js";

beforeAll(async () => {
  await loadParser();
});

const statements = (sql: string) => parseSql(new SourceText(sql)).statements;

describe("transaction model", () => {
  const model = (sql: string, mode: "per-migration" | "all-pending" | "single-query" | "per-statement") => {
    const stmts = statements(sql);
    const m = computeTransactions(stmts, { transactional: mode === "per-migration" || mode === "all-pending", transactionMode: mode });
    return { blocks: stmts.map((s) => m.states.get(s)!.block), events: m.events.map((e) => e.kind) };
  };
  it("per-migration: one runner block; a nested BEGIN warns and its COMMIT ends the runner's block", () => {
    expect(model("CREATE TABLE a (i int);\nBEGIN;\nCREATE TABLE b (i int);\nCOMMIT;\nCREATE TABLE c (i int);", "per-migration")).toEqual({
      blocks: [1, 1, 1, 1, -1],
      events: ["begin-nested", "commit-ends-runner-transaction"],
    });
  });
  it("single-query: several statements are one implicit block; BEGIN makes it explicit; after COMMIT a new one starts", () => {
    expect(model("CREATE TABLE a (i int);\nBEGIN;\nCREATE TABLE b (i int);\nCOMMIT;\nCREATE TABLE c (i int);\nCREATE TABLE d (i int);", "single-query")).toEqual({
      blocks: [1, 1, 1, 1, 2, 2],
      events: [],
    });
  });
  it("single-query: one statement runs outside any block", () => {
    expect(model("CREATE INDEX CONCURRENTLY i ON t (a);", "single-query")).toEqual({ blocks: [-1], events: [] });
  });
  it("per-statement: only explicit blocks", () => {
    expect(model("CREATE TABLE a (i int);\nBEGIN;\nCREATE TABLE b (i int);\nCOMMIT;\nCOMMIT;\nBEGIN;", "per-statement")).toEqual({
      blocks: [-1, 1, 1, 1, -1, 2],
      events: ["commit-without-begin", "unclosed"],
    });
  });
  it("a plain boolean still works (the layout's transactional flag)", () => {
    const m = computeTransactions(statements("SELECT 1;"), true);
    expect(m.mode).toBe("per-migration");
  });
});

describe("types", () => {
  it.each([
    ["character varying(255)", "character varying", [255], 0],
    ["numeric(10,2)", "numeric", [10, 2], 0],
    ["timestamp(3) without time zone", "timestamp without time zone", [3], 0],
    ["integer[]", "integer", [], 1],
    ["public.mood", "mood", [], 0],
    ['"Weird Type"', "Weird Type", [], 0],
    ["int4", "integer", [], 0],
  ])("parses %s", (text, name, mods, array) => {
    expect(parseTypeText(text)).toMatchObject({ name, mods, array });
  });
  it("prints timestamp precision where format_type does", () => {
    expect(typeToString(parseTypeText("timestamp(3) with time zone"))).toBe("timestamp(3) with time zone");
  });
});

describe("type changes that rewrite", () => {
  const effect = (from: string, to: string, pgVersion = 14) => typeChangeEffect({ oldType: from, newType: parseTypeText(to), column: "c", pgVersion }).kind;
  it.each([
    ["character varying(10)", "character varying(20)", "none"],
    ["character varying(10)", "text", "none"],
    ["text", "character varying", "none"],
    ["text", "character varying(10)", "rewrite"],
    ["character varying(20)", "character varying(10)", "rewrite"],
    ["numeric(10,2)", "numeric(12,2)", "none"],
    ["numeric(10,2)", "numeric(10,3)", "rewrite"],
    ["numeric", "numeric(10,2)", "rewrite"],
    ["timestamp(0) without time zone", "timestamp(3) without time zone", "none"],
    ["timestamp(3) without time zone", "timestamp(0) without time zone", "rewrite"],
    ["timestamp without time zone", "timestamp with time zone", "timezone"],
    ["cidr", "inet", "none"],
    ["integer", "bigint", "rewrite"],
    ["character(2)", "text", "rewrite"],
    ["text", "citext", "none"],
    ["integer[]", "bigint[]", "rewrite"],
  ])("%s → %s: %s", (from, to, kind) => {
    expect(effect(from, to)).toBe(kind);
  });
  it("timestamp ↔ timestamptz rewrites before PostgreSQL 12", () => {
    expect(effect("timestamp without time zone", "timestamp with time zone", 11)).toBe("rewrite");
  });
  it("an unknown current type is unknown", () => {
    expect(typeChangeEffect({ oldType: undefined, newType: parseTypeText("bigint"), column: "c", pgVersion: 14 }).kind).toBe("unknown");
  });
  it.each([
    ["character varying(100)", "character varying(10)", true],
    ["character varying(10)", "text", false],
    ["bigint", "integer", true],
    ["integer", "bigint", false],
    ["text", "integer", true],
  ])("narrowing %s → %s: %s", (from, to, narrowing) => {
    expect(isNarrowing(from, parseTypeText(to))).toBe(narrowing);
  });
});

describe("volatility", () => {
  it.each([
    [["now"], "non-volatile"],
    [["gen_random_uuid"], "volatile"],
    [["pg_catalog", "random"], "volatile"],
    [["lower"], "non-volatile"],
    [["uuid_generate_v4"], "volatile"],
    [["my_function"], "unknown"],
  ] as [string[], string][])("%j is %s", (name, v) => {
    expect(functionVolatility(name)).toBe(v);
  });
});

describe("ignore directives with the rules", () => {
  const lint = (sql: string) => {
    const set = migrationSetFromSql([{ name: "m", up: sql }]);
    const config = defaultConfig();
    return analyzeSet(set, {
      settings: { pgVersion: 14, timeoutsSetByRunner: false },
      searchPath: config.searchPath,
      rules: resolveRules([requireConcurrentIndexCreation, banDropTable, unusedIgnore], config),
    }).migrations[0]!.findings.map((f) => `${f.ruleId}@${f.range.start.line}`);
  };
  it("a statement directive suppresses the named rule for the next statement only", () => {
    expect(lint("-- migration-lint-ignore require-concurrent-index-creation -- tiny table\nCREATE INDEX a ON t (x);\nCREATE INDEX b ON t (x);")).toEqual(["require-concurrent-index-creation@3"]);
  });
  it("a directive before a DO block covers the statements inside it", () => {
    expect(lint("-- migration-lint-ignore ban-drop-table\nDO $$ BEGIN DROP TABLE t; END $$;")).toEqual([]);
  });
  it("a file directive covers the whole file", () => {
    expect(lint("CREATE INDEX a ON t (x);\n-- migration-lint-ignore-file require-concurrent-index-creation\nCREATE INDEX b ON t (x);")).toEqual([]);
  });
  it("a directive that suppresses nothing is reported", () => {
    expect(lint("-- migration-lint-ignore ban-drop-table\nCREATE INDEX a ON t (x);")).toEqual(["unused-ignore@1", "require-concurrent-index-creation@2"]);
  });
});

describe("facts shared by the rules of a migration", () => {
  // Three migrations whose ALTER TABLE actions, column types and lock effects differ: a fact shared
  // between rules (alterSites, the column sites, lock effects) must be the migration's own.
  const migrations = [
    { name: "1", up: "CREATE TABLE a (id int PRIMARY KEY, x int);\nCREATE TABLE b (id int PRIMARY KEY);" },
    { name: "2", up: "ALTER TABLE a ADD COLUMN y int NOT NULL DEFAULT 0, ADD CONSTRAINT a_b FOREIGN KEY (x) REFERENCES b (id);\nALTER TABLE b ALTER COLUMN id TYPE bigint;" },
    { name: "3", up: "ALTER TABLE a DROP COLUMN y;\nALTER TABLE a ALTER COLUMN x SET NOT NULL;\nCREATE INDEX a_x ON a (x);" },
  ];
  const lint = (rules: typeof allRules) => {
    const config = defaultConfig();
    return analyzeSet(migrationSetFromSql(migrations), {
      settings: { pgVersion: 16, timeoutsSetByRunner: false },
      searchPath: config.searchPath,
      rules: resolveRules(rules, config),
    }).migrations.map((m) => m.findings.map((f) => `${f.ruleId}@${m.migration.id}:${f.range.start.line}:${f.range.start.column}`));
  };
  it("gives every rule, run with all the others, the findings it gives alone", () => {
    const together = lint(allRules);
    const alone = allRules.map((r) => lint([r]));
    const sorted = (l: string[][]) => l.map((m) => [...m].sort());
    const merged = together.map((_, i) => alone.flatMap((a) => a[i]!));
    expect(sorted(together)).toEqual(sorted(merged));
    // The rules that read ALTER TABLE actions did find them in migrations 2 and 3.
    expect(together[1]!.some((f) => f.startsWith("adding-foreign-key-constraint@2:1"))).toBe(true);
    expect(together[2]!.some((f) => f.startsWith("ban-drop-column@3:1"))).toBe(true);
  });
  it("lists a statement list's ALTER TABLE actions once, the same list for every reader", () => {
    const stmts = statements("ALTER TABLE a ADD COLUMN c int, DROP COLUMN d;\nCREATE TABLE t (i int);\nALTER INDEX i RENAME TO j;\nALTER TABLE b DROP CONSTRAINT k;");
    const sites = alterSites(stmts);
    expect(sites.map((s) => [s.stmt.index, s.alter.relation.relname, s.cmd.subtype])).toEqual([
      [0, "a", "AT_AddColumn"],
      [0, "a", "AT_DropColumn"],
      [3, "b", "AT_DropConstraint"],
    ]);
    expect(alterSites(stmts)).toBe(sites);
    expect(alterSites(statements("ALTER TABLE z DROP COLUMN q;")).map((s) => s.alter.relation.relname)).toEqual(["z"]);
  });
});

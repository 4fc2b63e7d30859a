/**
 * Property: whatever text a migration holds (arbitrary strings, real corpus files cut at random
 * offsets or with random bytes inserted), parse → replay → down plan → rules → every formatter
 * finishes and yields findings; nothing throws.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { globbySync } from "globby";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { lintFiles } from "../../src/api.js";
import { defaultConfig } from "../../src/config/schema.js";
import { InputError } from "../../src/errors.js";
import { resolveRules } from "../../src/lint/engine.js";
import { loadParser } from "../../src/parse/parse.js";
import { analyzeSet } from "../../src/pipeline/analyze.js";
import { migrationSetFromSql } from "../../src/pipeline/in-memory.js";
import { formatters, FORMATS } from "../../src/report/index.js";

const CORPUS = path.resolve(import.meta.dirname, "../../../shared/corpus");
const corpusFiles = globbySync("**/*.sql", { cwd: CORPUS })
  .sort()
  .map((f) => readFileSync(path.join(CORPUS, f), "utf8"));

beforeAll(loadParser);

function pipeline(up: string, down?: string): number {
  const config = defaultConfig();
  const result = analyzeSet(migrationSetFromSql([{ name: "history", up: "CREATE TABLE t (id int primary key, a text);", prelude: true }, { name: "m", up, down }]), {
    settings: { pgVersion: config.pgVersion, timeoutsSetByRunner: false },
    searchPath: config.searchPath,
    rules: resolveRules(allRules, config),
  });
  const m = result.migrations.at(-1)!;
  for (const format of FORMATS) {
    formatters[format]({
      files: [{ path: m.migration.up.path, migrationId: "m", root: "<memory>", layout: "plain", role: "up", reversibility: m.plan.class }],
      findings: m.findings,
      rules: allRules.map((r) => r.meta),
      toolVersion: "0",
      color: false,
    });
  }
  return m.findings.length + m.up.statements.length;
}

const sqlish = fc.stringMatching(/^[\sa-zA-Z0-9_(),;'"$*\-/.=<>:]*$/, { maxLength: 200 });
const sqlWords = fc
  .array(fc.constantFrom("CREATE", "TABLE", "t", "(", ")", ";", "ALTER", "ADD", "COLUMN", "DROP", "INDEX", "DO", "$$", "BEGIN", "END", "'", "--", "/*", "*/", "int", ",", "\n", "CONCURRENTLY", "IF", "NOT", "EXISTS"), { maxLength: 40 })
  .map((w) => w.join(" "));

describe("pipeline robustness", () => {
  it("never throws on arbitrary text", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), sqlish, sqlWords), fc.option(sqlWords, { nil: undefined }), (up, down) => {
        expect(pipeline(up, down)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 400 },
    );
  });

  it("never throws on corpus files truncated or with random bytes inserted", () => {
    expect(corpusFiles.length).toBeGreaterThan(2000);
    const mutated = fc
      .tuple(fc.integer({ min: 0, max: corpusFiles.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.string({ unit: "binary", maxLength: 8 }), fc.boolean())
      .map(([i, at, bytes, truncate]) => {
        const text = corpusFiles[i]!;
        const cut = Math.floor(at * text.length);
        return truncate ? text.slice(0, cut) : text.slice(0, cut) + bytes + text.slice(cut);
      });
    fc.assert(
      fc.property(mutated, (text) => {
        expect(pipeline(text)).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * The bytes a real file can hold and a string cannot: invalid UTF-8 and NUL bytes go through the real
 * file reader (one `invalid byte sequence` InputError at a line:col inside the file, or a clean lint),
 * and inline ROLLBACK sections, commented or live, go through discovery into the whole pipeline.
 */
describe("pipeline robustness: file bytes and inline sections", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "mll-fuzz-bytes-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;

  async function lintBytes(bytes: Buffer): Promise<{ findings: number } | { error: InputError }> {
    const root = path.join(dir, `case${n++}`);
    mkdirSync(root);
    writeFileSync(path.join(root, "001_m.sql"), bytes);
    try {
      const result = await lintFiles([root], { workers: 0 });
      return { findings: result.findings.length };
    } catch (error) {
      if (error instanceof InputError) return { error };
      throw error;
    }
  }

  const badBytes = fc.constantFrom([0xe9], [0x00], [0xc3], [0xed, 0xa0, 0x80], [0xff, 0xfe], [0xf8, 0x88, 0x80, 0x80], [0xc0, 0xaf]);

  it("invalid UTF-8 and NUL bytes: an input error at the byte's line:col, never a crash nor a silent U+FFFD", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: corpusFiles.length - 1 }), fc.double({ min: 0, max: 1, noNaN: true }), badBytes, async (i, at, bad) => {
        const text = Buffer.from(corpusFiles[i]!.slice(0, 2000), "utf8");
        let cut = Math.floor(at * text.length);
        while (cut > 0 && (text[cut]! & 0xc0) === 0x80) cut--; // on a character boundary, so the bad bytes are the only bad ones
        const bytes = Buffer.concat([text.subarray(0, cut), Buffer.from(bad), text.subarray(cut)]);
        const outcome = await lintBytes(bytes);
        expect("error" in outcome, "a file PostgreSQL rejects must not lint").toBe(true);
        const error = (outcome as { error: InputError }).error;
        expect(error.message).toMatch(/^invalid byte sequence for encoding "UTF8": 0x[0-9a-f]{2}/);
        const before = bytes.subarray(0, cut).toString("utf8");
        expect(error.position?.line).toBe(before.split("\n").length);
      }),
      { numRuns: 40 },
    );
  });

  const sectionBody = fc.array(fc.constantFrom("DROP TABLE t;", "ALTER TABLE t DROP COLUMN a;", "-- a note", "", "  DROP INDEX i;", "SELECT 1;"), { maxLength: 5 });

  it("inline ROLLBACK sections, commented or live, never throw, and a live one is always reported", async () => {
    await fc.assert(
      fc.asyncProperty(sqlWords, sectionBody, fc.boolean(), async (up, body, commented) => {
        const lines = body.map((l) => (commented && l.trim() ? `-- ${l}` : l));
        const text = `${up}\n-- ROLLBACK START\n${lines.join("\n")}\n-- ROLLBACK END\n`;
        const root = path.join(dir, `sec${n++}`);
        mkdirSync(root);
        writeFileSync(path.join(root, "001_m.sql"), text);
        const result = await lintFiles([root], { workers: 0 });
        const live = !commented && body.some((l) => l.trim() && !l.trim().startsWith("--"));
        expect(result.findings.some((f) => f.ruleId === "live-rollback-section")).toBe(live);
      }),
      { numRuns: 40 },
    );
  });
});

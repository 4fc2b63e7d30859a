/**
 * A table-driven rule tester in the manner of ESLint's RuleTester: each rule's test lists `valid`
 * cases (the rule must stay silent) and `invalid` cases (the rule must report exactly the listed
 * message ids, in order; optionally at a line:column, and with a fixed output).
 *
 * A case is a small history: `history` migrations are applied in production (their objects are old),
 * `pending` migrations are earlier but not applied yet (their objects are new), then `sql` is linted.
 * Only the rule under test runs.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { defaultConfig } from "../../src/config/schema.js";
import type { TransactionMode } from "../../src/layout/types.js";
import { resolveRules } from "../../src/lint/engine.js";
import type { Rule } from "../../src/lint/rule.js";
import type { Finding, Fix } from "../../src/lint/types.js";
import { loadParser } from "../../src/parse/parse.js";
import { analyzeSet } from "../../src/pipeline/analyze.js";
import { migrationSetFromSql, type SqlMigrationInput } from "../../src/pipeline/in-memory.js";

export interface RuleCase {
  name?: string;
  sql: string;
  /** A hand-written down for the migration under test. */
  down?: string;
  /** Applied migrations before this one. */
  history?: string[];
  /** Earlier migrations not applied in production yet (`--since`). */
  pending?: string[];
  /** Does the runner wrap the migration in a transaction? Default true. */
  transactional?: boolean;
  /** The layout's finer transaction mode, when the case needs it. */
  mode?: TransactionMode;
  pgVersion?: number;
  timeoutsSetByRunner?: boolean;
  options?: Record<string, unknown>;
}

export interface ExpectedError {
  messageId: string;
  /** `line:column` of the finding's start. */
  at?: string;
  data?: Record<string, string | number>;
}

export interface InvalidCase extends RuleCase {
  errors: (string | ExpectedError)[];
  /** The up file after applying every fix the rule offered. */
  output?: string;
}

export interface RunResult {
  findings: Finding[];
  text: string;
}

export function runRule(rule: Rule, c: RuleCase): RunResult {
  const base = defaultConfig();
  const inputs: SqlMigrationInput[] = [];
  (c.history ?? []).forEach((up, i) => inputs.push({ name: `h${String(i).padStart(3, "0")}`, up }));
  (c.pending ?? []).forEach((up, i) => inputs.push({ name: `p${String(i).padStart(3, "0")}`, up }));
  inputs.push({ name: "under_test", up: c.sql, ...(c.down !== undefined ? { down: c.down } : {}), transactional: c.transactional ?? (c.mode ? c.mode === "per-migration" || c.mode === "all-pending" : true) });
  const set = migrationSetFromSql(inputs, "mem");
  if (c.mode) set.migrations.at(-1)!.transactionMode = c.mode;
  const selected = new Set(["under_test"]);
  const unapplied = new Set([...set.migrations.filter((m) => m.id.startsWith("p")).map((m) => m.id), "under_test"]);
  const analyzed = analyzeSet(set, {
    settings: { pgVersion: c.pgVersion ?? base.pgVersion, timeoutsSetByRunner: c.timeoutsSetByRunner ?? false },
    searchPath: base.searchPath,
    rules: resolveRules([rule], { rules: { [rule.meta.id]: ["warning", c.options ?? {}] } }),
    selected,
    unapplied,
  });
  const findings = analyzed.migrations.at(-1)!.findings;
  const internal = findings.filter((f) => f.ruleId === "internal-error");
  if (internal.length) throw new Error(internal.map((f) => f.message).join("\n"));
  return { findings: findings.filter((f) => f.ruleId === rule.meta.id), text: c.sql };
}

/** Applies every fix's edits (non-overlapping ones, last first) to the text. */
export function applyFixes(text: string, fixes: readonly Fix[]): string {
  const edits = fixes.flatMap((f) => f.edits).sort((a, b) => b.start - a.start || b.end - a.end);
  let out = text;
  let limit = Infinity;
  for (const e of edits) {
    if (e.end > limit) continue;
    out = out.slice(0, e.start) + e.text + out.slice(e.end);
    limit = e.start;
  }
  return out;
}

const label = (c: RuleCase): string => c.name ?? c.sql.replace(/\s+/g, " ").trim().slice(0, 90);

export function ruleTester(rule: Rule, cases: { valid: (string | RuleCase)[]; invalid: InvalidCase[] }): void {
  describe(rule.meta.id, () => {
    beforeAll(async () => {
      await loadParser();
    });
    for (const v of cases.valid) {
      const c = typeof v === "string" ? { sql: v } : v;
      it(`valid: ${label(c)}`, () => {
        const { findings } = runRule(rule, c);
        expect(findings.map((f) => `${f.messageId} ${f.range.start.line}:${f.range.start.column} ${f.message}`)).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${label(c)}`, () => {
        const { findings, text } = runRule(rule, c);
        const expected = c.errors.map((e) => (typeof e === "string" ? { messageId: e } : e));
        expect(findings.map((f) => f.messageId)).toEqual(expected.map((e) => e.messageId));
        expected.forEach((e, i) => {
          const f = findings[i]!;
          if (e.at) expect(`${f.range.start.line}:${f.range.start.column}`).toBe(e.at);
          if (e.data) expect(f.data).toMatchObject(e.data);
          // Every message renders without leftover placeholders.
          expect(f.message).not.toMatch(/\{\{/);
        });
        if (c.output !== undefined) expect(applyFixes(text, findings.flatMap((f) => (f.fix ? [f.fix] : [])))).toBe(c.output);
      });
    }
  });
}

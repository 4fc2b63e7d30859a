/**
 * `npm run parity`: squawk and migration-lint over the same corpus, compared statement by statement.
 *
 * For every migration set the layout discovery finds under the corpus, each linted up file is given
 * to squawk (`node_modules/.bin/squawk`, from the squawk-cli devDependency) with
 * `--assume-in-transaction` exactly when our transaction model says the file's first statement runs
 * in a transaction, and the same `--pg-version`. Both tools' findings are mapped to the top-level
 * statement that contains them. Per squawk rule, the report lists the statements squawk flags that
 * migration-lint does not flag with any rule covering it (the rules whose `docs.peers.squawk` name
 * it), and the reverse.
 *
 *   node dist/bench/parity.js [corpusDir] [--examples N] [--json out.json] [--rule squawk-rule]
 */
import { execFileSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { RangeVar } from "@pgsql/types";
import { createdNames } from "../rules/_shared/history.js";
import { typeChangeEffect } from "../rules/_shared/rewrite.js";
import { alterSites, columnConstraints, columnDef, columnDefault } from "../rules/_shared/sql.js";
import { typeOfTypeName } from "../rules/_shared/types.js";
import { volatileCalls } from "../rules/_shared/volatility.js";
import { allRules } from "../rules/index.js";
import { defaultConfig } from "../src/config/schema.js";
import { discover } from "../src/layout/discover.js";
import { resolveRules } from "../src/lint/engine.js";
import { loadParser } from "../src/parse/parse.js";
import type { Statement } from "../src/parse/types.js";
import { analyzeSet, type AnalyzedMigration } from "../src/pipeline/analyze.js";

interface SquawkViolation {
  file: string;
  line: number;
  column: number;
  rule_name: string;
  message: string;
}

interface Flag {
  /** `absolute path#statement index` */
  key: string;
  file: string;
  line: number;
  text: string;
  detail: string;
  /** Why the tools disagree, when a fact about the statement explains it. */
  why?: string;
}

/** Every relation name in an AST (RangeVars appear unwrapped under `relation`, so they are found by shape). */
function relationNames(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) relationNames(n, out);
  else if (node && typeof node === "object") {
    const o = node as Record<string, unknown>;
    if (typeof o["relname"] === "string") out.push(o["relname"]);
    for (const v of Object.values(o)) relationNames(v, out);
  }
  return out;
}

/** ALTER TABLE actions that succeed when run twice. */
const RERUNNABLE = new Set(["AT_AlterColumnType", "AT_SetNotNull", "AT_DropNotNull", "AT_ColumnDefault", "AT_SetStatistics", "AT_SetOptions", "AT_SetStorage", "AT_EnableRowSecurity", "AT_DisableRowSecurity", "AT_ForceRowSecurity", "AT_ValidateConstraint", "AT_ChangeOwner", "AT_SetLogged", "AT_SetUnLogged"]);

/** The table a statement alters, as the catalog before the migration has it. */
function tableBefore(m: AnalyzedMigration, rv: RangeVar) {
  const c = m.catalogBefore;
  return c.tables.get(`${rv.schemaname ?? "public"}.${rv.relname}`) ?? [...c.tables.values()].find((t) => t.name === rv.relname);
}

/** Column types spelled `character varying` (varchar) in a statement, and whether any is a real `char`. */
function charSpellings(s: Statement): { twoWordVarchar: boolean; realChar: boolean } {
  const text = s.text.replace(/--[^\n]*|\/\*[^]*?\*\//g, " ");
  return { twoWordVarchar: /\bcharacter\s+varying\b/i.test(text), realChar: /\b(?:char|character|bpchar)\b(?!\s+varying)\s*(?:\(|,|\)|\s+(?:not|null|default|primary|unique|references|check|constraint|collate)\b)/i.test(text) };
}

/** Rule-specific facts, computed from the statement and the catalog before the migration. */
function explainRule(m: AnalyzedMigration, s: Statement, squawkRule: string, weMiss: boolean): string | undefined {
  // squawk 2.61 takes the two-word spelling `character varying` (a varchar) for `character`: it
  // reports such columns under ban-char-field and never under prefer-text-field.
  const spelling = squawkRule === "ban-char-field" || squawkRule === "prefer-text-field" ? charSpellings(s) : undefined;
  if (spelling?.twoWordVarchar && squawkRule === "ban-char-field" && weMiss && !spelling.realChar) return "squawk 2.61 reads `character varying` (a varchar) as char";
  if (spelling?.twoWordVarchar && squawkRule === "prefer-text-field" && !weMiss) return "`character varying(n)`: squawk 2.61 reports it as ban-char-field instead";
  const sites = alterSites([s]);
  if (squawkRule === "changing-column-type" && weMiss) {
    const kinds = new Set<string>();
    for (const { alter, cmd } of sites) {
      const col = columnDef(cmd.def);
      if (cmd.subtype !== "AT_AlterColumnType" || !col?.typeName || !cmd.name) continue;
      const old = tableBefore(m, alter.relation)?.columns.find((c) => c.name === cmd.name)?.type;
      kinds.add(typeChangeEffect({ oldType: old, newType: typeOfTypeName(col.typeName), column: cmd.name, using: col.raw_default, pgVersion: 14 }).kind);
    }
    if (kinds.size === 1 && kinds.has("none")) return "the type change does not rewrite the table (same type, relaxed limit or binary-coercible cast)";
    if ([...kinds].every((k) => k === "timezone" || k === "none")) return "timestamp ↔ timestamptz after SET timezone = 'UTC': catalog-only";
  }
  if (squawkRule === "adding-field-with-default" && weMiss) {
    const defaults = sites.map(({ cmd }) => columnDef(cmd.def)).map((c) => (c ? columnDefault(c) : undefined)).filter((d) => !!d);
    if (defaults.length && defaults.every((d) => volatileCalls(d, m.catalogBefore).length === 0)) return "the default is not volatile (classified from pg_proc; squawk accepts only literals and zero-argument calls)";
  }
  if (squawkRule === "adding-not-nullable-field" && weMiss) {
    const already = sites.every(({ alter, cmd }) => cmd.subtype !== "AT_SetNotNull" || tableBefore(m, alter.relation)?.columns.find((c) => c.name === cmd.name)?.notNull);
    if (already) return "the column is already NOT NULL: SET NOT NULL is a no-op";
  }
  if (squawkRule === "prefer-robust-stmts" && weMiss && sites.length && sites.every(({ cmd }) => RERUNNABLE.has(cmd.subtype ?? ""))) {
    return "the statement succeeds when re-run (squawk's \"missing transaction\"): nothing to guard";
  }
  if (squawkRule === "constraint-missing-not-valid" && !weMiss) {
    if (sites.some(({ cmd }) => cmd.subtype === "AT_AddColumn" && columnConstraints(columnDef(cmd.def)!).some((c) => c.contype === "CONSTR_FOREIGN"))) {
      return "ADD COLUMN … REFERENCES: squawk reports it only under adding-foreign-key-constraint";
    }
  }
  return undefined;
}

/**
 * Facts that explain most disagreements, checked in order: where the statement is, whether its table
 * is new, how the runner sends the file. What none of them explains is "other" and printed in full.
 */
function explain(m: AnalyzedMigration, index: number, squawkRule: string, weMiss: boolean): string {
  const s = m.up.statements[index];
  if (!s) return "other";
  if (s.tag === "DoStmt") return weMiss ? "other" : "inside a DO block (squawk does not look inside)";
  const mode = m.transactions.mode;
  if (squawkRule === "transaction-nesting" || squawkRule === "ban-concurrent-index-creation-in-transaction" || squawkRule === "ban-uncommitted-transaction") {
    return `runner transaction model: ${m.migration.transactionMode ?? mode} (${m.migration.transactionReason})`;
  }
  const ruleSpecific = explainRule(m, s, squawkRule, weMiss);
  if (ruleSpecific) return ruleSpecific;
  if (weMiss) {
    const earlier = new Set<string>();
    for (const e of m.effective) {
      if (e.index >= index) break;
      for (const n of createdNames(e)) earlier.add(n.name);
    }
    const touched = relationNames(s.node);
    if (touched.some((t) => t && earlier.has(t))) return "table created earlier in the same migration (history-aware exemption)";
    const counted = m.up.statements.filter((x) => !["VariableSetStmt", "TransactionStmt", "SelectStmt"].includes(x.tag));
    if (squawkRule === "prefer-robust-stmts" && counted.length === 1) return "single-statement migration: atomic, nothing to re-run";
    if (squawkRule === "prefer-robust-stmts" && m.transactions.states.get(s)?.inTransaction) return `runs in a transaction (${mode}): a failure rolls the whole migration back`;
  }
  return "other";
}

export interface RuleParity {
  squawkRule: string;
  ourRules: string[];
  squawk: number;
  ours: number;
  both: number;
  weMiss: Flag[];
  theyMiss: Flag[];
}

/** squawk reports some rules under another name than their id (its Display name). */
const SQUAWK_ALIASES: Record<string, string> = { "prefer-timestamp-tz": "prefer-timestamptz" };

/**
 * Rules both tools report once per file, at the first statement that needs the setting: compared per
 * file, since the tools legitimately disagree on which statement is the first that matters.
 */
const ONCE_PER_FILE = new Set(["require-lock-timeout", "require-statement-timeout"]);

function args(argv: string[]): { corpus: string; examples: number; json?: string; rule?: string; markdown: boolean } {
  let corpus = "";
  let examples = 5;
  let json: string | undefined;
  let rule: string | undefined;
  let markdown = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--markdown") markdown = true;
    else if (a === "--examples") examples = Number(argv[++i]);
    else if (a === "--json") json = argv[++i];
    else if (a === "--rule") rule = argv[++i];
    else corpus = a;
  }
  return { corpus: path.resolve(corpus || "../shared/corpus"), examples, json, rule, markdown };
}

/** The top-level statement containing a 1-based line:column (or the next one after it). */
function statementAt(statements: readonly Statement[], line: number, column: number): number {
  let best = -1;
  for (let i = 0; i < statements.length; i++) {
    const r = statements[i]!.range;
    const afterStart = line > r.start.line || (line === r.start.line && column >= r.start.column);
    const beforeEnd = line < r.end.line || (line === r.end.line && column <= r.end.column);
    if (afterStart && beforeEnd) return i;
    if (best < 0 && !afterStart) best = i;
  }
  return best < 0 ? statements.length - 1 : best;
}

function runSquawk(bin: string, files: string[], assumeInTransaction: boolean, pgVersion: number): SquawkViolation[] {
  const out: SquawkViolation[] = [];
  // Batches keep the command line well under the OS limit.
  for (let i = 0; i < files.length; i += 200) {
    const batch = files.slice(i, i + 200);
    const flags = ["--reporter", "json", `--pg-version=${pgVersion}.0`, ...(assumeInTransaction ? ["--assume-in-transaction"] : []), "--no-error-on-unmatched-pattern"];
    let stdout: string;
    try {
      stdout = execFileSync(bin, [...flags, ...batch], { encoding: "utf8", maxBuffer: 1 << 28 });
    } catch (error) {
      // squawk exits 1 when it found violations; its report is still on stdout.
      stdout = (error as { stdout?: string }).stdout ?? "[]";
    }
    out.push(...(JSON.parse(stdout || "[]") as SquawkViolation[]));
  }
  return out;
}

export async function parity(corpus: string): Promise<{ rules: RuleParity[]; files: number; statements: number }> {
  await loadParser();
  const config = defaultConfig();
  const rules = resolveRules(allRules, config);
  const discovered = await discover([corpus], { cwd: corpus });
  const migrations: AnalyzedMigration[] = [];
  for (const { set, selected } of discovered) {
    const analyzed = analyzeSet(set, { settings: { pgVersion: config.pgVersion, timeoutsSetByRunner: config.timeoutsSetByRunner }, searchPath: config.searchPath, rules, selected });
    migrations.push(...analyzed.migrations.filter((m) => m.linted && !m.migration.external));
  }
  const byFile = new Map<string, AnalyzedMigration>();
  for (const m of migrations) byFile.set(path.resolve(corpus, m.migration.up.path), m);

  // squawk, with the transaction assumption our model makes for each file's first statement.
  const bin = path.resolve(import.meta.dirname, "../../node_modules/.bin/squawk");
  const squawkBin = existsSync(bin) ? bin : path.resolve("node_modules/.bin/squawk");
  const inTx: string[] = [];
  const outTx: string[] = [];
  for (const [file, m] of byFile) {
    const first = m.up.statements[0];
    (first && m.transactions.states.get(first)?.inTransaction ? inTx : outTx).push(file);
  }
  const violations = [...runSquawk(squawkBin, inTx, true, config.pgVersion), ...runSquawk(squawkBin, outTx, false, config.pgVersion)];

  const flag = (file: string, m: AnalyzedMigration, index: number, detail: string): Flag => {
    const s = m.up.statements[index];
    return { key: `${file}#${index}`, file: path.relative(corpus, file), line: s?.range.start.line ?? 0, text: (s?.text ?? "").replace(/\s+/g, " ").slice(0, 140), detail };
  };
  const location = new Map<string, { m: AnalyzedMigration; index: number }>();
  const squawkFlags = new Map<string, Map<string, Flag>>();
  for (const v of violations) {
    const file = path.resolve(v.file);
    const m = byFile.get(file);
    if (!m) continue;
    const rule = SQUAWK_ALIASES[v.rule_name] ?? v.rule_name;
    const index = statementAt(m.up.statements, v.line + 1, v.column + 1);
    const f = flag(file, m, index, v.message);
    location.set(`${file}#${index}`, { m, index });
    if (ONCE_PER_FILE.has(rule)) f.key = file;
    let map = squawkFlags.get(rule);
    if (!map) squawkFlags.set(rule, (map = new Map()));
    map.set(f.key, f);
  }
  // Our findings, keyed by the squawk rules each of our rules covers.
  const covering = new Map<string, string[]>();
  for (const r of allRules) for (const sq of r.meta.docs.peers?.squawk ?? []) covering.set(sq, [...(covering.get(sq) ?? []), r.meta.id]);
  const ourFlags = new Map<string, Map<string, Flag>>();
  for (const [file, m] of byFile) {
    for (const f of m.findings) {
      if (f.path !== m.migration.up.path) continue;
      const index = statementAt(m.up.statements, f.range.start.line, f.range.start.column);
      location.set(`${file}#${index}`, { m, index });
      let map = ourFlags.get(f.ruleId);
      if (!map) ourFlags.set(f.ruleId, (map = new Map()));
      const fl = flag(file, m, index, `${f.ruleId}: ${f.message}`);
      if (!map.has(fl.key)) map.set(fl.key, fl);
    }
  }
  const squawkRules = new Set([...covering.keys(), ...squawkFlags.keys()]);
  squawkRules.delete("syntax-error");
  squawkRules.delete("unused-ignore");
  const result: RuleParity[] = [];
  for (const sq of [...squawkRules].sort()) {
    const ourRules = covering.get(sq) ?? [];
    const theirs = squawkFlags.get(sq) ?? new Map<string, Flag>();
    const ours = new Map<string, Flag>();
    for (const r of ourRules) {
      for (const [k, f] of ourFlags.get(r) ?? []) {
        const key = ONCE_PER_FILE.has(sq) ? k.slice(0, k.lastIndexOf("#")) : k;
        if (!ours.has(key)) ours.set(key, { ...f, key });
      }
    }
    const why = (f: Flag, weMissIt: boolean): Flag => {
      if (ONCE_PER_FILE.has(sq)) return { ...f, why: weMissIt ? "no statement locks an existing table in a mode that blocks reads or writes" : f.text.startsWith("DO ") ? "inside a DO block (squawk does not look inside)" : "other" };
      const at = location.get(f.key);
      return { ...f, why: at ? explain(at.m, at.index, sq, weMissIt) : "other" };
    };
    const weMiss = [...theirs.values()].filter((f) => !ours.has(f.key)).map((f) => why(f, true));
    const theyMiss = [...ours.values()].filter((f) => !theirs.has(f.key)).map((f) => why(f, false));
    result.push({ squawkRule: sq, ourRules, squawk: theirs.size, ours: ours.size, both: theirs.size - weMiss.length, weMiss, theyMiss });
  }
  return { rules: result, files: byFile.size, statements: migrations.reduce((n, m) => n + m.up.statements.length, 0) };
}

/** The per-rule table with the explained differences, as docs/rules.md shows it. */
function markdown(rules: readonly RuleParity[], files: number, statements: number): string {
  const lines = [`Measured on ${files} up files (${statements} statements).`, "", "| squawk rule | our rules | squawk | ours | both | squawk only | ours only | why they differ |", "|---|---|---|---|---|---|---|---|"];
  for (const r of rules) {
    const reasons = new Map<string, number>();
    for (const f of r.weMiss) reasons.set(`squawk only: ${f.why ?? "other"}`, (reasons.get(`squawk only: ${f.why ?? "other"}`) ?? 0) + 1);
    for (const f of r.theyMiss) reasons.set(`ours only: ${f.why ?? "other"}`, (reasons.get(`ours only: ${f.why ?? "other"}`) ?? 0) + 1);
    const why = [...reasons].map(([k, v]) => `${v} × ${k}`).join("; ") || "·";
    lines.push(`| \`${r.squawkRule}\` | ${r.ourRules.map((x) => `\`${x}\``).join(", ") || "·"} | ${r.squawk} | ${r.ours} | ${r.both} | ${r.weMiss.length} | ${r.theyMiss.length} | ${why.replace(/\|/g, "\\|")} |`);
  }
  return lines.join("\n");
}

async function main(): Promise<void> {
  const options = args(process.argv.slice(2));
  const { rules, files, statements } = await parity(options.corpus);
  if (options.markdown) {
    console.log(markdown(rules, files, statements));
    return;
  }
  console.log(`parity: ${files} up files, ${statements} statements, corpus ${options.corpus}\n`);
  console.log(`${"squawk rule".padEnd(46)} ${"squawk".padStart(6)} ${"ours".padStart(6)} ${"both".padStart(6)} ${"we miss".padStart(8)} ${"they miss".padStart(10)}  our rules`);
  for (const r of rules) {
    console.log(`${r.squawkRule.padEnd(46)} ${String(r.squawk).padStart(6)} ${String(r.ours).padStart(6)} ${String(r.both).padStart(6)} ${String(r.weMiss.length).padStart(8)} ${String(r.theyMiss.length).padStart(10)}  ${r.ourRules.join(", ") || "(none)"}`);
  }
  for (const r of rules) {
    if (options.rule && r.squawkRule !== options.rule) continue;
    if (!r.weMiss.length && !r.theyMiss.length) continue;
    console.log(`\n## ${r.squawkRule}`);
    for (const [label, list] of [["squawk flags, we do not", r.weMiss], ["we flag, squawk does not", r.theyMiss]] as const) {
      if (!list.length) continue;
      console.log(`  ${label} (${list.length}):`);
      const groups = new Map<string, Flag[]>();
      for (const f of list) groups.set(f.why ?? "other", [...(groups.get(f.why ?? "other") ?? []), f]);
      for (const [why, flags] of [...groups].sort((a, b) => b[1].length - a[1].length)) {
        console.log(`    ${flags.length} × ${why}`);
        for (const f of flags.slice(0, options.examples)) console.log(`      ${f.file}:${f.line}  ${f.text}\n        → ${f.detail.slice(0, 200)}`);
      }
    }
  }
  if (options.json) {
    writeFileSync(options.json, JSON.stringify({ files, statements, rules }, null, 2));
    console.log(`\nwrote ${options.json}`);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename)) await main();

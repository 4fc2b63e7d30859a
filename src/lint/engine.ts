/**
 * Runs the enabled rules on one migration's context, fills in messages, applies ignore directives and
 * reports directives that suppressed nothing (`unused-ignore`).
 */
import type { Config } from "../config/schema.js";
import { compareText } from "../layout/version.js";
import type { Range } from "../parse/source.js";
import type { ParsedSql } from "../parse/types.js";
import { collectDirectives, isIgnored, type IgnoreDirective } from "./ignores.js";
import type { Report, Rule, RuleContext } from "./rule.js";
import type { Finding, Severity } from "./types.js";

export interface ResolvedRule {
  rule: Rule;
  severity: Severity;
  options: Record<string, unknown>;
}

export function resolveRules(rules: readonly Rule[], config: Pick<Config, "rules">): ResolvedRule[] {
  const out: ResolvedRule[] = [];
  for (const rule of rules) {
    const setting = config.rules[rule.meta.id];
    const [severity, options] = setting === undefined ? [rule.meta.defaultSeverity, {}] : Array.isArray(setting) ? [setting[0], setting[1] ?? {}] : [setting, {}];
    if (severity === "off") continue;
    out.push({ rule, severity, options });
  }
  return out;
}

/**
 * `{{key}}` placeholders filled from `data`; one missing from `data` stays as written. Each template is
 * cut into its pieces once (a finding's message and help were a regex replace with a callback each,
 * 2% of a corpus run): literal text at even indexes, then a placeholder's key and its text in turn.
 */
export function format(template: string, data: Record<string, string | number> = {}): string {
  const pieces = templatePieces(template);
  if (pieces.length === 1) return template;
  let out = pieces[0]!;
  for (let i = 1; i < pieces.length; i += 3) {
    const key = pieces[i]!;
    out += (key in data ? String(data[key]) : pieces[i + 1]!) + pieces[i + 2]!;
  }
  return out;
}

const PLACEHOLDER = /\{\{\s*(\w+)\s*\}\}/g;
const piecesOf = new Map<string, readonly string[]>();

function templatePieces(template: string): readonly string[] {
  let pieces = piecesOf.get(template);
  if (pieces) return pieces;
  const out: string[] = [];
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    out.push(template.slice(last, m.index), m[1]!, m[0]);
    last = m.index + m[0].length;
  }
  out.push(template.slice(last));
  // Templates are the rules' messages: a bounded set, unless a caller formats arbitrary text.
  if (piecesOf.size >= 10_000) piecesOf.clear();
  piecesOf.set(template, (pieces = out));
  return pieces;
}

/** Where a finding about a whole file points: its first character. */
export const FILE_START: Range = { start: { offset: 0, line: 1, column: 1 }, end: { offset: 0, line: 1, column: 1 } };

export type ContextBase = Omit<RuleContext, "report" | "options">;

export const UNUSED_IGNORE = "unused-ignore";

export function runRules(base: ContextBase, rules: readonly ResolvedRule[]): Finding[] {
  const findings: Finding[] = [];
  const directives = new Map<string, IgnoreDirective[]>();
  const directivesOf = (path: string, parsed: ParsedSql | undefined): IgnoreDirective[] => {
    let list = directives.get(path);
    if (!list) directives.set(path, (list = parsed ? collectDirectives(parsed) : []));
    return list;
  };
  directivesOf(base.migration.up.path, base.up);
  if (base.migration.down && base.down) directivesOf(base.migration.down.path, base.down);
  const broken = base.up.syntaxErrors.length > 0;
  const tooLarge = [base.up, base.down].flatMap((p) => (p?.tooLarge ? [{ parsed: p, ...p.tooLarge }] : []));

  // One context for the migration, pointed at each rule in turn (its options, its reports): rules run
  // one after the other and keep nothing of the context once `check` returns.
  let current: ResolvedRule = rules[0]!;
  const report = (r: Report): void => {
    const { rule, severity } = current;
    const path = r.path ?? base.migration.up.path;
    const range = r.range ?? r.statement?.range ?? FILE_START;
    if (isIgnored(directives.get(path) ?? [], rule.meta.id, range)) return;
    const messages = rule.meta.messages as Record<string, string>;
    const template = messages[r.messageId];
    if (template === undefined) throw new Error(`rule ${rule.meta.id} reported unknown message id ${r.messageId}`);
    const help = typeof rule.meta.help === "string" ? rule.meta.help : (rule.meta.help as Record<string, string | undefined>)[r.messageId];
    // Optional keys assigned, not spread in (V8's slow path), in the same order.
    const finding: Finding = { ruleId: rule.meta.id, severity, path, range, messageId: r.messageId, message: format(template, r.data) };
    if (help) finding.help = format(help, r.data);
    if (r.data) finding.data = r.data;
    if (r.fix) finding.fix = r.fix;
    finding.migrationId = base.migration.id;
    findings.push(finding);
  };
  const ctx = new Context(base, report);
  for (const resolved of rules) {
    const { rule } = resolved;
    if (rule.meta.id === UNUSED_IGNORE) continue;
    // In a file with a syntax error the statements that parse are still linted, but its down cannot be
    // judged: the plan lacks the inverse of what did not parse (and --fix writes nothing for it).
    if (broken && rule.meta.category === "reversibility") continue;
    // A file too large to parse was not read at all: only the history rules (hashes, order) apply.
    if (tooLarge.length && rule.meta.category !== "history") continue;
    current = resolved;
    ctx.options = resolved.options;
    try {
      rule.check(ctx);
    } catch (error) {
      // A rule that crashes on odd input is a bug; the run goes on and the crash is a visible finding.
      findings.push(internalError(base, `rule ${rule.meta.id} failed: ${(error as Error).message ?? String(error)}`));
    }
  }

  // Not a rule, so it cannot be turned off: a file that was not checked must never pass as clean.
  for (const t of tooLarge) findings.push(fileTooLarge(base, t.parsed.source.path, t.bytes, t.limit));

  const unused = rules.find((r) => r.rule.meta.id === UNUSED_IGNORE);
  if (unused) {
    for (const [path, list] of directives) {
      for (const d of list) {
        if (d.used) continue;
        const what = d.rules.length ? d.rules.join(", ") : "every rule";
        findings.push({
          ruleId: UNUSED_IGNORE,
          severity: unused.severity,
          path,
          range: d.comment.range,
          messageId: "unused",
          message: format((unused.rule.meta.messages as Record<string, string>)["unused"] ?? "Unused ignore directive ({{rules}}).", { rules: what }),
          data: { rules: what },
          migrationId: base.migration.id,
        });
      }
    }
  }
  return findings.sort(byPosition);
}

/**
 * The rules' view of a migration. A class with its fields copied one by one, and one per migration
 * with `options` set per rule: built per rule per migration (165,000 times on the corpus), a spread
 * (`{ ...base, options, report }`) ran on V8's slow path (0.5 s), and even this class with a report
 * closure per rule was 4% of the run's allocations.
 */
class Context implements RuleContext {
  options: RuleContext["options"] = {};
  readonly set: RuleContext["set"];
  readonly migration: RuleContext["migration"];
  readonly up: RuleContext["up"];
  readonly down: RuleContext["down"];
  readonly statements: RuleContext["statements"];
  readonly effective: RuleContext["effective"];
  readonly catalogBefore: RuleContext["catalogBefore"];
  readonly catalogAfter: RuleContext["catalogAfter"];
  readonly catalogAfterDown: RuleContext["catalogAfterDown"];
  readonly catalogAt: RuleContext["catalogAt"];
  readonly isNew: RuleContext["isNew"];
  readonly transactionOf: RuleContext["transactionOf"];
  readonly plan: RuleContext["plan"];
  readonly settings: RuleContext["settings"];

  constructor(
    base: ContextBase,
    readonly report: RuleContext["report"],
  ) {
    this.set = base.set;
    this.migration = base.migration;
    this.up = base.up;
    this.down = base.down;
    this.statements = base.statements;
    this.effective = base.effective;
    this.catalogBefore = base.catalogBefore;
    this.catalogAfter = base.catalogAfter;
    this.catalogAfterDown = base.catalogAfterDown;
    this.catalogAt = base.catalogAt;
    this.isNew = base.isNew;
    this.transactionOf = base.transactionOf;
    this.plan = base.plan;
    this.settings = base.settings;
  }
}

export const INTERNAL_ERROR = "internal-error";

export function internalError(base: Pick<ContextBase, "migration">, message: string): Finding {
  return {
    ruleId: INTERNAL_ERROR,
    severity: "error",
    path: base.migration.up.path,
    range: FILE_START,
    messageId: "internal",
    message: `migration-lint could not check this migration: ${message}`,
    help: "This is a bug in migration-lint; please report it with the migration that triggers it.",
    migrationId: base.migration.id,
  };
}

export const FILE_TOO_LARGE = "file-too-large";

const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

function fileTooLarge(base: Pick<ContextBase, "migration">, path: string, bytes: number, limit: number): Finding {
  return {
    ruleId: FILE_TOO_LARGE,
    severity: "error",
    path,
    range: FILE_START,
    messageId: "tooLarge",
    message: `This file is ${megabytes(bytes)}, above the ${megabytes(limit)} migration-lint parses: it was not checked, and the history after it is replayed without it.`,
    help: "Split the data into several migrations (or load it with COPY from a data file), so that each file stays under the limit.",
    data: { bytes, limit },
    migrationId: base.migration.id,
  };
}

/**
 * Findings by path, offset and rule, in code-unit order: the same on every machine (`localeCompare`
 * follows the user's locale, so a report's order could differ between a laptop and CI), and without
 * ICU's collator, whose first use cost a short run 7–11 ms.
 */
export function byPosition(a: Finding, b: Finding): number {
  return compareText(a.path, b.path) || a.range.start.offset - b.range.start.offset || compareText(a.ruleId, b.ruleId);
}

/**
 * Ignore directives in comments:
 *   -- migration-lint-ignore rule-a, rule-b -- optional reason     (the next statement)
 *   -- migration-lint-ignore-file rule-a -- optional reason        (the whole file; no ids = every rule)
 * A statement-level directive with no ids ignores every rule for that statement.
 */
import type { Range } from "../parse/source.js";
import type { Comment, ParsedSql } from "../parse/types.js";

export interface IgnoreDirective {
  scope: "statement" | "file";
  /** Empty = every rule. */
  rules: string[];
  reason?: string;
  comment: Comment;
  /** For statement scope: the range of the statement it applies to. */
  target?: Range;
  used: boolean;
}

const DIRECTIVE = /^(?:--|\/\*)\s*migration-lint-(ignore-file|ignore)\b([^]*?)(?:\*\/)?$/;

export function parseDirective(comment: Comment): Omit<IgnoreDirective, "target" | "used"> | undefined {
  const m = DIRECTIVE.exec(comment.text.trim());
  if (!m) return undefined;
  // The em dash written as an escape: the bundled CLI must be ASCII (scripts/bundle.mjs).
  const [ids, ...reasonParts] = (m[2] ?? "").split(/\s--\s?|\s\u2014\s/);
  const rules = (ids ?? "")
    .split(/[\s,]+/)
    .map((r) => r.trim())
    .filter(Boolean);
  const reason = reasonParts.join(" -- ").trim() || undefined;
  return { scope: m[1] === "ignore-file" ? "file" : "statement", rules, reason, comment };
}

export function collectDirectives(parsed: ParsedSql): IgnoreDirective[] {
  // A statement's leading comments are matched to the file's comment list by their start offset.
  const statementAt = new Map<number, Range>();
  for (const s of parsed.statements) for (const c of s.comments) statementAt.set(c.range.start.offset, s.range);
  const out: IgnoreDirective[] = [];
  for (const c of parsed.comments) {
    const d = parseDirective(c);
    if (!d) continue;
    const target = d.scope === "statement" ? statementAt.get(c.range.start.offset) : undefined;
    out.push({ ...d, target, used: false });
  }
  return out;
}

/** Does a directive suppress a finding of `ruleId` at `range`? Marks it used when it does. */
export function isIgnored(directives: IgnoreDirective[], ruleId: string, range: Range): boolean {
  let ignored = false;
  for (const d of directives) {
    if (d.rules.length && !d.rules.includes(ruleId)) continue;
    if (d.scope === "statement") {
      if (!d.target || range.start.offset < d.target.start.offset || range.start.offset > d.target.end.offset) continue;
    }
    d.used = true;
    ignored = true;
  }
  return ignored;
}

/**
 * Rendering verify reports: a table with one line per non-exact migration (and its diff or error
 * underneath), a summary line per migration set, and JSON for machines.
 */
import { formatDiff } from "./diff.js";
import { isUnverified, VERIFY_STATUSES, type MigrationResult, type VerifyReport, type VerifyStatus } from "./verify.js";

export interface SetReport {
  root: string;
  layout: string;
  report: VerifyReport;
}

const STATUS_TEXT: Record<VerifyStatus, string> = {
  exact: "exact",
  "exact-except-column-order": "exact except column order",
  differs: "differs",
  "empty-down": "empty down",
  "up-failed": "up failed",
  "down-failed": "down failed",
  "reup-failed": "re-up failed",
  "missing-down": "missing down",
  "no-down": "no down",
  "code-up": "up is code",
};

export interface TextOptions {
  /** Also list exact migrations. */
  all?: boolean;
  /** Diff lines shown per migration (default 8). */
  maxLines?: number;
  color?: boolean;
  /** The time the user waited in all (process start to now): the last summary line shows it. */
  wallMs?: number;
}

function paint(color: boolean | undefined, code: number, text: string): string {
  return color ? `\u001b[${code}m${text}\u001b[39m` : text;
}

function statusColor(status: VerifyStatus): number {
  if (status === "exact") return 32;
  if (status === "exact-except-column-order" || isUnverified(status)) return 33;
  return 31;
}

function detailLines(r: MigrationResult, maxLines: number): string[] {
  const lines: string[] = [];
  if (r.status === "code-up") lines.push(...r.notes);
  if (r.failure) {
    const at = `${r.failure.location.path}:${r.failure.location.line}:${r.failure.location.column}`;
    lines.push(`${at}: ${r.failure.error.message}${r.failure.error.code ? ` (${r.failure.error.code})` : ""}`);
    if (r.failure.error.detail) lines.push(`detail: ${r.failure.error.detail}`);
    if (r.failure.error.hint) lines.push(`hint: ${r.failure.error.hint}`);
    if (r.failure.statement) lines.push(`in: ${r.failure.statement}`);
  }
  const diffs: string[] = [];
  if (r.downDiff) diffs.push(...formatDiff(r.downDiff).map((l) => `after down: ${l}`));
  if (r.reupDiff) diffs.push(...formatDiff(r.reupDiff).map((l) => `after up again: ${l}`));
  lines.push(...diffs.slice(0, maxLines));
  if (diffs.length > maxLines) lines.push(`… ${diffs.length - maxLines} more (--format json shows all)`);
  if (r.upTwice && !r.upTwice.ok) {
    const f = r.upTwice.failure;
    lines.push(`up twice failed at ${f.location.path}:${f.location.line}:${f.location.column}: ${f.error.message}`);
  }
  return lines;
}

export function formatText(sets: readonly SetReport[], options: TextOptions = {}): string {
  const out: string[] = [];
  const maxLines = options.maxLines ?? 8;
  for (const [i, { root, layout, report }] of sets.entries()) {
    out.push(`${root} (${layout}) on ${report.engine}`);
    const shown = report.results.filter((r) => options.all || (r.status !== "exact" && !isUnverified(r.status)));
    const width = Math.max(0, ...shown.map((r) => STATUS_TEXT[r.status].length));
    for (const r of shown) {
      const steps = r.migrations.length > 1 ? ` (${r.migrations.length} steps)` : "";
      out.push(`  ${paint(options.color, statusColor(r.status), STATUS_TEXT[r.status].padEnd(width))}  ${r.id}${steps}`);
      for (const line of detailLines(r, maxLines)) out.push(`  ${" ".repeat(width)}    ${line}`);
    }
    for (const h of report.history) {
      const f = h.failure;
      out.push(`  history: ${h.id}: ${f.location.path}:${f.location.line}:${f.location.column}: ${f.error.message}`);
    }
    const last = sets.length === 1 && i === 0;
    out.push(`  ${summaryLine(last && options.wallMs !== undefined ? { ...report, durationMs: options.wallMs } : report)}`, "");
  }
  if (sets.length > 1) {
    const total = merge(sets.map((s) => s.report));
    out.push(summaryLine(options.wallMs === undefined ? total : { ...total, durationMs: options.wallMs }));
  }
  return `${out.join("\n").trimEnd()}\n`;
}

/** `285 verified: 249 exact, 8 exact except column order, 22 differ, … (41.2 s)`. */
export function summaryLine(report: Pick<VerifyReport, "counts" | "durationMs">): string {
  const c = report.counts;
  const verified = VERIFY_STATUSES.filter((s) => !isUnverified(s)).reduce((n, s) => n + c[s], 0);
  const failed = c["up-failed"] + c["down-failed"] + c["reup-failed"];
  const parts = [
    `${c.exact} exact`,
    `${c["exact-except-column-order"]} exact except column order`,
    `${c.differs} differ`,
    `${c["empty-down"]} empty down`,
    `${failed} failed (${c["up-failed"]} up, ${c["down-failed"]} down, ${c["reup-failed"]} re-up)`,
  ];
  if (c["missing-down"]) parts.push(`${c["missing-down"]} missing down`);
  if (c["no-down"]) parts.push(`${c["no-down"]} without a down`);
  if (c["code-up"]) parts.push(`${c["code-up"]} with the up in code (not verified)`);
  return `${verified} verified: ${parts.join(", ")} (${(report.durationMs / 1000).toFixed(1)} s)`;
}

function merge(reports: readonly VerifyReport[]): Pick<VerifyReport, "counts" | "durationMs"> {
  const counts = Object.fromEntries(VERIFY_STATUSES.map((s) => [s, 0])) as Record<VerifyStatus, number>;
  let durationMs = 0;
  for (const r of reports) {
    for (const s of VERIFY_STATUSES) counts[s] += r.counts[s];
    durationMs += r.durationMs;
  }
  return { counts, durationMs };
}

/** `durationMs`: the sets' own times added up; `wallMs`, when given: what the user waited in all. */
export function formatJson(sets: readonly SetReport[], options: { wallMs?: number } = {}): string {
  const total = merge(sets.map((s) => s.report));
  const wall = options.wallMs === undefined ? {} : { wallMs: Math.round(options.wallMs) };
  return `${JSON.stringify({ sets, counts: total.counts, durationMs: total.durationMs, ...wall }, null, 2)}\n`;
}

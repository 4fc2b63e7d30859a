/** `status` output: a table per migration, the journal it read, drift, and the last rollbacks; or JSON. */
import type { AuditRow } from "./audit.js";
import type { DriftReport } from "./drift.js";
import type { MigrationStatus } from "./status.js";

export interface StatusReport {
  root: string;
  layout: string;
  runner: string;
  database: string;
  journal: { table: string; exists: boolean };
  migrations: MigrationStatus[];
  drift?: DriftReport;
  lastRollbacks: AuditRow[];
}

function when(d: Date | undefined | null): string {
  return d ? d.toISOString().replace("T", " ").replace(/\.\d+Z$/, "Z") : "";
}

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => `  ${r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ")}`.trimEnd());
}

export function formatStatusText(report: StatusReport): string {
  const lines = [`${report.root} (${report.layout}) on ${report.database}`, `journal: ${report.journal.table}${report.journal.exists ? "" : " (does not exist: nothing applied)"}`, ""];
  const rows = [["migration", "state", "applied at", "class", "down", "rollback"]];
  for (const m of report.migrations) {
    const r = m.rollback;
    const can = !r ? "" : r.blockedBy.length ? `blocked: ${r.blockedBy.join("; ")}` : r.class === "lossy" ? "yes (lossy: --allow-lossy)" : "yes";
    rows.push([m.id, m.state, when(m.appliedAt), r?.class ?? "", r?.down ?? "", can]);
  }
  lines.push(...table(rows));
  const notes = report.migrations.filter((m) => m.detail && m.state !== "applied");
  if (notes.length) {
    lines.push("");
    for (const m of notes) lines.push(`  ${m.id}: ${m.state}: ${m.detail}`);
  }
  const count = (s: string) => report.migrations.filter((m) => m.state === s).length;
  const summary = ["applied", "modified", "failed", "pending", "missing"].filter((s) => count(s)).map((s) => `${count(s)} ${s}`);
  lines.push("", summary.join(", ") || "no migrations");
  if (report.drift) {
    lines.push("");
    lines.push(...driftLines(report.drift));
  }
  if (report.lastRollbacks.length) {
    lines.push("", "last rollbacks:");
    for (const r of report.lastRollbacks) {
      const ids = r.migrations.map((p) => `${p.id}${p.outcome === "rolled-back" ? "" : ` (${p.outcome})`}`).join(", ");
      lines.push(`  #${r.id} ${when(r.started_at)} by ${r.database_user}@${r.client_host ?? "?"}: ${r.outcome}: ${ids}`);
    }
  }
  return lines.join("\n") + "\n";
}

export function driftLines(drift: DriftReport): string[] {
  if (!drift.lines.length) return [`drift: none (the live schema is the one the ${drift.applied} applied migration${drift.applied === 1 ? "" : "s"} create)`];
  return [`drift: ${drift.lines.length} difference${drift.lines.length === 1 ? "" : "s"} between the applied history (expected) and the live database:`, ...drift.lines.map((l) => `  ${l}`)];
}

export function formatStatusJson(report: StatusReport): string {
  return JSON.stringify(report, null, 2) + "\n";
}

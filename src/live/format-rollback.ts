/** `rollback` output: the plan, the gates, the script (dry run), what happened; or the report as JSON. */
import { driftLines } from "./format-status.js";
import type { LiveRollbackReport } from "./rollback.js";

export function formatRollbackText(r: LiveRollbackReport): string {
  const lines = [`${r.dryRun ? "dry run: " : ""}rollback of ${r.root} (${r.layout}) on ${r.database}`, `journal: ${r.journal}`, ""];
  r.parts.forEach((p, i) => {
    const down = p.source === "written" ? `written down ${p.downPath ?? ""}`.trim() : "generated down";
    lines.push(`  ${i + 1}. ${p.id}  ${p.class}  (${down}${p.transactional ? "" : ", outside a transaction"})`);
    if (p.note) lines.push(`       ${p.note}`);
    for (const reason of p.reasons) lines.push(`       ${reason}`);
    if (p.drops.length) lines.push(`       drops ${p.drops.join(", ")}${r.backupSchema ? ` (copied to ${r.backupSchema} first)` : ""}`);
    for (const j of p.journalUpdate) lines.push(`       journal: ${j}`);
  });
  if (r.parts.length) {
    lines.push("", r.target ? `afterwards the database is at ${r.target}` : "afterwards no migration is applied");
    lines.push("newest first, so no migration applied after one in the range still depends on it");
    lines.push(`locks: ${r.locks.join("; ")}`);
  }
  if (r.drift) lines.push(...driftLines(r.drift));
  for (const refusal of r.refusals) {
    lines.push(`${r.dryRun ? "would refuse" : "refused"}: ${refusal.gate}: ${refusal.message}`);
    for (const d of refusal.details) lines.push(`  ${d}`);
  }
  if (r.dryRun && r.parts.length) lines.push("", r.script.trimEnd(), "");
  if (r.results.length) {
    lines.push("", "results:");
    for (const x of r.results) {
      lines.push(`  ${x.id}  ${x.outcome}${x.error ? `: ${x.error}` : ""}`);
      if (x.backups.length) lines.push(`    backup: ${x.backups.join(", ")}`);
      if (x.note) lines.push(`    ${x.note}`);
    }
  }
  if (r.auditId) lines.push(`audit: migration_lint.rollbacks id ${r.auditId}`);
  lines.push(r.message);
  return lines.join("\n") + "\n";
}

export function formatRollbackJson(r: LiveRollbackReport): string {
  return JSON.stringify(r, null, 2) + "\n";
}

/** 0 done (or rehearsed cleanly), 1 refused, failed, interrupted or the lock was busy. */
export function rollbackExitCode(r: LiveRollbackReport): number {
  if (r.outcome === "rolled-back" || r.outcome === "nothing") return 0;
  if (r.outcome === "rehearsed") return r.refusals.length ? 1 : 0;
  return 1;
}

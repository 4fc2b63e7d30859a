/**
 * Where `verify` and `down-mismatch` disagree on a migration set: migrations whose hand-written down
 * round-trips exactly (or exactly except column order, which the rule does not compare) on PGlite but
 * which the rule reports. Shared by the corpus test and the measurement script.
 */
import downMismatch from "../../rules/down-mismatch.js";
import { lintFiles, verify } from "../../src/api.js";

export interface Agreement {
  root: string;
  exact: number;
  /** `migration id: finding message` for each exact migration the rule reports. */
  falseReports: string[];
  /** Migrations verify finds not exact that the rule is silent about (the rule cannot see everything). */
  missed: number;
  ms: number;
}

export async function agreement(path: string, options: { extensions?: string[] } = {}): Promise<Agreement[]> {
  const started = Date.now();
  const reports = await verify([path], { extensions: options.extensions ?? [] });
  const linted = await lintFiles([path], { rules: [downMismatch], workers: 0 });
  const out: Agreement[] = [];
  for (const { root, report } of reports) {
    const set = linted.sets.find((s) => s.set.root === root);
    const byMigration = new Map<string, string[]>();
    for (const m of set?.migrations ?? []) byMigration.set(m.migration.id, m.findings.filter((f) => f.ruleId === "down-mismatch").map((f) => f.message));
    const a: Agreement = { root, exact: 0, falseReports: [], missed: 0, ms: 0 };
    for (const r of report.results) {
      // A pop version is judged by the rule at its last step, by verify as one unit.
      const findings = r.migrations.flatMap((id) => byMigration.get(id) ?? []);
      if (r.status === "exact" || r.status === "exact-except-column-order") {
        a.exact++;
        for (const f of findings) a.falseReports.push(`${r.id}: ${f}`);
      } else if (r.status === "differs" && findings.length === 0) a.missed++;
    }
    a.ms = Date.now() - started;
    out.push(a);
  }
  return out;
}

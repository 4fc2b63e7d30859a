/**
 * `node dist/bench/downs.js [--hand-written]`: the generated downs of every up/down repository of
 * the corpus, proven by round trip (`verify --generated`), tallied the way docs/downs.md reports them:
 * per repository, how many migrations were verified, how many round-trip `exact`, how many restore the
 * schema (`exact` + `exact-except-column-order`), and every migration the generator classes
 * `reversible` whose round trip is not `exact` (the promise is none). `--hand-written` also verifies
 * the hand-written downs the same way, for the comparison columns.
 */
import path from "node:path";
import { verify, type GeneratedDownFactory } from "../src/api.js";
import { worstOf, type Reversibility } from "../src/invert/types.js";
import { analyzeSet } from "../src/pipeline/analyze.js";

/** Run from the checkout: the shared corpus sits beside it. */
const CORPUS = path.resolve(process.argv.find((a) => a.startsWith("--corpus="))?.slice(9) ?? "../shared/corpus");

/** The repositories docs/downs.md measures: folder, label, extensions the deployment creates. */
const REPOS: { label: string; dir: string; extensions?: string[] }[] = [
  { label: "rust-lang/crates.io (diesel)", dir: "rust-lang__crates.io/migrations" },
  { label: "ory/kratos (pop, 100 versions)", dir: "ory__kratos/persistence/sql/migrations" },
  { label: "concourse/concourse", dir: "concourse__concourse/atc/db/migration/migrations" },
  { label: "authelia/authelia", dir: "authelia__authelia/internal/storage/migrations" },
  { label: "chirpstack/chirpstack migrations_postgres (diesel)", dir: "chirpstack__chirpstack/chirpstack/migrations_postgres", extensions: ["pg_trgm"] },
  { label: "chirpstack/chirpstack integration (diesel)", dir: "chirpstack__chirpstack/chirpstack/src/integration/postgresql/migrations" },
  { label: "svix/svix-webhooks (sqlx)", dir: "svix__svix-webhooks/server/svix-server/migrations" },
  { label: "rust-lang/docs.rs (sqlx)", dir: "rust-lang__docs.rs/crates/lib/docs_rs_database/migrations" },
];

interface Tally {
  verified: number;
  exact: number;
  restored: number;
}

/** An up that is code, or that fails, says nothing about its down. */
const NOT_JUDGED = new Set(["code-up", "up-failed"]);

async function measure(dir: string, extensions: string[], generated: boolean): Promise<{ tally: Tally; broken: string[] }> {
  const classes = new Map<string, Reversibility>();
  const factory: GeneratedDownFactory = (set, config) => {
    const analyzed = analyzeSet(set, { settings: { pgVersion: config.pgVersion, timeoutsSetByRunner: config.timeoutsSetByRunner }, searchPath: config.searchPath, rules: [], lint: false });
    const plans = new Map(analyzed.migrations.map((m) => [m.migration.id, m.plan]));
    for (const [id, p] of plans) classes.set(id, p.class);
    return (m) => {
      const p = plans.get(m.id);
      return p ? { path: `${m.up.path} (generated down)`, text: p.sql } : undefined;
    };
  };
  const sets = await verify([path.join(CORPUS, dir)], { generated: generated ? factory : false, extensions });
  const tally: Tally = { verified: 0, exact: 0, restored: 0 };
  const broken: string[] = [];
  for (const s of sets) {
    for (const r of s.report.results) {
      if (NOT_JUDGED.has(r.status)) continue;
      tally.verified++;
      if (r.status === "exact") tally.exact++;
      if (r.status === "exact" || r.status === "exact-except-column-order") tally.restored++;
      // A pop version split into steps is verified as one unit: its class is its worst step's.
      const cls = worstOf((r.migrations.length ? r.migrations : [r.id]).map((id) => classes.get(id) ?? "irreversible"));
      if (generated && cls === "reversible" && r.status !== "exact") broken.push(`${r.id}: ${r.status}`);
    }
  }
  return { tally, broken };
}

const handWritten = process.argv.includes("--hand-written");
const rows: string[] = [];
const total = { g: { verified: 0, exact: 0, restored: 0 }, h: { verified: 0, exact: 0, restored: 0 } };
for (const repo of REPOS) {
  const g = await measure(repo.dir, repo.extensions ?? [], true);
  const h = handWritten ? await measure(repo.dir, repo.extensions ?? [], false) : undefined;
  for (const k of ["verified", "exact", "restored"] as const) {
    total.g[k] += g.tally[k];
    if (h) total.h[k] += h.tally[k];
  }
  rows.push(`| ${repo.label} | ${g.tally.verified} | ${g.tally.exact} | ${g.tally.restored} | ${h ? `${h.tally.exact} | ${h.tally.restored}` : "– | –"} |`);
  console.error(`${repo.label}: ${JSON.stringify(g.tally)}${h ? ` hand-written ${JSON.stringify(h.tally)}` : ""}`);
  for (const b of g.broken) console.error(`  reversible but not exact: ${b}`);
  if (!g.broken.length) console.error("  every migration classed reversible is exact");
}
rows.push(`| **total** | **${total.g.verified}** | **${total.g.exact}** | **${total.g.restored}** | ${handWritten ? `${total.h.exact} | ${total.h.restored}` : "– | –"} |`);
console.log(rows.join("\n"));

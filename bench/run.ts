/**
 * `npm run bench`: migration-lint against squawk, pgfence and the parse-only floor on the shared
 * corpus, in one run, the tools alternating round by round so they share the machine's noise; then
 * migration-lint on the corpus replicated 1×, 2×, 4×, 8×; then one generated set of 500 to 4,000
 * migrations (time per migration must not grow with the history); then the pre-commit case (one new
 * migration in a 300-migration history). Prints medians, ranges and ratios, writes `bench/results.json` and
 * `bench/results.md`, and with `--docs` puts the tables into `docs/performance.md`.
 *
 *   npm run bench -- [--corpus DIR] [--rounds 5] [--scaling-rounds 3] [--history-rounds 3]
 *                    [--precommit-runs 10] [--only corpus,scaling,history,precommit,startup,bigfiles,ts] [--docs]
 *                    [--baseline DIR]   (another built checkout, run beside the others: before/after)
 *
 * Ratios are the numbers to read: the absolute times depend on the machine and on what else runs on it.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { precommitProject, replicate, sqlFiles, syntheticHistory, totalBytes } from "./corpus.js";
import { hasGnuTime, measureOk, type Command, type Measurement } from "./measure.js";
import { bigFilesRun, startupRun, type BigFileResult, type StartupResult } from "./startup.js";
import { tsMigrationsRun, type TsMigrationsResult } from "./ts-migrations.js";
import { formatMegabytes, formatRatio, formatSeconds, linearFit, marginalGrowth, markdownTable, pairedRatio, ratio, summarize, type LinearFit, type Summary } from "./stats.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const NODE = process.execPath;
const OURS = path.join(ROOT, "bin", "migration-lint.js");
const SQUAWK = path.join(ROOT, "node_modules", ".bin", "squawk");
const PGFENCE = path.join(ROOT, "node_modules", ".bin", "pgfence");
const FLOOR = path.join(ROOT, "dist", "bench", "floor.js");
/** Linters exit 1 when they report findings; that is a completed run. */
const LINT_OK = [0, 1];

interface ToolResult {
  name: string;
  /** What the tool was given, when it is not the whole corpus. */
  note?: string;
  wall: Summary;
  rss?: Summary;
}

interface Skipped {
  name: string;
  reason: string;
}

interface CorpusResult {
  files: number;
  bytes: number;
  rounds: number;
  tools: ToolResult[];
  skipped: Skipped[];
  ratios: Record<string, { ofMedians: number | undefined; paired: number | undefined }>;
}

interface ScalingResult {
  rounds: number;
  factors: { factor: number; wall: Summary; rss?: Summary }[];
  /** Milliseconds per corpus copy, fitted over the medians. */
  fit: LinearFit;
  ratio8to1: number | undefined;
}

interface HistoryResult {
  rounds: number;
  lengths: { migrations: number; wall: Summary; perMigrationMs: number }[];
  /** Milliseconds per migration, fitted over the medians. */
  fit: LinearFit;
  /**
   * The cost of one more migration at the long end (between the two longest histories) over the cost at
   * the short end (between the two shortest), from the fastest run of each: 1 when linear, 4 for a
   * quadratic replay with these lengths. Start-up costs cancel out.
   */
  growth: number;
}

interface PrecommitResult {
  history: number;
  runs: number;
  wall: Summary;
  rss?: Summary;
}

interface Target {
  what: string;
  value: string;
  target: string;
  met: boolean | undefined;
}

interface Results {
  date: string;
  commit: string | undefined;
  node: string;
  platform: string;
  cpus: number;
  corpus?: CorpusResult;
  scaling?: ScalingResult;
  history?: HistoryResult;
  precommit?: PrecommitResult;
  startup?: StartupResult;
  bigFiles?: BigFileResult[];
  ts?: TsMigrationsResult;
  targets: Target[];
}

function options() {
  const { values } = parseArgs({
    options: {
      corpus: { type: "string", default: process.env["MIGRATION_LINT_CORPUS"] ?? path.resolve(ROOT, "../shared/corpus") },
      rounds: { type: "string", default: "5" },
      "scaling-rounds": { type: "string", default: "3" },
      "history-rounds": { type: "string", default: "3" },
      "precommit-runs": { type: "string", default: "10" },
      "startup-rounds": { type: "string", default: "7" },
      "big-files": { type: "string", default: "10,50" },
      only: { type: "string", default: "corpus,scaling,history,precommit,startup,bigfiles,ts" },
      docs: { type: "boolean", default: false },
      baseline: { type: "string" },
    },
  });
  const count = (name: string, v: string, min: number): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer ≥ ${min}`);
    return n;
  };
  return {
    corpus: path.resolve(values.corpus),
    rounds: count("rounds", values.rounds, 1),
    scalingRounds: count("scaling-rounds", values["scaling-rounds"], 1),
    historyRounds: count("history-rounds", values["history-rounds"], 1),
    precommitRuns: count("precommit-runs", values["precommit-runs"], 1),
    startupRounds: count("startup-rounds", values["startup-rounds"], 1),
    bigFiles: values["big-files"].split(",").map((v) => count("big-files", v.trim(), 1)),
    only: new Set(values.only.split(",").map((s) => s.trim())),
    docs: values.docs,
    /** Another checkout of migration-lint (built), run as one more tool: before/after in one run. */
    baseline: values.baseline === undefined ? undefined : path.resolve(values.baseline),
  };
}

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

function describe(m: Measurement): string {
  return `${formatSeconds(m.wallMs)}${m.peakRssKb === undefined ? "" : `, ${formatMegabytes(m.peakRssKb)}`}`;
}

function rssSummary(ms: readonly Measurement[]): Summary | undefined {
  const values = ms.map((m) => m.peakRssKb);
  return values.every((v): v is number => v !== undefined) ? summarize(values) : undefined;
}

const ours = (paths: readonly string[], cwd = ROOT): Command => ({
  name: "migration-lint",
  file: NODE,
  // JSON output: every finding and every migration's class, all of it produced and then discarded.
  args: [OURS, ...paths, "--format", "json"],
  cwd,
  okCodes: LINT_OK,
});

async function corpusRun(corpus: string, rounds: number, baseline: string | undefined): Promise<CorpusResult> {
  const files = sqlFiles(corpus);
  const tools: Command[] = [
    ours([corpus]),
    ...(baseline ? [{ ...ours([corpus]), name: `migration-lint at ${path.basename(baseline)}`, args: [path.join(baseline, "bin", "migration-lint.js"), corpus, "--format", "json"], cwd: baseline }] : []),
    // squawk expands the pattern itself, the way its users run it over a folder.
    { name: "squawk", file: SQUAWK, args: [`${corpus}/**/*.sql`, "--reporter", "json"], okCodes: LINT_OK },
    { name: "parse-only floor", file: NODE, args: [FLOOR, corpus], okCodes: [0] },
  ];
  const skipped: Skipped[] = [];
  const notes = new Map<string, string>();
  if (existsSync(PGFENCE)) {
    // pgfence ends its whole run at the first file it cannot parse, so it gets the files that parse.
    const rejected = new Set(execFileSync(NODE, [FLOOR, corpus, "--list"], { encoding: "utf8" }).split("\n").filter(Boolean));
    const given = files.filter((f) => !rejected.has(f));
    tools.push({ name: "pgfence", file: PGFENCE, args: ["analyze", "--format", "sql", "--output", "json", ...given], okCodes: LINT_OK });
    if (rejected.size) notes.set("pgfence", `${given.length} of ${files.length} files: it stops at the first syntax error, so ${[...rejected].map((f) => path.relative(corpus, f)).join(", ")} is left out`);
  } else {
    skipped.push({ name: "pgfence", reason: "not installed (npm ci installs it as a devDependency)" });
  }

  log(`corpus: ${files.length} SQL files; warm-up`);
  const runnable: Command[] = [];
  for (const tool of tools) {
    try {
      log(`  ${tool.name}: ${describe(await measureOk(tool))}`);
      runnable.push(tool);
    } catch (error) {
      skipped.push({ name: tool.name, reason: (error as Error).message.split("\n").slice(0, 3).join(" ") });
      log(`  ${tool.name}: skipped (${(error as Error).message})`);
    }
  }
  const samples = new Map<string, Measurement[]>(runnable.map((t) => [t.name, []]));
  for (let r = 1; r <= rounds; r++) {
    const line: string[] = [];
    for (const tool of runnable) {
      const m = await measureOk(tool);
      samples.get(tool.name)!.push(m);
      line.push(`${tool.name} ${describe(m)}`);
    }
    log(`round ${r}/${rounds}: ${line.join(" · ")}`);
  }
  const results: ToolResult[] = runnable.map((t) => {
    const ms = samples.get(t.name)!;
    const rss = rssSummary(ms);
    const note = notes.get(t.name);
    return { name: t.name, ...(note ? { note } : {}), wall: summarize(ms.map((m) => m.wallMs)), ...(rss ? { rss } : {}) };
  });
  const ourWalls = samples.get("migration-lint")?.map((m) => m.wallMs) ?? [];
  const ratios: CorpusResult["ratios"] = {};
  for (const t of results) {
    if (t.name === "migration-lint") continue;
    const theirs = samples.get(t.name)!.map((m) => m.wallMs);
    ratios[t.name] = { ofMedians: ratio(ourWalls.length ? summarize(ourWalls).median : undefined, t.wall.median), paired: pairedRatio(ourWalls, theirs) };
  }
  return { files: files.length, bytes: totalBytes(files), rounds, tools: results, skipped, ratios };
}

const FACTORS = [1, 2, 4, 8];

async function scalingRun(corpus: string, rounds: number): Promise<ScalingResult> {
  const scratch = mkdtempSync(path.join(tmpdir(), "ml-bench-scale-"));
  try {
    const dirs = new Map<number, string>();
    for (const k of FACTORS) {
      const dir = path.join(scratch, `x${k}`);
      replicate(corpus, dir, k);
      dirs.set(k, dir);
    }
    log(`scaling: corpus ×${FACTORS.join(", ×")} in ${scratch}; warm-up`);
    log(`  ×1: ${describe(await measureOk(ours([dirs.get(1)!])))}`);
    const samples = new Map<number, Measurement[]>(FACTORS.map((k) => [k, []]));
    for (let r = 1; r <= rounds; r++) {
      const line: string[] = [];
      for (const k of FACTORS) {
        const m = await measureOk(ours([dirs.get(k)!]));
        samples.get(k)!.push(m);
        line.push(`×${k} ${describe(m)}`);
      }
      log(`round ${r}/${rounds}: ${line.join(" · ")}`);
    }
    const factors = FACTORS.map((factor) => {
      const ms = samples.get(factor)!;
      const rss = rssSummary(ms);
      return { factor, wall: summarize(ms.map((m) => m.wallMs)), ...(rss ? { rss } : {}) };
    });
    const fit = linearFit(factors.map((f) => [f.factor, f.wall.median] as const));
    const at = (k: number) => factors.find((f) => f.factor === k)?.wall.median;
    return { rounds, factors, fit, ratio8to1: ratio(at(8), at(1)) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const LENGTHS = [500, 1000, 2000, 4000];

/** One set whose history grows: replay, downs and rules must cost the same per migration at any length. */
async function historyRun(rounds: number): Promise<HistoryResult> {
  const scratch = mkdtempSync(path.join(tmpdir(), "ml-bench-history-"));
  try {
    const dirs = new Map(LENGTHS.map((n) => [n, path.join(scratch, `h${n}`)]));
    for (const [n, dir] of dirs) syntheticHistory(dir, n);
    log(`history: one set of ${LENGTHS.join(", ")} generated migrations; warm-up`);
    log(`  ${LENGTHS[0]}: ${describe(await measureOk(ours([dirs.get(LENGTHS[0]!)!])))}`);
    const samples = new Map<number, Measurement[]>(LENGTHS.map((n) => [n, []]));
    for (let r = 1; r <= rounds; r++) {
      const line: string[] = [];
      for (const n of LENGTHS) {
        const m = await measureOk(ours([dirs.get(n)!]));
        samples.get(n)!.push(m);
        line.push(`${n} ${describe(m)}`);
      }
      log(`round ${r}/${rounds}: ${line.join(" · ")}`);
    }
    const lengths = LENGTHS.map((migrations) => {
      const wall = summarize(samples.get(migrations)!.map((m) => m.wallMs));
      return { migrations, wall, perMigrationMs: wall.median / migrations };
    });
    const fit = linearFit(lengths.map((l) => [l.migrations, l.wall.median] as const));
    // The fastest run of each length: other load on the machine only adds time, and one slow round
    // between two lengths would make a straight line look bent.
    return { rounds, lengths, fit, growth: marginalGrowth(lengths.map((l) => [l.migrations, l.wall.min] as const)) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

async function precommitRun(corpus: string, runs: number): Promise<PrecommitResult> {
  const scratch = mkdtempSync(path.join(tmpdir(), "ml-bench-hook-"));
  try {
    const project = precommitProject(corpus, scratch);
    // The hook passes the staged file; discovery loads its whole set and lints only that migration.
    const command = ours([path.relative(project.root, project.staged)], project.root);
    log(`pre-commit: 1 new migration after ${project.history}; warm-up ${describe(await measureOk(command))}`);
    const ms: Measurement[] = [];
    for (let i = 0; i < runs; i++) ms.push(await measureOk(command));
    log(`  ${ms.map(describe).join(" · ")}`);
    const rss = rssSummary(ms);
    return { history: project.history, runs, wall: summarize(ms.map((m) => m.wallMs)), ...(rss ? { rss } : {}) };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

const MB = 1024; // GNU time reports KiB

function targets(r: Results): Target[] {
  const out: Target[] = [];
  const c = r.corpus;
  if (c) {
    const squawk = c.ratios["squawk"]?.ofMedians;
    const floor = c.ratios["parse-only floor"]?.ofMedians;
    out.push({ what: "corpus: migration-lint / squawk (wall)", value: formatRatio(squawk), target: "≤ 1.00×", met: squawk === undefined ? undefined : squawk <= 1.0 });
    out.push({ what: "corpus: migration-lint / parse-only floor (wall)", value: formatRatio(floor), target: "≤ 1.30×", met: floor === undefined ? undefined : floor <= 1.3 });
    const rss = c.tools.find((t) => t.name === "migration-lint")?.rss?.median;
    out.push({ what: "corpus: migration-lint peak RSS", value: rss === undefined ? "—" : formatMegabytes(rss), target: "≤ 300 MB", met: rss === undefined ? undefined : rss <= 300 * MB });
  }
  if (r.history) {
    const h = r.history;
    const first = h.lengths[0]!.migrations;
    const last = h.lengths[h.lengths.length - 1]!.migrations;
    out.push({ what: `history: cost of one more migration at ${last} vs at ${first} migrations in one set`, value: formatRatio(h.growth), target: "linear (≈ 1×; quadratic: 4×)", met: h.growth <= 1.5 });
  }
  if (r.precommit) {
    const p = r.precommit.wall.median;
    out.push({ what: `pre-commit: 1 migration after ${r.precommit.history} (median of ${r.precommit.runs})`, value: `${Math.round(p)} ms`, target: "≤ 300 ms", met: p <= 300 });
  }
  const c2 = r.corpus;
  if (c2) {
    const pgfence = c2.ratios["pgfence"]?.ofMedians;
    out.push({ what: "corpus --format json / pgfence (wall)", value: formatRatio(pgfence), target: "≤ 1.00×", met: pgfence === undefined ? undefined : pgfence <= 1.0 });
  }
  if (r.startup) {
    const goals: Record<string, [string, number]> = {
      "pre-commit": ["≤ 3.30×", 3.3],
      "--version": ["≤ 1.50×", 1.5],
      "corpus re-run with --cache": ["≤ 1.00×", 1.0],
    };
    for (const q of r.startup.ratios) {
      const goal = Object.entries(goals).find(([k]) => q.what.startsWith(k))?.[1];
      const v = q.paired ?? q.ofMedians;
      if (goal) out.push({ what: `${q.what} (per round, median)`, value: formatRatio(v), target: goal[0], met: v === undefined ? undefined : v <= goal[1] });
    }
  }
  if (r.bigFiles && r.bigFiles.length > 1) {
    const [a, b] = [r.bigFiles[0]!, r.bigFiles[r.bigFiles.length - 1]!];
    const perMbA = a.wallMs / a.megabytes;
    const perMbB = b.wallMs / b.megabytes;
    out.push({ what: `data migration: time per MB at ${b.megabytes} MB / at ${a.megabytes} MB`, value: formatRatio(perMbB / perMbA), target: "linear (≤ 1.20×)", met: perMbB / perMbA <= 1.2 });
    // Bounded: the trees of data statements are not kept (src/parse/lazy-node.ts), what stays is a few
    // hundred bytes per statement; 50 MB must stay well below 1 GB.
    const rss = b.peakRssKb;
    out.push({ what: `data migration: peak RSS at ${b.megabytes} MB`, value: rss === undefined ? "—" : formatMegabytes(rss), target: "≤ 700 MB at 50 MB", met: rss === undefined ? undefined : rss <= ((700 * b.megabytes) / 50) * MB });
    if (a.peakRssKb !== undefined && rss !== undefined) {
      const perMb = (rss - a.peakRssKb) / (b.megabytes - a.megabytes) / MB;
      out.push({ what: `data migration: peak RSS per MB between ${a.megabytes} MB and ${b.megabytes} MB`, value: `${perMb.toFixed(1)} MB`, target: "≤ 12 MB per MB", met: perMb <= 12 });
    }
  }
  if (r.scaling) {
    const k = r.scaling.ratio8to1;
    out.push({ what: "scaling: 8× corpus / 1× corpus (wall)", value: formatRatio(k), target: "≤ 8.50×", met: k === undefined ? undefined : k <= 8.5 });
  }
  return out;
}

const range = (s: Summary, fmt: (n: number) => string) => `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;

export function markdown(r: Results): string {
  const parts: string[] = [];
  parts.push(`Measured ${r.date.slice(0, 10)} at ${r.commit?.slice(0, 10) ?? "an uncommitted tree"}, Node ${r.node}, ${r.platform}, ${r.cpus} cores.`);
  if (r.corpus) {
    const c = r.corpus;
    parts.push(`### Whole corpus (${c.files} SQL files, ${(c.bytes / 1024 / 1024).toFixed(2)} MB; ${c.rounds} alternating rounds after a warm-up)`);
    const rows = c.tools.map((t) => {
      const rt = c.ratios[t.name];
      return [
        t.name + (t.note ? ` ¹` : ""),
        range(t.wall, formatSeconds),
        t.rss ? range(t.rss, formatMegabytes) : "—",
        t.name === "migration-lint" ? "1.00×" : formatRatio(rt?.ofMedians),
        t.name === "migration-lint" ? "1.00×" : formatRatio(rt?.paired),
      ];
    });
    parts.push(markdownTable(["tool", "wall, median (min–max)", "peak RSS, median (min–max)", "migration-lint / tool (medians)", "migration-lint / tool (per round, median)"], rows));
    const notes = c.tools.filter((t) => t.note).map((t) => `¹ ${t.name}: ${t.note}.`);
    for (const s of c.skipped) notes.push(`${s.name} did not run: ${s.reason}.`);
    if (notes.length) parts.push(notes.join("\n"));
  }
  if (r.scaling) {
    const s = r.scaling;
    const one = s.factors.find((f) => f.factor === 1)!.wall.median;
    parts.push(`### Scaling (corpus copies, each its own set; ${s.rounds} rounds)`);
    parts.push(
      markdownTable(
        ["copies", "wall, median (min–max)", "× the 1× time", "peak RSS, median"],
        s.factors.map((f) => [`${f.factor}×`, range(f.wall, formatSeconds), formatRatio(f.wall.median / one), f.rss ? formatMegabytes(f.rss.median) : "—"]),
      ),
    );
    parts.push(`Slope ${formatSeconds(s.fit.slope)} per copy (${formatRatio(s.fit.slope / one)} of the 1× time; intercept ${formatSeconds(s.fit.intercept)}, R² ${s.fit.r2.toFixed(4)}); 8×/1× = ${formatRatio(s.ratio8to1)}.`);
  }
  if (r.history) {
    const h = r.history;
    parts.push(`### History length (one generated set; ${h.rounds} rounds)`);
    parts.push(
      markdownTable(
        ["migrations", "wall, median (min–max)", "ms per migration"],
        h.lengths.map((l) => [String(l.migrations), range(l.wall, formatSeconds), l.perMigrationMs.toFixed(2)]),
      ),
    );
    parts.push(`Slope ${h.fit.slope.toFixed(2)} ms per migration (intercept ${formatSeconds(h.fit.intercept)}, R² ${h.fit.r2.toFixed(4)}); one more migration costs ${formatRatio(h.growth)} as much at ${h.lengths[h.lengths.length - 1]!.migrations} migrations as at ${h.lengths[0]!.migrations} (a quadratic replay: 4×).`);
  }
  if (r.precommit) {
    const p = r.precommit;
    parts.push(`### Pre-commit (one new migration after ${p.history}, lint + down, ${p.runs} runs)`);
    parts.push(`Median ${Math.round(p.wall.median)} ms (${Math.round(p.wall.min)}–${Math.round(p.wall.max)} ms)${p.rss ? `, peak RSS ${formatMegabytes(p.rss.median)}` : ""}.`);
  }
  if (r.startup) {
    const st = r.startup;
    parts.push(`### Where users wait (${st.rounds} alternating rounds after a warm-up)`);
    parts.push(markdownTable(["case", "wall, median (min–max)", "peak RSS, median"], st.rows.map((x) => [x.name, range(x.wall, formatSeconds), x.rss ? formatMegabytes(x.rss.median) : "—"])));
    parts.push(markdownTable(["ratio", "of medians", "per round, median"], st.ratios.map((q) => [q.what, formatRatio(q.ofMedians), formatRatio(q.paired)])));
  }
  if (r.bigFiles?.length) {
    parts.push("### Data migrations (a CREATE TABLE and INSERTs; one run each)");
    parts.push(
      markdownTable(
        ["size", "statements", "wall", "peak RSS", "s per MB"],
        r.bigFiles.map((b) => [`${b.megabytes} MB`, String(b.statements), formatSeconds(b.wallMs), b.peakRssKb === undefined ? "—" : formatMegabytes(b.peakRssKb), (b.wallMs / 1000 / b.megabytes).toFixed(2)]),
      ),
    );
  }
  if (r.ts) {
    const t = r.ts;
    parts.push(`### Migrations in TypeScript (the corpus's kind-E histories; ${t.rounds} alternating rounds after a warm-up)`);
    parts.push(markdownTable(["tool, input", "files", "wall, median (min–max)", "files/s"], t.rows.map((x) => [x.name, String(x.files), range(x.wall, formatSeconds), x.filesPerSecond.toFixed(0)])));
    parts.push(`migration-lint / pgfence on Flowise: ${formatRatio(t.ratio.ofMedians)} of medians, ${formatRatio(t.ratio.paired)} per round (pgfence cannot read the other four histories).`);
  }
  if (r.targets.length) {
    parts.push("### Targets");
    parts.push(markdownTable(["what", "measured", "target", "met"], r.targets.map((t) => [t.what, t.value, t.target, t.met === undefined ? "—" : t.met ? "yes" : "**no**"])));
  }
  return parts.join("\n\n") + "\n";
}

const DOCS_START = "<!-- bench:start -->";
const DOCS_END = "<!-- bench:end -->";

/** Replaces the generated block of docs/performance.md, keeping the prose around it. */
export function spliceDocs(doc: string, table: string): string {
  const start = doc.indexOf(DOCS_START);
  const end = doc.indexOf(DOCS_END);
  if (start < 0 || end < start) throw new Error(`docs/performance.md has no ${DOCS_START} … ${DOCS_END} block`);
  return `${doc.slice(0, start + DOCS_START.length)}\n${table}${doc.slice(end)}`;
}

function gitCommit(): string | undefined {
  try {
    return execFileSync("git", ["rev-parse", "HEAD"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }).trim();
  } catch {
    return undefined;
  }
}

async function main(): Promise<void> {
  const o = options();
  if (!existsSync(o.corpus)) throw new Error(`corpus not found: ${o.corpus} (pass --corpus DIR)`);
  if (!existsSync(path.join(ROOT, "dist", "src", "cli", "main.js")) || !existsSync(FLOOR)) throw new Error("dist/ is missing: run npm run build");
  if (!hasGnuTime()) log("note: /usr/bin/time (GNU time) not found; peak RSS is not measured");
  const results: Results = { date: new Date().toISOString(), commit: gitCommit(), node: process.versions.node, platform: `${process.platform}-${process.arch}`, cpus: cpus().length, targets: [] };
  if (o.only.has("corpus")) results.corpus = await corpusRun(o.corpus, o.rounds, o.baseline);
  if (o.only.has("scaling")) results.scaling = await scalingRun(o.corpus, o.scalingRounds);
  if (o.only.has("history")) results.history = await historyRun(o.historyRounds);
  if (o.only.has("precommit")) results.precommit = await precommitRun(o.corpus, o.precommitRuns);
  const tools = { node: NODE, ours: OURS, squawk: SQUAWK, log, ...(o.baseline ? { baseline: o.baseline } : {}) };
  if (o.only.has("startup")) results.startup = await startupRun(o.corpus, o.startupRounds, tools);
  if (o.only.has("bigfiles")) results.bigFiles = await bigFilesRun(o.bigFiles, tools);
  if (o.only.has("ts")) results.ts = await tsMigrationsRun(o.corpus, o.rounds, { ...tools, pgfence: PGFENCE });
  results.targets = targets(results);
  const table = markdown(results);
  writeFileSync(path.join(ROOT, "bench", "results.json"), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(path.join(ROOT, "bench", "results.md"), table);
  if (o.docs) {
    const docs = path.join(ROOT, "docs", "performance.md");
    writeFileSync(docs, spliceDocs(readFileSync(docs, "utf8"), table));
  }
  process.stdout.write(table);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    process.exitCode = 1;
  });
}

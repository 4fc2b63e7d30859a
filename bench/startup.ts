/**
 * The rows of `npm run bench` where users wait: each against its peer or floor, in alternating rounds
 * of one run (issue 14's table):
 * - pre-commit (one staged migration after a long history) / node start-up (`node -e 0`), without and
 *   with the hook's `--cache` (a new edit staged before each run: only the history prefix can hit);
 * - `--version` / node start-up;
 * - the corpus re-run with nothing changed, `--cache` / squawk on the same corpus;
 * and, once each (they take minutes), a generated 10 MB and 50 MB data migration: time and peak RSS.
 */
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { precommitProject } from "./corpus.js";
import { alternatingRounds, measureOk, type Command, type Measurement } from "./measure.js";
import { pairedRatio, ratio, summarize, type Summary } from "./stats.js";

export interface Row {
  name: string;
  wall: Summary;
  rss?: Summary;
}

export interface StartupResult {
  rounds: number;
  rows: Row[];
  ratios: { what: string; ofMedians: number | undefined; paired: number | undefined }[];
}

export interface BigFileResult {
  megabytes: number;
  statements: number;
  wallMs: number;
  peakRssKb: number | undefined;
}

interface Tools {
  node: string;
  ours: string;
  squawk: string;
  log: (line: string) => void;
  /** `--baseline DIR`: another built checkout, whose pre-commit, `--version` and cached runs join every round. */
  baseline?: string;
}

const rssOf = (ms: readonly Measurement[]): Summary | undefined => {
  const v = ms.map((m) => m.peakRssKb);
  return v.every((x): x is number => x !== undefined) ? summarize(v) : undefined;
};

export async function startupRun(corpus: string, rounds: number, t: Tools): Promise<StartupResult> {
  const scratch = mkdtempSync(path.join(tmpdir(), "ml-bench-start-"));
  try {
    const project = precommitProject(corpus, path.join(scratch, "hook"));
    const cacheFile = path.join(scratch, "corpus.cache");
    // The pre-commit hook's --cache (.pre-commit-hooks.yaml): each run stages another edit of the new
    // migration, as each commit does, so its report and its set's outcome miss and only the history
    // prefix can hit (the warm-up stores it).
    const staged = readFileSync(project.staged, "utf8");
    let edits = 0;
    const restage = () => writeFileSync(project.staged, staged.replaceAll("benchNote", `benchNote${++edits}`).replaceAll("BenchNote", `BenchNote${edits}`));
    const hookCache = path.join(scratch, "hook.cache");
    const stagedArg = path.relative(project.root, project.staged);
    const base = t.baseline ? path.join(t.baseline, "bin", "migration-lint.js") : undefined;
    const at = t.baseline ? ` at ${path.basename(t.baseline)}` : "";
    const commands: Command[] = [
      { name: "node start-up", file: t.node, args: ["-e", "0"], okCodes: [0] },
      { name: "pre-commit", file: t.node, args: [t.ours, path.relative(project.root, project.staged), "--format", "json"], cwd: project.root, okCodes: [0, 1] },
      { name: "pre-commit, --cache", file: t.node, args: [t.ours, stagedArg, "--format", "json", "--cache", "--cache-location", hookCache], cwd: project.root, okCodes: [0, 1], prepare: restage },
      { name: "--version", file: t.node, args: [t.ours, "--version"], okCodes: [0] },
      { name: "corpus, cached re-run", file: t.node, args: [t.ours, corpus, "--format", "json", "--cache", "--cache-location", cacheFile], okCodes: [0, 1] },
      { name: "squawk", file: t.squawk, args: [`${corpus}/**/*.sql`, "--reporter", "json"], okCodes: [0, 1] },
      ...(base
        ? [
            { name: `pre-commit${at}`, file: t.node, args: [base, path.relative(project.root, project.staged), "--format", "json"], cwd: project.root, okCodes: [0, 1] },
            { name: `pre-commit, --cache${at}`, file: t.node, args: [base, stagedArg, "--format", "json", "--cache", "--cache-location", `${hookCache}.baseline`], cwd: project.root, okCodes: [0, 1], prepare: restage },
            { name: `--version${at}`, file: t.node, args: [base, "--version"], okCodes: [0] },
            // Its own cache file: the two trees' entries differ (the format is in every key).
            { name: `corpus, cached re-run${at}`, file: t.node, args: [base, corpus, "--format", "json", "--cache", "--cache-location", `${cacheFile}.baseline`], okCodes: [0, 1] },
          ]
        : []),
    ];
    // The warm-up also fills the cache, so every measured cached run is a re-run with nothing changed.
    const samples = await alternatingRounds(commands, rounds, "start-up", t.log);
    const rows = commands.map((c) => {
      const ms = samples.get(c.name)!;
      const rss = rssOf(ms);
      return { name: c.name, wall: summarize(ms.map((m) => m.wallMs)), ...(rss ? { rss } : {}) };
    });
    const walls = (name: string) => samples.get(name)!.map((m) => m.wallMs);
    const med = (name: string) => rows.find((r) => r.name === name)!.wall.median;
    const pair = (a: string, b: string, what: string) => ({ what, ofMedians: ratio(med(a), med(b)), paired: pairedRatio(walls(a), walls(b)) });
    return {
      rounds,
      rows,
      ratios: [
        pair("pre-commit", "node start-up", `pre-commit (1 migration after ${project.history}) / node start-up`),
        pair("pre-commit, --cache", "node start-up", `pre-commit with --cache, a new edit staged (history prefix restored) / node start-up`),
        pair("--version", "node start-up", "--version / node start-up"),
        pair("corpus, cached re-run", "squawk", "corpus re-run with --cache / squawk"),
        ...(base
          ? [
              pair("pre-commit", `pre-commit${at}`, `before/after: pre-commit / pre-commit${at}`),
              pair("pre-commit, --cache", `pre-commit, --cache${at}`, `before/after: pre-commit with --cache / pre-commit with --cache${at}`),
              pair("--version", `--version${at}`, `before/after: --version / --version${at}`),
              pair("corpus, cached re-run", `corpus, cached re-run${at}`, `before/after: cached re-run / cached re-run${at}`),
              pair(`pre-commit${at}`, "node start-up", `baseline: pre-commit${at} / node start-up`),
              pair(`corpus, cached re-run${at}`, "squawk", `baseline: cached re-run${at} / squawk`),
              pair(`pre-commit, --cache${at}`, "node start-up", `baseline: pre-commit with --cache${at} / node start-up`),
            ]
          : []),
      ],
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** A CREATE TABLE and INSERTs of ~95 bytes each up to the size, as a seed dump or data migration has. */
export function writeDataMigration(file: string, megabytes: number): number {
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, "w");
  let bytes = 0;
  let statements = 1;
  const head = "CREATE TABLE seed (id bigint PRIMARY KEY, name text NOT NULL, note text);\n";
  writeSync(fd, head);
  bytes += head.length;
  let buf = "";
  for (let i = 0; bytes + buf.length < megabytes * 1024 * 1024; i++, statements++) {
    buf += `INSERT INTO seed (id, name, note) VALUES (${i}, 'name ${i}', 'some note about row ${i}');\n`;
    if (buf.length > 1 << 20) {
      writeSync(fd, buf);
      bytes += buf.length;
      buf = "";
    }
  }
  writeSync(fd, buf);
  closeSync(fd);
  return statements;
}

export async function bigFilesRun(sizes: readonly number[], t: Tools): Promise<BigFileResult[]> {
  const out: BigFileResult[] = [];
  for (const megabytes of sizes) {
    const scratch = mkdtempSync(path.join(tmpdir(), "ml-bench-big-"));
    try {
      const statements = writeDataMigration(path.join(scratch, "migrations", "001_seed.sql"), megabytes);
      const m = await measureOk({ name: `${megabytes} MB`, file: t.node, args: [t.ours, "--layout", "plain", "migrations", "--format", "json"], cwd: scratch, okCodes: [0, 1] });
      t.log(`big file ${megabytes} MB (${statements} statements): ${(m.wallMs / 1000).toFixed(1)} s, ${m.peakRssKb === undefined ? "?" : Math.round(m.peakRssKb / 1024)} MB`);
      out.push({ megabytes, statements, wallMs: m.wallMs, peakRssKb: m.peakRssKb });
    } finally {
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return out;
}

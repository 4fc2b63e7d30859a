/**
 * Runs one tool as a child process and measures it the same way for every tool: wall time from spawn
 * to exit (taken here), and peak resident memory as GNU time reports it (`%M`, the largest RSS of the
 * process and of the processes it waited for, so squawk's node wrapper and its binary count alike).
 * Standard output is discarded; the end of standard error is kept to explain a failure.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

export interface Command {
  /** The name the report uses. */
  name: string;
  file: string;
  args: readonly string[];
  cwd?: string;
  /** Exit codes that mean the tool ran to the end (linters exit 1 when they report findings). */
  okCodes: readonly number[];
  /** Run before each run of the command, untimed (the pre-commit rows stage a new edit of the migration). */
  prepare?: () => void;
}

export interface Measurement {
  wallMs: number;
  /** Peak RSS in KiB; undefined when GNU time is not installed. */
  peakRssKb: number | undefined;
  exitCode: number;
  stderrTail: string;
}

const GNU_TIME = "/usr/bin/time";

export function hasGnuTime(): boolean {
  return existsSync(GNU_TIME);
}

export async function measure(command: Command): Promise<Measurement> {
  const scratch = mkdtempSync(path.join(tmpdir(), "ml-bench-time-"));
  const rssFile = path.join(scratch, "rss");
  const timed = hasGnuTime();
  const [file, args] = timed ? [GNU_TIME, ["-f", "%M", "-o", rssFile, command.file, ...command.args]] : [command.file, [...command.args]];
  try {
    command.prepare?.();
    const started = performance.now();
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve, reject) => {
      const child = spawn(file, args, { cwd: command.cwd, stdio: ["ignore", "ignore", "pipe"] });
      let tail = "";
      child.stderr.setEncoding("utf8");
      child.stderr.on("data", (chunk: string) => {
        tail = (tail + chunk).slice(-4000);
      });
      child.on("error", reject);
      child.on("close", (c) => resolve({ code: c ?? -1, stderr: tail }));
    });
    const wallMs = performance.now() - started;
    const peakRssKb = timed ? parseRss(readFileSync(rssFile, "utf8")) : undefined;
    return { wallMs, peakRssKb, exitCode: code, stderrTail: stderr };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** GNU time writes "Command exited with non-zero status N" before the format's line when the tool fails. */
export function parseRss(output: string): number | undefined {
  const lines = output.trim().split("\n");
  const last = Number(lines[lines.length - 1]);
  return Number.isFinite(last) && last > 0 ? last : undefined;
}

/** Measures and checks that the tool ran to the end; a crash must not pass as a fast run. */
export async function measureOk(command: Command): Promise<Measurement> {
  const m = await measure(command);
  if (!command.okCodes.includes(m.exitCode)) {
    throw new Error(`${command.name} exited with ${m.exitCode}:\n${m.stderrTail.trim()}`);
  }
  return m;
}

/**
 * One warm-up run of each command, then `rounds` rounds in which the commands run one after another,
 * so they share the machine's noise; the samples by command name. `label` names the rows in the log.
 */
export async function alternatingRounds(commands: readonly Command[], rounds: number, label: string, log: (line: string) => void): Promise<Map<string, Measurement[]>> {
  for (const c of commands) log(`  warm-up ${c.name} (${label}): ${Math.round((await measureOk(c)).wallMs)} ms`);
  const samples = new Map<string, Measurement[]>(commands.map((c) => [c.name, []]));
  for (let r = 1; r <= rounds; r++) {
    const line: string[] = [];
    for (const c of commands) {
      const m = await measureOk(c);
      samples.get(c.name)!.push(m);
      line.push(`${c.name} ${Math.round(m.wallMs)} ms`);
    }
    log(`${label} round ${r}/${rounds}: ${line.join(" · ")}`);
  }
  return samples;
}

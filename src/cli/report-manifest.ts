/**
 * `--cache`'s fast check: what a cached report's run read, so an unchanged re-run can be answered
 * before the config is loaded or anything is discovered (src/cli/cached-rerun.ts).
 *
 * The report layer (src/pipeline/cache.ts) keys a report on the discovered sets, so a hit still walks
 * the tree, detects layouts, reads every file and parses the TypeScript modules. This layer keys a
 * *manifest* on the raw invocation (the arguments as typed, the working folder, the environment that
 * changes the output, the tool and Node versions) and lists every question the run asked the file
 * system with its answer:
 *
 * - every file discovery read, as a sha256 of its content (or the error reading it gave);
 * - every folder discovery walked, as a sha256 of its listing (so an added, removed or renamed file or
 *   folder under it misses);
 * - every "is there a file or folder here" discovery asked, with its answer;
 * - the files read besides discovery: the config candidates (`migration-lint.config.json` and
 *   package.json in the working folder and every folder above it, or the `--config` file), the lock
 *   file candidates and the `.git` checks that stop that search, drizzle's journals.
 *
 * Discovery is a function of its options and of these answers alone (its only I/O is the DiscoveryFs
 * it is handed), so when the same invocation gets the same answer to every question, in any order,
 * the run would discover the same sets from the same texts and print the same report. The check
 * replays each question with the same functions the run used (`nodeFs`), and any differing answer is
 * a miss that falls back to the full path.
 *
 * Content, not metadata. ESLint's file-entry-cache offers `--cache-strategy metadata` (a file is
 * unchanged when its size and mtime are) and `content` (a hash of its bytes); metadata misses an edit
 * that keeps both (a same-size edit within the file system's timestamp granularity, a tool that
 * restores mtimes) and hits nothing in CI, where a fresh clone gives every file a new mtime. A stale
 * report is worse than a slow one, and hashing the corpus's 19 MB costs ~40 ms, so every file is hashed.
 *
 * What discovery asked is noted with the answer discovery then used (the text it read, the listing
 * it walked), so the report was computed from exactly the noted answers; an edit after that makes the
 * next check miss, never hit. The inputs read outside discovery (the config, the lock file, drizzle's
 * journals) are asked before their readers read them, so an edit in between would leave the report
 * computed from other bytes than the noted ones: a manifest is stored only when asking those again
 * right after the run gives the same answers. Asking only those, not the whole history again, saves
 * the run a second walk and a second read of every migration (4% of a pre-commit run, paired).
 */
import { hash } from "node:crypto";
import { closeSync, openSync, readSync, statSync } from "node:fs";
import path from "node:path";
import type { DiscoveryFs } from "../layout/fs.js";
import { nodeFs } from "../layout/fs.js";
import { CACHE_TOOL_ID } from "../meta.js";
import { rememberedInvocation } from "./invocation.js";

/** Bumped when what a manifest records or how it is keyed changes. */
const MANIFEST_FORMAT = 1;
/** Manifest entries share the report area of the cache file; their keys carry this prefix. */
export const MANIFEST_KEY_PREFIX = "invocation:";

type Question = "read" | "kind" | "exists" | "walk";
const QUESTIONS: ReadonlySet<string> = new Set<Question>(["read", "kind", "exists", "walk"]);

/** Every question asked, with its answer (a digest, a kind, or `!code: message` for an error). */
export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  /** The report-layer key of the report this invocation printed. */
  report: string;
  /** The cache file, left out of every listing (see `ownFiles`). */
  cacheFile: string;
  answers: [Question, string, string][];
}

/**
 * The key of an invocation: the arguments exactly as given (so any two spellings are two keys, and no
 * argument parser is needed to compute it), the working folder, and what else the output depends on
 * outside the files: the colour decision's inputs and the versions.
 */
export function invocationKey(args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = process.env, stdoutIsTTY = !!process.stdout.isTTY): string {
  return `${MANIFEST_KEY_PREFIX}${digest(
    JSON.stringify({
      format: MANIFEST_FORMAT,
      tool: CACHE_TOOL_ID,
      node: process.version,
      args,
      cwd: path.resolve(cwd),
      noColor: env["NO_COLOR"] ?? null,
      forceColor: env["FORCE_COLOR"] ?? null,
      stdoutIsTTY,
    }),
  )}`;
}

/** A text is hashed as its UTF-8 bytes: for a file that decoded without a problem, the file's own bytes. */
function digest(content: string | Buffer): string {
  return hash("sha256", content, "base64");
}

function failure(error: unknown): string {
  const e = error as { code?: unknown; message?: unknown };
  return `!${String(e.code ?? "")}: ${String(e.message ?? error)}`;
}

/**
 * The cache file and its temporary files (`<file>.<pid>.tmp`, src/pipeline/cache.ts): a cached run
 * writes them, so a folder that holds them never lists the same twice. Discovery is not shown them (no
 * layout reads such a name, so this changes no set), and the listings are recorded without them.
 */
function ownFiles(cacheFile: string): (dir: string) => ((relative: string) => boolean) | undefined {
  const file = path.resolve(cacheFile).split(path.sep).join("/");
  // Per folder listed: its files are relative to it, and only a folder above the cache file holds it.
  return (dir) => {
    const rel = path.posix.relative(dir, file);
    if (rel.startsWith("../") || rel === ".." || path.posix.isAbsolute(rel)) return undefined;
    return (f) => f === rel || (f.startsWith(`${rel}.`) && f.endsWith(".tmp"));
  };
}

function listing(dir: string, files: string[], own: ReturnType<typeof ownFiles>): string[] {
  const isOwn = own(dir);
  return isOwn ? files.filter((f) => !isOwn(f)) : files;
}

/** The answers a run got, as it got them. A question answered twice differently spoils the log. */
export class InputLog {
  private readonly answers = new Map<string, [Question, string, string]>();
  /** The ids of the answers asked ahead of their reader (`ask`): those are asked again after the run. */
  private readonly askedAhead = new Set<string>();
  private readonly own: ReturnType<typeof ownFiles>;
  spoiled = false;

  constructor(readonly cacheFile: string) {
    this.own = ownFiles(cacheFile);
  }

  note(question: Question, absolute: string, answer: string): void {
    const id = `${question}\0${absolute}`;
    const before = this.answers.get(id);
    if (before && before[2] !== answer) this.spoiled = true;
    this.answers.set(id, [question, absolute, answer]);
  }

  /** Discovery's file system, answering as `inner` does and noting every answer. */
  recording(inner: DiscoveryFs): DiscoveryFs {
    const own = this.own;
    // Each question's answer is noted as `show` renders it, and a failure as its error, then rethrown.
    const noted = async <T>(q: Question, p: string, ask: () => Promise<T>, show: (value: T) => string): Promise<T> => {
      const at = inner.resolve(p);
      try {
        const value = await ask();
        this.note(q, at, show(value));
        return value;
      } catch (error) {
        this.note(q, at, failure(error));
        throw error;
      }
    };
    return {
      cwd: inner.cwd,
      resolve: (p) => inner.resolve(p),
      readText: (p) => noted("read", p, () => inner.readText(p), digest),
      exists: (p) => noted("exists", p, () => inner.exists(p), String),
      kind: (p) => noted("kind", p, () => inner.kind(p), String),
      walk: (p) => noted("walk", p, async () => listing(inner.resolve(p), await inner.walk(p), own), (files) => digest(files.join("\n"))),
    };
  }

  /** Asks `question` of the real file system now and notes the answer (the inputs read outside discovery). */
  async ask(question: Question, absolute: string, cwd: string): Promise<void> {
    this.note(question, absolute, await answer(nodeFs(cwd), question, absolute, this.own));
    this.askedAhead.add(`${question}\0${absolute}`);
  }

  manifest(report: string): Manifest | undefined {
    if (this.spoiled) return undefined;
    return { format: MANIFEST_FORMAT, report, cacheFile: this.cacheFile, answers: [...this.answers.values()] };
  }

  /** The answers asked ahead of their reader, as a manifest of their own (to ask again after the run). */
  askedAheadOnly(manifest: Manifest): Manifest {
    return { ...manifest, answers: manifest.answers.filter(([q, absolute]) => this.askedAhead.has(`${q}\0${absolute}`)) };
  }
}

async function answer(fs: DiscoveryFs, question: Question, absolute: string, own: ReturnType<typeof ownFiles>): Promise<string> {
  try {
    switch (question) {
      case "read":
        return digest(await fs.readText(absolute));
      case "exists":
        return String(await fs.exists(absolute));
      case "kind":
        return String(await fs.kind(absolute));
      case "walk":
        return digest(listing(absolute, await fs.walk(absolute), own).join("\n"));
    }
  } catch (error) {
    return failure(error);
  }
}

/**
 * The inputs a run reads outside discovery, noted before they are read (the config loader and the lock
 * file search ask from `cwd` up to the root; asking every folder up to the root is a superset of what
 * they stop at).
 */
export async function askOutsideInputs(log: InputLog, cwd: string, configPath: string | undefined): Promise<void> {
  const start = path.resolve(cwd);
  if (configPath) await log.ask("read", path.resolve(start, configPath), cwd);
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (!configPath) {
      await log.ask("read", path.join(dir, "migration-lint.config.json"), cwd);
      await log.ask("read", path.join(dir, "package.json"), cwd);
    }
    await log.ask("read", path.join(dir, "migration-lint.lock"), cwd);
    await log.ask("exists", path.join(dir, ".git"), cwd);
    if (path.dirname(dir) === dir) break;
  }
}

/**
 * The answer to a question whose recorded answer was not an error, asked without `nodeFs`' wrapping
 * (its path resolving and error wording cost a third of a hit on the corpus); undefined when only
 * `nodeFs` can tell. A read is the hash of the file's bytes: the run hashed the text it decoded from
 * them, which encodes back to the same bytes (the run rejects bytes that are not UTF-8), so equal
 * digests mean equal bytes, and equal bytes decode to the same text. A kind is nodeFs' `kind` rule.
 */
function quickAnswer(question: Question, absolute: string): string | undefined {
  try {
    switch (question) {
      case "read":
        return digest(readWhole(absolute));
      case "kind":
      case "exists": {
        const s = statSync(absolute, { throwIfNoEntry: false });
        const kind = !s ? undefined : s.isDirectory() ? "dir" : s.isFile() ? "file" : undefined;
        return question === "kind" ? String(kind) : String(kind !== undefined);
      }
      case "walk":
        return undefined;
    }
  } catch {
    return undefined;
  }
}

let scratch = Buffer.allocUnsafe(1 << 20);

/**
 * A file's bytes, read into one reused buffer until the end (readFileSync also stats each file and
 * allocates a buffer for it: a sixth of a hit's file reading on the corpus). Valid until the next call.
 */
function readWhole(absolute: string): Buffer {
  const fd = openSync(absolute, "r");
  try {
    let got = 0;
    for (;;) {
      if (got === scratch.length) scratch = Buffer.concat([scratch, Buffer.allocUnsafe(scratch.length)]);
      const n = readSync(fd, scratch, got, scratch.length - got, null);
      if (n === 0) return scratch.subarray(0, got);
      got += n;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The first question whose answer changed, or undefined when every answer is the same (a hit). The
 * questions about `first` (absolute paths) are asked before the others: any changed answer is a miss
 * whatever the order, and the files named on the command line are the likeliest to have changed (a
 * pre-commit hook names the staged ones), so a miss is found without hashing the whole history first.
 */
export async function firstChange(manifest: Manifest, cwd: string, first: ReadonlySet<string> = new Set()): Promise<string | undefined> {
  const fs = nodeFs(cwd);
  const own = ownFiles(manifest.cacheFile);
  const named = manifest.answers.filter(([, absolute]) => first.has(absolute));
  const rest = named.length === 0 ? manifest.answers : manifest.answers.filter(([, absolute]) => !first.has(absolute));
  for (const [question, absolute, was] of [...named, ...rest]) {
    const now = (!was.startsWith("!") && quickAnswer(question, absolute)) || (await answer(fs, question, absolute, own));
    if (now !== was) return `${question} ${absolute}`;
  }
  return undefined;
}

export function encodeManifest(manifest: Manifest): Buffer {
  return Buffer.from(JSON.stringify(manifest));
}

/** A manifest from its stored bytes; throws when they are not one of this format. */
export function decodeManifest(bytes: Buffer): Manifest {
  const m = JSON.parse(bytes.toString("utf8")) as Partial<Manifest>;
  if (m.format !== MANIFEST_FORMAT || typeof m.report !== "string" || typeof m.cacheFile !== "string" || !Array.isArray(m.answers)) throw new Error("not a manifest of this format");
  for (const a of m.answers) {
    if (!Array.isArray(a) || a.length !== 3 || !QUESTIONS.has(a[0] as string) || typeof a[1] !== "string" || typeof a[2] !== "string") {
      throw new Error("not a manifest of this format");
    }
  }
  return m as Manifest;
}

/**
 * The cache entry of this invocation's manifest, pointing at the report `reportKey`: undefined when the
 * invocation is unknown (the API), the log is spoiled, or an input asked ahead of its reader changed
 * since (see the header: discovery's own answers are the ones the run used).
 */
export async function manifestEntry(log: InputLog, reportKey: string, exitCode: number, cwd: string): Promise<{ key: string; exitCode: number; output: Buffer } | undefined> {
  const args = rememberedInvocation();
  const manifest = args && log.manifest(reportKey);
  if (!args || !manifest) return undefined;
  if ((await firstChange(log.askedAheadOnly(manifest), cwd)) !== undefined) return undefined;
  return { key: invocationKey(args, cwd), exitCode, output: encodeManifest(manifest) };
}

/**
 * Real temporary git repositories and a real `migration-lint` on PATH for the end-to-end tests.
 * The command is a shell script running `test/e2e/cli.ts` (the sources, through tsx) in a new
 * process, so hook recipes run exactly as written: `sh -c '<the documented command>'`.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { runCli } from "./in-process.js";

export const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
const ENTRY = path.join(ROOT, "test/e2e/cli.ts");

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Same environment for every child: no colours, no progress bar, a fixed git identity, no user git config. */
function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    NO_COLOR: "1",
    CI: "1",
    GIT_AUTHOR_NAME: "Test",
    GIT_AUTHOR_EMAIL: "test@example.com",
    GIT_COMMITTER_NAME: "Test",
    GIT_COMMITTER_EMAIL: "test@example.com",
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    ...extra,
  };
}

export class Repo {
  readonly dir: string;
  /** A folder holding the `migration-lint` command, put first on PATH. */
  readonly bin: string;

  constructor(prefix = "mll-e2e-") {
    this.dir = mkdtempSync(path.join(tmpdir(), prefix));
    this.bin = mkdtempSync(path.join(tmpdir(), "mll-bin-"));
    const script = path.join(this.bin, "migration-lint");
    writeFileSync(script, `#!/bin/sh\nexec "${process.execPath}" --import "${TSX}" "${ENTRY}" "$@"\n`);
    chmodSync(script, 0o755);
    this.git("init", "-q", "-b", "main");
    this.git("config", "commit.gpgsign", "false");
  }

  /** As if migration-lint were a devDependency: `npx migration-lint` finds it without the network. */
  installLocally(): void {
    mkdirSync(path.join(this.dir, "node_modules/.bin"), { recursive: true });
    symlinkSync(path.join(this.bin, "migration-lint"), path.join(this.dir, "node_modules/.bin/migration-lint"));
    this.write("package.json", JSON.stringify({ name: "app", private: true, devDependencies: { "migration-lint": "*" } }, null, 2));
    this.write(".gitignore", "node_modules/\n");
  }

  write(rel: string, text: string): void {
    const file = path.join(this.dir, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, text);
  }

  read(rel: string): string {
    return readFileSync(path.join(this.dir, rel), "utf8");
  }

  remove(rel: string): void {
    rmSync(path.join(this.dir, rel), { recursive: true, force: true });
  }

  git(...args: string[]): string {
    const r = spawnSync("git", args, { cwd: this.dir, env: childEnv(), encoding: "utf8" });
    if (r.status !== 0) throw new Error(`git ${args.join(" ")} failed: ${r.stderr}`);
    return r.stdout;
  }

  commitAll(message: string): void {
    this.git("add", "-A");
    this.git("commit", "-q", "-m", message);
  }

  /** Files staged for the next commit, as git hook managers list them (added, copied, modified, renamed). */
  staged(): string[] {
    return this.git("diff", "--cached", "--name-only", "--diff-filter=ACMR").split("\n").filter(Boolean);
  }

  /** `migration-lint <args>` in a new process. */
  cli(args: readonly string[], cwd = this.dir): Run {
    return this.sh(["migration-lint", ...args.map(shellQuote)].join(" "), cwd);
  }

  /**
   * `migration-lint <args>` in this process (see in-process.ts): the same command line without the
   * seconds a new process spends loading the sources. For what needs no shell or hook manager.
   */
  run(args: readonly string[], cwd = this.dir): Promise<Run> {
    return runCli(args, cwd);
  }

  /** A shell command line, with `migration-lint` on PATH. */
  sh(command: string, cwd = this.dir): Run {
    const r = spawnSync("sh", ["-c", command], { cwd, env: childEnv({ PATH: `${this.bin}${path.delimiter}${process.env["PATH"] ?? ""}` }), encoding: "utf8" });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  }

  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.bin, { recursive: true, force: true });
  }
}

export function shellQuote(s: string): string {
  return /^[\w./:=@%+-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** A small diesel project: `diesel.toml` and version folders with up.sql / down.sql. */
export function dieselMigration(repo: Repo, folder: string, up: string, down?: string): void {
  repo.write(`migrations/${folder}/up.sql`, up);
  if (down !== undefined) repo.write(`migrations/${folder}/down.sql`, down);
}

export function dieselProject(repo: Repo): void {
  repo.write("diesel.toml", '[migrations_directory]\ndir = "migrations"\n');
}

/** The up of the pre-commit suites' first migration. */
export const USERS_UP = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);\n";

/** The pre-commit suites' repository: a diesel project with a users table and a nickname column, committed. */
export function dieselUsersRepo(): Repo {
  const repo = new Repo();
  repo.installLocally();
  dieselProject(repo);
  dieselMigration(repo, "2024-01-01-000000_users", USERS_UP, "DROP TABLE users;\n");
  // Linted on its own the nickname migration raises prefer-text-field; a hook must not report it once committed.
  dieselMigration(repo, "2024-02-01-000000_nickname", "ALTER TABLE users ADD COLUMN nickname varchar(40);\n", "ALTER TABLE users DROP COLUMN nickname;\n");
  repo.commitAll("history");
  return repo;
}

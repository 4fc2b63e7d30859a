/**
 * The progress bar: on a terminal, for a run over a second, on stderr; never in CI or when stderr is
 * not a terminal. The terminal is a real pseudo-terminal from util-linux `script` (skipped without it).
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Repo, shellQuote } from "./helpers.js";

const hasScript = existsSync("/usr/bin/script") && spawnSync("script", ["-qec", "true", "/dev/null"]).status === 0;

describe.skipIf(!hasScript)("progress bar", () => {
  let repo: Repo;

  beforeAll(() => {
    repo = new Repo();
    // Enough migrations that linting them takes more than a second.
    for (let i = 1; i <= 1000; i++) {
      const n = String(i).padStart(4, "0");
      repo.write(`migrations/${n}_t${i}.sql`, `CREATE TABLE t${i} (id bigint PRIMARY KEY, note text);\nALTER TABLE t${i} ADD COLUMN extra text;\nCREATE INDEX t${i}_note_idx ON t${i} (note);\n`);
    }
  });
  afterAll(() => repo.cleanup());

  /** Runs the CLI with stdout in a file and stderr on a pseudo-terminal; returns what the terminal showed. */
  function onTerminal(env: string): { terminal: string; stdout: string; seconds: number } {
    const out = path.join(repo.dir, "stdout.json");
    const log = path.join(repo.dir, "terminal.log");
    const command = `${env} ${shellQuote(path.join(repo.bin, "migration-lint"))} migrations --format json > ${shellQuote(out)}`;
    const started = Date.now();
    spawnSync("script", ["-qec", command, log], { cwd: repo.dir, env: { ...process.env, CI: "", NO_COLOR: "1" }, encoding: "utf8" });
    return { terminal: readFileSync(log, "utf8"), stdout: readFileSync(out, "utf8"), seconds: (Date.now() - started) / 1000 };
  }

  it("shows on a terminal for a run over a second, and never in the output itself", (ctx) => {
    const { terminal, stdout, seconds } = onTerminal("env -u CI");
    expect(JSON.parse(stdout)).toHaveProperty("summary");
    // The bar waits a second; a machine fast enough to lint all this sooner shows none, rightly.
    if (seconds < 2.5) ctx.skip();
    expect(terminal).toMatch(/linting \[#+\] 1000\/1000/);
    expect(stdout).not.toContain("linting");
  });

  it("stays out of CI logs and of output that is not a terminal", () => {
    expect(onTerminal("CI=1").terminal).not.toContain("linting");
    const piped = repo.cli(["migrations", "--format", "json"]);
    expect(piped.stderr).toBe("");
  });
});

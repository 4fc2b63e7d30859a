/**
 * Inputs users really have: a data migration of megabytes, one above the size limit, and a file with a
 * syntax error among good statements. Through the real command line, on files generated in a temp dir.
 * (Times are the bench's job: `npm run bench` has the 10 MB and 50 MB rows.)
 */
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { MAX_FILE_BYTES } from "../../src/parse/index.js";
import { runCli } from "./in-process.js";
import { writeTree } from "../write-tree.js";

const tmp = mkdtempSync(path.join(tmpdir(), "mll-inputs-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

interface Report {
  findings: { ruleId: string; path: string; line: number; column: number; message: string }[];
}

function project(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  writeTree(dir, files);
  return dir;
}

/** Writes `rows` INSERT lines after a header, in pieces, as a seed dump would be. */
function writeSeed(file: string, header: string, rows: number, footer = ""): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const fd = openSync(file, "w");
  writeSync(fd, header);
  let buf = "";
  for (let i = 0; i < rows; i++) {
    buf += `INSERT INTO seed (id, name, note) VALUES (${i}, 'name ${i}', 'some note about row ${i}');\n`;
    if (buf.length > 1 << 20) {
      writeSync(fd, buf);
      buf = "";
    }
  }
  writeSync(fd, buf + footer);
  closeSync(fd);
}

const byRule = (r: Report, ...ids: string[]) => r.findings.filter((f) => ids.includes(f.ruleId)).map((f) => [f.ruleId, f.path, f.line, f.column]);

describe("a data migration of megabytes", () => {
  it("is linted to the end: findings on its last lines, and the syntax error near its end at its line:col", async () => {
    const rows = 40_000; // about 3.6 MB, many parse chunks
    const dir = path.join(tmp, "seed");
    const header = "CREATE TABLE seed (id bigint PRIMARY KEY, name text NOT NULL, note text);\n";
    const footer = "ALTER TABLE users ADD COLUMN score int NOT NULL;\nINSERT INTO seed (id, name) VALUES (1, 'x') oops;\n";
    writeSeed(path.join(dir, "migrations/001_seed.sql"), "CREATE TABLE users (id bigint PRIMARY KEY);\n", 0);
    writeSeed(path.join(dir, "migrations/002_seed.sql"), header, rows, "CREATE INDEX users_id ON users (id);\n" + footer);
    const run = await runCli(["--format", "json", "--layout", "plain"], dir);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    const last = rows + 2;
    expect(byRule(report, "syntax-error", "require-concurrent-index-creation", "adding-required-field")).toEqual([
      ["require-concurrent-index-creation", "migrations/002_seed.sql", last, 1],
      ["adding-required-field", "migrations/002_seed.sql", last + 1, 30],
      ["syntax-error", "migrations/002_seed.sql", last + 2, 45],
    ]);
  }, 120_000);

  it("above the documented limit is one file-too-large error, not a hang, and --fix writes nothing for it", async () => {
    const dir = path.join(tmp, "huge");
    const rows = Math.ceil(MAX_FILE_BYTES / 80) + 1000;
    writeSeed(path.join(dir, "migrations/001_users.up.sql"), "CREATE TABLE users (id bigint PRIMARY KEY);\n", 0);
    writeSeed(path.join(dir, "migrations/002_seed.up.sql"), "CREATE TABLE seed (id bigint PRIMARY KEY, name text NOT NULL, note text);\n", rows);
    const run = await runCli(["--format", "json", "--fix"], dir);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    const big = report.findings.filter((f) => f.path === "migrations/002_seed.up.sql");
    expect(big.map((f) => [f.ruleId, f.line, f.column])).toEqual([["file-too-large", 1, 1]]);
    expect(big[0]!.message).toMatch(/^This file is \d+\.\d MiB, above the 64\.0 MiB migration-lint parses/);
    expect(run.stderr).toContain("migrations/002_seed.up.sql: the up is too large to parse");
    expect(existsSync(path.join(dir, "migrations/002_seed.down.sql"))).toBe(false);
  }, 120_000);
});

describe("a syntax error among good statements", () => {
  const files = {
    "migrations/1_users.up.sql": "CREATE TABLE users (id bigint PRIMARY KEY);\n",
    "migrations/2_bad.up.sql":
      "CREATE INDEX users_idx ON users (id);\nALTER TABLE users ADD COLUMN name text\nALTER TABLE users ADD COLUMN age int;\nALTER TABLE users ADD COLUMN email text NOT NULL;\n",
  };

  it("is reported at PostgreSQL's line:col and the other statements of its file are still linted", async () => {
    const run = await runCli(["--format", "json"], project("broken", files));
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as Report;
    expect(byRule(report, "syntax-error", "require-concurrent-index-creation", "adding-required-field")).toEqual([
      ["require-concurrent-index-creation", "migrations/2_bad.up.sql", 1, 1],
      ["syntax-error", "migrations/2_bad.up.sql", 3, 1],
      ["adding-required-field", "migrations/2_bad.up.sql", 4, 30],
    ]);
    // Its down cannot be judged from half a file: no reversibility finding on it.
    expect(report.findings.filter((f) => f.path === "migrations/2_bad.up.sql" && ["missing-down", "lossy-migration", "irreversible-migration"].includes(f.ruleId))).toEqual([]);
  });

  it("--fix still writes nothing for that file", async () => {
    const dir = project("broken-fix", files);
    const run = await runCli(["--fix", "--format", "json"], dir);
    expect(run.stderr).toContain("migrations/2_bad.up.sql: the up does not parse");
    expect(existsSync(path.join(dir, "migrations/2_bad.down.sql"))).toBe(false);
  });
});

/**
 * Inline `-- ROLLBACK START` … `-- ROLLBACK END` sections in a supabase project, through the real
 * command line: `supabase db push` applies the whole file, so a live section is an error with a fix;
 * `--fix` comments it out (and writes new sections commented); the commented section is still the
 * down that lint, `down` and `verify` (PGlite) read.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "./in-process.js";

const USERS = "supabase/migrations/20240101000000_users.sql";
const EMAIL = "supabase/migrations/20240102000000_email.sql";
const dir = mkdtempSync(path.join(tmpdir(), "mll-inline-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(rel: string, text: string): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
}
const read = (rel: string) => readFileSync(path.join(dir, rel), "utf8");
type Report = { findings: { ruleId: string; severity: string; path: string; line: number; column: number; fix?: { edits: { text: string }[] } }[] };
const findings = async () => (JSON.parse((await runCli(["--format", "json"], dir)).stdout) as Report).findings;

describe("inline ROLLBACK sections in a supabase project", () => {
  it("a live section is an error at its first SQL line, with the commented section as the fix; the up excludes it", async () => {
    write("supabase/config.toml", 'project_id = "app"\n');
    write(USERS, "CREATE TABLE users (id bigint PRIMARY KEY);\n\n-- ROLLBACK START\n-- undo the table\nDROP TABLE users;\n-- ROLLBACK END\n");
    write(EMAIL, "SET lock_timeout = '2s';\nSET statement_timeout = '10s';\nALTER TABLE users ADD COLUMN email text;\n");
    const all = await findings();
    // The DROP in the section is not read as part of the up: no lossy-migration, no unknown table.
    expect(all.map((f) => [f.ruleId, f.severity, `${f.path}:${f.line}:${f.column}`])).toEqual([
      ["live-rollback-section", "error", `${USERS}:5:1`],
      // The team keeps its downs inline: the migration without a section is expected to have one.
      ["missing-down", "warning", `${EMAIL}:1:1`],
    ]);
    expect(all[0]!.fix!.edits[0]!.text).toBe("\n-- -- undo the table\n-- DROP TABLE users;\n");
    expect((await runCli([], dir)).code).toBe(1);
  });

  it("--fix comments the live section out (keeping its SQL) and writes the missing down as a commented section", async () => {
    const run = await runCli(["--fix"], dir);
    expect(run.stderr).toContain(`wrote ${USERS} (reversible): commented out the live ROLLBACK section\n`);
    expect(run.stderr).toContain(`wrote ${EMAIL} (reversible): generated down written\n`);
    expect(read(USERS)).toBe("CREATE TABLE users (id bigint PRIMARY KEY);\n\n-- ROLLBACK START\n-- -- undo the table\n-- DROP TABLE users;\n-- ROLLBACK END\n");
    const email = read(EMAIL);
    expect(email).toMatch(/\n-- ROLLBACK START\n(?:-- [^\n]*\n|\n)*-- ROLLBACK END\n$/);
    expect(email).toContain("\n-- ALTER TABLE users DROP COLUMN IF EXISTS email;\n");
    // Nothing of the section is live SQL any more, and the set lints clean.
    expect(await findings()).toEqual([]);
    expect((await runCli(["--fix"], dir)).stderr).toMatch(/--fix: 0 downs written, 1 already up to date, 1 kept\.\n$/);
  });

  it("verify reads the commented sections as the downs and proves them on PGlite", async () => {
    const run = await runCli(["verify", ".", "--format", "json"], dir);
    expect(run.code).toBe(0);
    const sets = (JSON.parse(run.stdout) as { sets: { report: { results: { id: string; status: string }[] } }[] }).sets;
    expect(sets[0]!.report.results.map((r) => [r.id, r.status])).toEqual([
      ["20240101000000_users", "exact"],
      ["20240102000000_email", "exact"],
    ]);
  }, 120_000);
});

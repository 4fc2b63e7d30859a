/**
 * The TypeScript/JavaScript fixture projects end to end through the CLI: `--fix` fills each empty or
 * missing `down()` (and node-pg-migrate's empty `-- Down Migration` part) in the module's own style, a
 * second `--fix` changes nothing, `--force` is needed to replace a hand-written down, and `verify`
 * proves every down on PGlite.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "./helpers.js";
import { runCli } from "./in-process.js";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function copy(lib: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), `ml-ts-${lib}-`));
  dirs.push(dir);
  cpSync(path.join(ROOT, "fixtures/ts", lib), dir, { recursive: true });
  return dir;
}

/** Every line of `before` appears in `after`, in the same order. */
function keepsLines(before: string, after: string): boolean {
  const lines = after.split("\n");
  let at = 0;
  for (const line of before.split("\n")) {
    const found = lines.findIndex((l, i) => i >= at && l.startsWith(line));
    if (found < 0) return false;
    at = found + 1;
  }
  return true;
}

const CASES: [lib: string, file: string, style: string][] = [
  ["typeorm", "migrations/1700000001000-AddProfile.ts", "    await queryRunner.query(`DROP TABLE IF EXISTS profiles`);"],
  ["mikro-orm", "migrations/Migration20240102000000.ts", "    this.addSql(`DROP INDEX IF EXISTS author_name_index`);"],
  ["kysely", "migrations/0002_add_species.ts", "  await sql`DROP INDEX IF EXISTS pet_species_idx`.execute(db);"],
  ["knex", "migrations/20240102000000_add_status.js", "  await knex.raw(`DROP TYPE IF EXISTS order_status`);"],
  ["node-pg-migrate", "migrations/1700000002000_add-year.js", "  pgm.sql(`ALTER TABLE books DROP COLUMN IF EXISTS published`);"],
];

describe("TypeScript/JavaScript migrations: --fix and verify", () => {
  for (const [lib, file, style] of CASES) {
    it(`${lib}: --fix writes the down() in the file's style, once, and verify proves every down`, { timeout: 120_000 }, async () => {
      const dir = copy(lib);
      const before = readFileSync(path.join(dir, file), "utf8");
      await runCli(["--fix", "--quiet"], dir);
      const after = readFileSync(path.join(dir, file), "utf8");
      expect(after).not.toBe(before);
      expect(after.split("\n")).toContain(style);
      // Nothing of the module is lost: its lines all come back, in order (an empty `{}` becomes a block,
      // whose `}` and the statement's `;` after it move to the block's last line).
      expect(keepsLines(before.replace(/\{\};?/, "{"), after)).toBe(true);
      // Idempotent: a second --fix finds the downs written and changes nothing.
      await runCli(["--fix", "--quiet"], dir);
      expect(readFileSync(path.join(dir, file), "utf8")).toBe(after);
      const lint = JSON.parse((await runCli(["--format", "json"], dir)).stdout) as { findings: { ruleId: string }[] };
      expect(lint.findings.map((f) => f.ruleId)).not.toContain("missing-down");
      const verify = await runCli(["verify", ".", "--format", "json"], dir);
      const results = (JSON.parse(verify.stdout) as { sets: { report: { results: { id: string; status: string }[] } }[] }).sets[0]!.report.results;
      expect(results.map((r) => r.status).every((s) => s === "exact")).toBe(true);
      expect(results.length).toBeGreaterThanOrEqual(2);
    });
  }
});

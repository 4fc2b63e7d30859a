/** `migration-lint verify` end to end through yargs, on a small diesel project in a temp folder. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import yargs from "yargs";
import { createVerifyCommand } from "../../src/cli/commands/verify.js";
import { globalOptions } from "../../src/cli/options.js";

let dir: string;

function write(rel: string, text: string): void {
  mkdirSync(join(dir, rel, ".."), { recursive: true });
  writeFileSync(join(dir, rel), text);
}

async function run(args: string[]): Promise<{ code: number; out: string }> {
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
    out += String(chunk);
    return true;
  });
  const cwd = process.cwd();
  process.chdir(dir);
  process.exitCode = 0;
  try {
    await globalOptions(yargs(args)).command(createVerifyCommand())
      .strict()
      .fail((message, error) => {
        throw error ?? new Error(message);
      })
      .parseAsync();
    return { code: Number(process.exitCode ?? 0), out };
  } finally {
    process.chdir(cwd);
    spy.mockRestore();
    process.exitCode = 0;
  }
}

describe("verify command", () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "mlv-cmd-"));
    write("migrations/2024-01-01-000000_users/up.sql", "CREATE TABLE users (id int PRIMARY KEY, email text DEFAULT '');\n");
    write("migrations/2024-01-01-000000_users/down.sql", "DROP TABLE users;\n");
    write("migrations/2024-01-02-000000_name/up.sql", "ALTER TABLE users ADD name text NOT NULL DEFAULT '';\n");
    write("migrations/2024-01-02-000000_name/down.sql", "ALTER TABLE users DROP name;\n");
    write("migrations/2024-01-03-000000_default/up.sql", "ALTER TABLE users ALTER email DROP DEFAULT;\n");
    write("migrations/2024-01-03-000000_default/down.sql", "-- TODO\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the non-exact migrations and a summary, exit 1", async () => {
    const { code, out } = await run(["verify", "migrations"]);
    expect(code).toBe(1);
    expect(out).toMatch(/empty down\s+2024-01-03-000000_default/);
    expect(out).toMatch(/after down: ~ table public\.users › column email › default: "''::text" → none/);
    expect(out).toMatch(/3 verified: 2 exact, 0 exact except column order, 0 differ, 1 empty down/);
  });

  it("--to limits the range; all exact is exit 0; --format json", async () => {
    const { code, out } = await run(["verify", "migrations", "--to", "2024-01-02-000000_name", "--format", "json"]);
    expect(code).toBe(0);
    const json = JSON.parse(out) as { sets: { report: { results: { id: string; status: string }[] } }[] };
    expect(json.sets[0]!.report.results.map((r) => [r.id, r.status])).toEqual([
      ["2024-01-01-000000_users", "exact"],
      ["2024-01-02-000000_name", "exact"],
    ]);
  });

  it("an unknown --from is a usage error", async () => {
    await expect(run(["verify", "migrations", "--from", "nope"])).rejects.toThrow(/--from nope: no migration has this id/);
  });
});

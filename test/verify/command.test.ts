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
    // A project whose migration guards on diesel's journal, and one that assumes a role a setup file creates.
    write("journal/2024-01-01-000000_guarded/up.sql", "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM __diesel_schema_migrations WHERE version = '1') THEN CREATE TABLE a (x int); END IF; END $$;\n");
    write("journal/2024-01-01-000000_guarded/down.sql", "DROP TABLE a;\n");
    write("roles/2024-01-01-000000_grant/up.sql", "CREATE TABLE a (x int);\nGRANT SELECT ON a TO app_reader;\n");
    write("roles/2024-01-01-000000_grant/down.sql", "DROP TABLE a;\n");
    write("setup.sql", "CREATE ROLE app_reader;\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("prints the non-exact migrations and a summary, exit 1", async () => {
    const { code, out } = await run(["verify", "migrations"]);
    expect(code).toBe(1);
    expect(out).toMatch(/empty down\s+2024-01-03-000000_default/);
    expect(out).toMatch(/after down: ~ table public\.users › column email › default: "''::text" → none/);
    expect(out).toMatch(/3 verified: 2 exact, 0 exact except column order, 0 differ, 1 empty down/);
  }, 120_000);

  it("--to limits the range; all exact is exit 0; --format json", async () => {
    const { code, out } = await run(["verify", "migrations", "--to", "2024-01-02-000000_name", "--format", "json"]);
    expect(code).toBe(0);
    const json = JSON.parse(out) as { sets: { report: { results: { id: string; status: string }[] } }[] };
    expect(json.sets[0]!.report.results.map((r) => [r.id, r.status])).toEqual([
      ["2024-01-01-000000_users", "exact"],
      ["2024-01-02-000000_name", "exact"],
    ]);
  });

  it("--fail-on: irreversible fails only on downs that cannot run (an empty down here), lossy on differences too", async () => {
    expect((await run(["verify", "migrations", "--fail-on", "irreversible"])).code).toBe(1);
    write("lossy/2024-01-01-000000_t/up.sql", "CREATE TABLE t (a int DEFAULT 1);\n");
    write("lossy/2024-01-01-000000_t/down.sql", "DROP TABLE t;\n");
    write("lossy/2024-01-02-000000_d/up.sql", "ALTER TABLE t ALTER a SET DEFAULT 2;\n");
    write("lossy/2024-01-02-000000_d/down.sql", "ALTER TABLE t ALTER a DROP DEFAULT;\n");
    expect((await run(["verify", "lossy", "--fail-on", "irreversible"])).code).toBe(0);
    expect((await run(["verify", "lossy", "--fail-on", "lossy"])).code).toBe(1);
  }, 240_000);

  it("verify FILE round-trips the named migration only; the rest of the set is history", async () => {
    const { code, out } = await run(["verify", "migrations/2024-01-02-000000_name/up.sql", "--all"]);
    expect(code).toBe(0);
    expect(out).toMatch(/exact\s+2024-01-02-000000_name/);
    expect(out).not.toMatch(/2024-01-03-000000_default|2024-01-01-000000_users/);
    expect(out).toMatch(/1 verified: 1 exact/);
  }, 120_000);

  it("diesel's journal table exists while the migrations run", async () => {
    const { code, out } = await run(["verify", "journal"]);
    expect(out).toMatch(/1 verified: 1 exact/);
    expect(code).toBe(0);
  }, 120_000);

  it("--setup runs a file before the history; a missing one is a usage error", async () => {
    const without = await run(["verify", "roles"]);
    expect(without.out).toMatch(/up failed\s+2024-01-01-000000_grant[\s\S]*role "app_reader" does not exist/);
    const { code, out } = await run(["verify", "roles", "--setup", "setup.sql"]);
    expect(out).toMatch(/1 verified: 1 exact/);
    expect(code).toBe(0);
    await expect(run(["verify", "roles", "--setup", "nope.sql"])).rejects.toThrow(/^--setup nope\.sql: no such file$/);
  }, 240_000);

  it("the summary shows the time the user waited, the engine's start included", async () => {
    const { out } = await run(["verify", "migrations", "--format", "json"]);
    const json = JSON.parse(out) as { wallMs: number; durationMs: number };
    // In this process the wall time counts from the test runner's start: at least the run's own time.
    expect(json.wallMs).toBeGreaterThanOrEqual(json.durationMs);
  });

  it("an unknown --from is a usage error", async () => {
    await expect(run(["verify", "migrations", "--from", "nope"])).rejects.toThrow(/--from nope: no migration has this id/);
  });
});

/** `plan --rollback` and `deps` through the real command line, on the bundled examples. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Repo, ROOT } from "./helpers.js";

let shim: Repo;
const cli = (...args: string[]) => shim.run(args, ROOT);

beforeAll(() => {
  shim = new Repo();
});
afterAll(() => shim.cleanup());

describe("plan --rollback", () => {
  it("refuses an irreversible migration in the range: exit 1, the list on stderr, nothing on stdout", async () => {
    const run = await cli("plan", "--rollback", "--steps", "3", "examples/diesel-app");
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toBe(
      [
        "migration-lint plan: refusing: 1 irreversible migration in the range (--allow-irreversible prints the plan anyway):",
        "  2024-03-20-093000_add_archived_post_state (examples/diesel-app/migrations/2024-03-20-093000_add_archived_post_state/up.sql)",
        "    line 1: PostgreSQL cannot remove enum values ('archived' added to post_state)",
        "",
      ].join("\n"),
    );
  });

  it("--allow-irreversible prints the script, newest first, each part headed by its class", async () => {
    const run = await cli("plan", "--rollback", "--steps", "3", "--allow-irreversible", "examples/drizzle-app");
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
    expect(run.stdout).toMatch(/^-- Rollback of the last 3 migrations of examples\/drizzle-app\/drizzle \(drizzle\), newest first\./);
    const heads = [...run.stdout.matchAll(/^-- (\d\/3 {2}.+)$/gm)].map((m) => m[1]);
    expect(heads).toEqual(["1/3  0004_project_members: lossy (generated down)", "2/3  0003_users_full_name: reversible (generated down)", "3/3  0002_project_status_paused: irreversible (generated down)"]);
  });

  it("--to and --format json", async () => {
    const run = await cli("plan", "--rollback", "--to", "0002", "examples/drizzle-app", "--format", "json");
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { target: string; refused: boolean; parts: { id: string; class: string }[]; script: string };
    expect(doc.target).toBe("0002_project_status_paused");
    expect(doc.refused).toBe(false);
    expect(doc.parts.map((p) => [p.id, p.class])).toEqual([
      ["0004_project_members", "lossy"],
      ["0003_users_full_name", "reversible"],
    ]);
    expect(doc.script).toContain("ALTER TABLE IF EXISTS users RENAME COLUMN full_name TO display_name;");
  });

  it("usage and input errors exit 2 with one line", async () => {
    const cases: [string[], RegExp][] = [
      [["plan", "--steps", "1", "examples/diesel-app"], /^migration-lint: plan needs --rollback/],
      [["plan", "--rollback", "examples/diesel-app"], /^migration-lint: plan --rollback needs --steps N or --to <migration>/],
      [["plan", "--rollback", "--steps", "9", "examples/diesel-app"], /^migration-lint: --steps 9: examples\/diesel-app\/migrations has only 6 migrations/],
      [["plan", "--rollback", "--to", "nope", "examples/diesel-app"], /^migration-lint: --to nope: no migration has this id, version or file/],
      [["plan", "--rollback", "--steps", "1", "examples"], /^migration-lint: a rollback plan is for one migration set; found 2/],
      [["plan", "--rollback", "--steps", "1", "--to", "x", "examples/diesel-app"], /^migration-lint: Arguments steps and to are mutually exclusive/],
    ];
    for (const [args, message] of cases) {
      const run = await cli(...args);
      expect({ args, code: run.code }).toEqual({ args, code: 2 });
      expect(run.stderr).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });
});

describe("deps", () => {
  it("lists the later migrations that depend on one, with why, and those reached through them", async () => {
    const run = await cli("deps", "2024-01-10-090000_create_authors", "examples/diesel-app");
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(
      [
        "examples/diesel-app/migrations: 2024-01-10-090000_create_authors",
        "  needed by (roll these back first):",
        "    2024-01-15-120000_create_posts",
        "      - foreign key posts_author_id_fkey references public.authors",
        "    2024-02-20-101500_drop_authors_legacy_code",
        "      - table public.authors: drops column legacy_code",
        "  and through them:",
        "    2024-02-01-080000_index_posts_author (via 2024-01-15-120000_create_posts)",
        "    2024-03-05-140000_rename_posts_published_at (via 2024-01-15-120000_create_posts)",
        "    2024-03-20-093000_add_archived_post_state (via 2024-01-15-120000_create_posts)",
        "",
      ].join("\n"),
    );
  });

  it("a migration's file names it and its set; a folder prints the whole graph", async () => {
    const one = await cli("deps", "examples/drizzle-app/drizzle/0004_project_members.sql");
    expect(one.stdout).toMatch(/^examples\/drizzle-app\/drizzle: 0004_project_members\n {2}needed by: nothing later/);
    expect(one.stdout).toContain("    0003_users_full_name\n      - table public.users: drops column last_login_at");
    const graph = await cli("deps", "examples/diesel-app");
    expect(graph.stdout).toContain("  2024-02-01-080000_index_posts_author depends on 2024-01-15-120000_create_posts\n");
  });

  it("an unknown migration is an input error", async () => {
    const run = await cli("deps", "nope", "examples/diesel-app");
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe("migration-lint: migration nope: no migration has this id, version or file");
  });
});

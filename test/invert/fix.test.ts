/**
 * The --fix writer on real folders: downs written where the layout keeps them, hand-written ones left
 * alone without --force, dry runs touch nothing, sections of dbmate files rewritten in place; and the
 * `down` command's output.
 */
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { lintFiles } from "../../src/api.js";
import { downCommand, downJson } from "../../src/cli/commands/down.js";
import { writeDowns } from "../../src/fix/write-downs.js";
import { loadParser } from "../../src/parse/parse.js";
import { writeTree } from "../write-tree.js";

const dirs: string[] = [];

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), "mlint-fix-"));
  dirs.push(root);
  writeTree(root, files);
  return root;
}

async function analyze(root: string) {
  return (await lintFiles([root], { cwd: root, runRules: false })).sets;
}

beforeAll(async () => {
  await loadParser();
});

afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const DIESEL = {
  "migrations/2024-01-01-000000_create_users/up.sql": "CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);\n",
  "migrations/2024-01-01-000000_create_users/down.sql": "DROP TABLE users;\n",
  "migrations/2024-02-01-000000_add_nickname/up.sql": "ALTER TABLE users ADD COLUMN nickname text;\n",
  "migrations/2024-02-01-000000_add_nickname/down.sql": "",
};

describe("writeDowns", () => {
  it("writes empty downs, leaves hand-written ones alone", async () => {
    const root = tree(DIESEL);
    const results = await writeDowns(await analyze(root), { cwd: root });
    const byId = Object.fromEntries(results.map((r) => [r.migrationId.replace(/^.*_/, ""), r]));
    expect(byId["users"]?.action).toBe("skipped");
    expect(byId["users"]?.reason).toMatch(/hand-written/);
    expect(byId["nickname"]?.action).toBe("written");
    const down = readFileSync(path.join(root, "migrations/2024-02-01-000000_add_nickname/down.sql"), "utf8");
    expect(down).toContain("ALTER TABLE users DROP COLUMN IF EXISTS nickname;");
    expect(down).toMatch(/^-- Down migration for .*\n-- Class: reversible/);
    expect(readFileSync(path.join(root, "migrations/2024-01-01-000000_create_users/down.sql"), "utf8")).toBe("DROP TABLE users;\n");
    // No temporary files are left behind.
    expect(readdirSync(path.join(root, "migrations/2024-02-01-000000_add_nickname")).sort()).toEqual(["down.sql", "up.sql"]);
    // A second run finds nothing to do.
    const again = await writeDowns(await analyze(root), { cwd: root });
    expect(again.find((r) => r.migrationId.endsWith("nickname"))?.action).toBe("unchanged");
  });

  it("replaces hand-written downs with force", async () => {
    const root = tree(DIESEL);
    const results = await writeDowns(await analyze(root), { cwd: root, force: true });
    expect(results.every((r) => r.action === "written")).toBe(true);
    expect(readFileSync(path.join(root, "migrations/2024-01-01-000000_create_users/down.sql"), "utf8")).toContain("DROP TABLE IF EXISTS users;");
  });

  it("prints and writes nothing on a dry run", async () => {
    const root = tree(DIESEL);
    let printed = "";
    const results = await writeDowns(await analyze(root), { cwd: root, dryRun: true, force: true, print: (t) => (printed += t) });
    expect(results.map((r) => r.action)).toEqual(["would-write", "would-write"]);
    expect(printed).toContain("-- would write");
    expect(printed).toContain("DROP TABLE IF EXISTS users;");
    expect(readFileSync(path.join(root, "migrations/2024-02-01-000000_add_nickname/down.sql"), "utf8")).toBe("");
  });

  it("creates missing down files", async () => {
    const root = tree({ "migrations/2024-01-01-000000_create_users/up.sql": "CREATE TABLE users (id int);\n" });
    const sets = await analyze(root);
    const target = sets[0]!.migrations[0]!.migration.downTarget;
    const results = await writeDowns(sets, { cwd: root });
    expect(results[0]?.action).toBe("written");
    expect(existsSync(path.resolve(root, target.path))).toBe(true);
  });

  it("rewrites a dbmate down section in place", async () => {
    const root = tree({
      "db/migrations/20240101000000_users.sql": "-- migrate:up\nCREATE TABLE users (id int);\n\n-- migrate:down\n",
    });
    const results = await writeDowns(await analyze(root), { cwd: root });
    expect(results[0]?.action).toBe("written");
    const text = readFileSync(path.join(root, "db/migrations/20240101000000_users.sql"), "utf8");
    expect(text).toMatch(/^-- migrate:up\nCREATE TABLE users \(id int\);\n\n-- migrate:down\n-- Down migration for/);
    expect(text).toContain("DROP TABLE IF EXISTS users;");
    // The section is now non-empty: without force it is kept.
    writeFileSync(path.join(root, "db/migrations/20240101000000_users.sql"), text.replace("DROP TABLE IF EXISTS users;", "DROP TABLE users;"));
    const again = await writeDowns(await analyze(root), { cwd: root });
    expect(again[0]?.action).toBe("skipped");
  });
});

describe("down command", () => {
  it("prints the down, or statements and classes as JSON", async () => {
    const root = tree(DIESEL);
    const file = path.join(root, "migrations/2024-02-01-000000_add_nickname/up.sql");
    const sets = await analyze(root);
    const json = downJson(sets[0]!.migrations[1]!);
    expect(json.class).toBe("reversible");
    expect(json.statements).toEqual([
      { line: 1, source: "ALTER TABLE users ADD COLUMN nickname text", class: "reversible", inverse: ["ALTER TABLE users DROP COLUMN IF EXISTS nickname"] },
    ]);
    let out = "";
    const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => {
      out += String(chunk);
      return true;
    });
    const cwd = process.cwd();
    process.chdir(root);
    try {
      await downCommand.handler!({ files: [file], format: "stylish", _: [], $0: "migration-lint" });
      expect(out).toContain("ALTER TABLE users DROP COLUMN IF EXISTS nickname;");
      out = "";
      await downCommand.handler!({ files: [file], format: "json", _: [], $0: "migration-lint" });
      expect(JSON.parse(out).class).toBe("reversible");
    } finally {
      process.chdir(cwd);
      spy.mockRestore();
    }
  });
});

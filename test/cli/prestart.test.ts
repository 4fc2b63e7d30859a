import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lintsAFolder } from "../../src/cli/prestart.js";

const root = mkdtempSync(path.join(tmpdir(), "ml-prestart-"));
mkdirSync(path.join(root, "migrations"));
writeFileSync(path.join(root, "migrations", "1_a.sql"), "SELECT 1;");
writeFileSync(path.join(root, "cfg.json"), "{}");
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe("lintsAFolder (whether workers start before the commands load)", () => {
  it("is true for a folder, or no path (the current folder)", () => {
    expect(lintsAFolder(["migrations"], root)).toBe(true);
    expect(lintsAFolder(["migrations", "--format", "json"], root)).toBe(true);
    expect(lintsAFolder(["--config", "cfg.json", "migrations"], root)).toBe(true);
    expect(lintsAFolder([], root)).toBe(true);
    expect(lintsAFolder(["--format", "json", "--since", "main"], root)).toBe(true);
  });

  it("is false for files (the pre-commit hook), other commands, help and version", () => {
    expect(lintsAFolder(["migrations/1_a.sql"], root)).toBe(false);
    expect(lintsAFolder(["--config", "cfg.json"], root)).toBe(false);
    expect(lintsAFolder(["verify", "migrations"], root)).toBe(false);
    expect(lintsAFolder(["deps", "migrations"], root)).toBe(false);
    expect(lintsAFolder(["migrations", "--help"], root)).toBe(false);
    expect(lintsAFolder(["-v"], root)).toBe(false);
    // The live commands read the database, and lint nothing, from the current folder.
    expect(lintsAFolder(["status", "--database-url", "postgres://x"], root)).toBe(false);
    expect(lintsAFolder(["rollback", "--steps", "1"], root)).toBe(false);
  });

});

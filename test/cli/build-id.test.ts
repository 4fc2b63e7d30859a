/**
 * The build id `npm run build` writes beside the compiled tree (scripts/bundle.mjs) and `--cache` keys
 * its entries on (src/meta.ts): a tree installed from git keeps its version across commits, so the
 * version alone would let a new build read an old build's catalogs and reports.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { CACHE_TOOL_ID, TOOL_VERSION, buildIdIn } from "../../src/meta.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const tmp = mkdtempSync(path.join(tmpdir(), "mll-build-id-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

// The script is plain JavaScript run by npm; its hash function is imported as the build runs it.
const { buildId } = (await import(path.join(ROOT, "scripts", "bundle.mjs"))) as { buildId: (dirs: string[]) => string };

it("changes with any compiled file's content or name, and only then", () => {
  const src = path.join(tmp, "tree", "src");
  mkdirSync(path.join(src, "cli"), { recursive: true });
  writeFileSync(path.join(src, "cli", "main.js"), "export const a = 1;\n");
  writeFileSync(path.join(src, "meta.js"), "export const b = 2;\n");
  const first = buildId([src]);
  expect(first).toMatch(/^[0-9a-f]{64}$/);
  expect(buildId([src])).toBe(first);
  writeFileSync(path.join(src, "notes.txt"), "not compiled output\n");
  expect(buildId([src])).toBe(first);
  writeFileSync(path.join(src, "cli", "main.js"), "export const a = 3;\n");
  const edited = buildId([src]);
  expect(edited).not.toBe(first);
  writeFileSync(path.join(src, "cli", "main.js"), "export const a = 1;\n");
  expect(buildId([src])).toBe(first);
  writeFileSync(path.join(src, "cli", "extra.js"), "");
  expect(buildId([src])).not.toBe(first);
});

it("is read from dist/src/build-id.txt, and the cache's tool id is the version plus the build", () => {
  const pkg = path.join(tmp, "pkg");
  expect(buildIdIn(pkg)).toBeUndefined();
  mkdirSync(path.join(pkg, "dist", "src"), { recursive: true });
  writeFileSync(path.join(pkg, "dist", "src", "build-id.txt"), "abc123\n");
  expect(buildIdIn(pkg)).toBe("abc123");
  // This checkout, built by `npm ci` / `npm run build`: the id the build wrote is in the cache's key.
  const written = readFileSync(path.join(ROOT, "dist", "src", "build-id.txt"), "utf8").trim();
  expect(CACHE_TOOL_ID).toBe(`${TOOL_VERSION}+${written.slice(0, 16)}`);
});

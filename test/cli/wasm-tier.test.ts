/**
 * `--liftoff-only` is a V8 testing flag: its guard, and that it changes nothing a user sees. The
 * output check spawns the CLI twice per project, once with V8's default tiering
 * (MIGRATION_LINT_WASM_TIERING=1), on real corpus histories that parse a lot of SQL.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { decideWasmTier, WASM_TIERING_ENV } from "../../src/cli/wasm-tier.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
const ENTRY = path.join(ROOT, "test/e2e/cli.ts");
const CORPUS = path.resolve(ROOT, "../shared/corpus");

function lint(dir: string, env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ["--import", TSX, ENTRY, dir, "--format", "json"], {
    cwd: ROOT,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, NO_COLOR: "1", CI: "1", ...env },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe("decideWasmTier", () => {
  it("uses Liftoff only on measured Node lines, unless turned off or the user chose tiering flags", () => {
    expect(decideWasmTier({}, "20.19.0", [])).toEqual({ liftoffOnly: true });
    expect(decideWasmTier({}, "22.12.0", [])).toEqual({ liftoffOnly: true });
    expect(decideWasmTier({ [WASM_TIERING_ENV]: "1" }, "20.19.0", [])).toEqual({ liftoffOnly: false, reason: `${WASM_TIERING_ENV}=1` });
    expect(decideWasmTier({}, "26.0.0", []).liftoffOnly).toBe(false);
    expect(decideWasmTier({}, "20.19.0", ["--no-liftoff"]).liftoffOnly).toBe(false);
    expect(decideWasmTier({ NODE_OPTIONS: "--max-old-space-size=4096 --wasm-tier-up" }, "20.19.0", []).liftoffOnly).toBe(false);
  });
});

describe("output with and without --liftoff-only", () => {
  for (const project of ["rust-lang__crates.io", "supabase__storage", "usebasejump__basejump"]) {
    it(`is byte-identical on ${project}`, () => {
      const dir = path.join(CORPUS, project);
      const liftoff = lint(dir, {});
      const tiered = lint(dir, { [WASM_TIERING_ENV]: "1" });
      expect(liftoff.stderr).toBe(tiered.stderr);
      expect(liftoff.status).toBe(tiered.status);
      expect(JSON.parse(liftoff.stdout).findings.length).toBeGreaterThan(0);
      expect(liftoff.stdout).toBe(tiered.stdout);
    }, 180_000);
  }
});

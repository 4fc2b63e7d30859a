import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { moduleFiles, TS_REPOS } from "../../bench/ts-migrations.js";

const CORPUS = path.resolve(import.meta.dirname, "../../../shared/corpus");
const dir = mkdtempSync(path.join(tmpdir(), "ml-bench-ts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the TypeScript bench row's inputs", () => {
  it("takes migration modules and leaves out the runners' index files and declaration files", () => {
    for (const f of ["a/1700-Init.ts", "a/index.ts", "a/types.d.ts", "b/Migration2024.js", "b/notes.md", "b/0001.sql"]) {
      mkdirSync(path.dirname(path.join(dir, f)), { recursive: true });
      writeFileSync(path.join(dir, f), "");
    }
    expect(moduleFiles(dir).map((f) => path.relative(dir, f))).toEqual(["a/1700-Init.ts", "b/Migration2024.js"]);
  });

  it.runIf(existsSync(CORPUS))("counts the migrations MANIFEST.md's section E lists", () => {
    // Flowise 48, medusa 61, atproto 107, datalens-us 160, Payload 10.
    expect(TS_REPOS.map((r) => moduleFiles(path.join(CORPUS, r)).length)).toEqual([48, 61, 107, 160, 10]);
  });
});

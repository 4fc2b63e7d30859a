/**
 * `down-mismatch` agrees with `verify`: no hand-written down that round-trips exactly on PGlite is
 * reported by the rule. On the two smallest up/down histories of the corpus (read in place), which run in
 * about a minute; `measure` in the report covers the others (see docs/verify.md).
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadParser } from "../../src/parse/parse.js";
import { agreement } from "./down-mismatch-agrees.js";

const CORPUS = path.resolve(import.meta.dirname, "../../../shared/corpus");
const REPOS = ["svix__svix-webhooks", "authelia__authelia"].filter((r) => existsSync(path.join(CORPUS, r)));

describe.skipIf(REPOS.length === 0)("down-mismatch agrees with verify on the corpus", () => {
  beforeAll(async () => {
    await loadParser();
  });

  it.each(REPOS)("%s: no exact down is reported", async (repo) => {
    const results = await agreement(path.join(CORPUS, repo));
    expect(results.length).toBeGreaterThan(0);
    for (const a of results) {
      expect(a.exact).toBeGreaterThan(10);
      expect(a.falseReports, a.root).toEqual([]);
    }
  }, 600_000);
});

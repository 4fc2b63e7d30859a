/**
 * Every rule has at least one failing and one passing golden fixture: a folder under
 * `fixtures/<family>/` named after the rule whose expected findings include the rule (failing) or do
 * not (passing). The golden runner (`test/golden.test.ts`) checks the findings themselves.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures");

interface Case {
  dir: string;
  rules: Set<string>;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const family of readdirSync(FIXTURES)) {
    for (const name of readdirSync(path.join(FIXTURES, family))) {
      const file = path.join(FIXTURES, family, name, "findings.expected.json");
      if (!existsSync(file)) continue;
      const findings = JSON.parse(readFileSync(file, "utf8")) as [string, string, string][];
      out.push({ dir: `${family}/${name}`, rules: new Set(findings.map((f) => f[0])) });
    }
  }
  return out;
}

describe("every rule has a failing and a passing fixture", () => {
  const all = cases();
  for (const { meta } of allRules) {
    const mine = all.filter((c) => path.basename(c.dir).startsWith(`${meta.id}-`) || path.basename(c.dir) === meta.id);
    it(meta.id, () => {
      expect(mine.some((c) => c.rules.has(meta.id)), `no fixture folder named ${meta.id}-… raises ${meta.id}`).toBe(true);
      expect(mine.some((c) => !c.rules.has(meta.id)), `no fixture folder named ${meta.id}-… passes ${meta.id}`).toBe(true);
    });
  }
});

import { describe, expect, it } from "vitest";
import { byPosition, format } from "../../src/lint/engine.js";
import type { Finding } from "../../src/lint/types.js";
import { allRules } from "../../rules/index.js";

describe("format", () => {
  it("fills placeholders as a regex replace would, leaving unknown ones as written", () => {
    expect(format("{{a}} and {{ b }}, {{missing}}; {{a}}{{a}}", { a: "$&x", b: 2 })).toBe("$&x and 2, {{missing}}; $&x$&x");
    expect(format("no placeholders", { a: 1 })).toBe("no placeholders");
    expect(format("{{a}}")).toBe("{{a}}");
    expect(format("{{a}}", { a: "{{a}}" })).toBe("{{a}}");
  });

  it("gives every rule message the same text as the replace it stands for", () => {
    const data = { name: "n", table: "t", column: "c", bytes: 64, line: 3, type: "int" };
    const replace = (t: string) => t.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, key: string) => (key in data ? String(data[key as keyof typeof data]) : whole));
    let checked = 0;
    for (const rule of allRules) {
      const help = typeof rule.meta.help === "string" ? [rule.meta.help] : Object.values(rule.meta.help ?? {});
      for (const t of [...Object.values(rule.meta.messages as Record<string, string>), ...help]) {
        if (typeof t !== "string") continue;
        expect(format(t, data)).toBe(replace(t));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe("byPosition", () => {
  const at = (path: string, offset: number, ruleId: string): Finding => ({
    ruleId,
    severity: "warning",
    path,
    range: { start: { offset, line: 1, column: offset + 1 }, end: { offset: offset + 1, line: 1, column: offset + 2 } },
    messageId: "m",
    message: "m",
  });

  it("orders by path, then offset, then rule, in code-unit order whatever the locale", () => {
    const findings = [at("migrations/a.sql", 5, "b-rule"), at("migrations/B.sql", 9, "a-rule"), at("migrations/a.sql", 5, "a-rule"), at("migrations/_x.sql", 0, "a-rule"), at("migrations/a.sql", 1, "z-rule")];
    const order = findings.sort(byPosition).map((f) => `${f.path}@${f.range.start.offset}:${f.ruleId}`);
    // A collator would put "_x" first and "a" before "B"; code units put "B" (0x42) before "_" (0x5f) before "a".
    expect(order).toEqual(["migrations/B.sql@9:a-rule", "migrations/_x.sql@0:a-rule", "migrations/a.sql@1:z-rule", "migrations/a.sql@5:a-rule", "migrations/a.sql@5:b-rule"]);
  });
});

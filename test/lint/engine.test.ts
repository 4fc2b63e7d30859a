import { describe, expect, it } from "vitest";
import { format } from "../../src/lint/engine.js";
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

import { describe, expect, it } from "vitest";
import { formatRatio, linearFit, marginalGrowth, markdownTable, median, pairedRatio, ratio, summarize } from "../../bench/stats.js";

describe("bench statistics", () => {
  it("takes the middle value, or the mean of the two middle values", () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });

  it("summarizes samples without reordering them", () => {
    expect(summarize([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, samples: [3, 1, 2] });
  });

  it("divides, and gives no ratio when a side is missing or zero", () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(undefined, 2)).toBeUndefined();
    expect(ratio(3, 0)).toBeUndefined();
  });

  it("pairs rounds: the median of per-round ratios ignores a round where both tools were slow", () => {
    // Round 3 ran on a busy machine: both tools took 10× longer, the ratio is unchanged.
    expect(pairedRatio([2, 2, 20, 2, 2], [1, 1, 10, 1, 1])).toBe(2);
    expect(pairedRatio([3, 4, 5], [1, 2, 1])).toBe(3);
    expect(pairedRatio([], [])).toBeUndefined();
  });

  it("fits a line through the scaling points", () => {
    const fit = linearFit([
      [1, 3],
      [2, 5],
      [4, 9],
      [8, 17],
    ]);
    expect(fit.slope).toBeCloseTo(2, 10);
    expect(fit.intercept).toBeCloseTo(1, 10);
    expect(fit.r2).toBeCloseTo(1, 10);
    const noisy = linearFit([
      [1, 1],
      [2, 3],
      [3, 2],
    ]);
    expect(noisy.slope).toBeCloseTo(0.5, 10);
    expect(noisy.r2).toBeCloseTo(0.25, 10);
    expect(() => linearFit([[1, 1]])).toThrow();
  });

  it("compares the cost of one more item at the long end with the short end, start-up cancelled", () => {
    const xs = [500, 1000, 2000, 4000];
    // 300 ms start-up plus 1 ms per migration: linear.
    expect(marginalGrowth(xs.map((x) => [x, 300 + x] as const))).toBeCloseTo(1, 10);
    // Quadratic: the slope grows with (x3 + x4) / (x1 + x2) = 6000 / 1500.
    expect(marginalGrowth(xs.map((x) => [x, 300 + x * x * 0.001] as const))).toBeCloseTo(4, 10);
    expect(() => marginalGrowth([[1, 1], [2, 2]])).toThrow();
  });

  it("formats ratios and Markdown tables", () => {
    expect(formatRatio(1.234)).toBe("1.23×");
    expect(formatRatio(undefined)).toBe("—");
    expect(markdownTable(["a", "b"], [["1", "x|y"]])).toBe("| a | b |\n| --- | --- |\n| 1 | x\\|y |");
  });
});

/**
 * Small statistics for `npm run bench`: medians and ranges of repeated runs, ratios between tools,
 * and a least-squares line for the scaling runs. Kept free of I/O so the unit tests can pin them.
 */

export interface Summary {
  median: number;
  min: number;
  max: number;
  /** The raw samples, in the order they were taken. */
  samples: number[];
}

export function median(values: readonly number[]): number {
  if (!values.length) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function summarize(values: readonly number[]): Summary {
  return { median: median(values), min: Math.min(...values), max: Math.max(...values), samples: [...values] };
}

/** `a / b`, or undefined when either side is missing (a tool that could not run) or `b` is zero. */
export function ratio(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined || b === undefined || b === 0) return undefined;
  return a / b;
}

/**
 * The median of the per-round ratios `a[i] / b[i]`. Rounds alternate the tools, so a round's two runs
 * saw the same machine load; this ratio is steadier than the ratio of medians on a noisy machine.
 */
export function pairedRatio(a: readonly number[], b: readonly number[]): number | undefined {
  const n = Math.min(a.length, b.length);
  if (!n) return undefined;
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) if (b[i]! > 0) ratios.push(a[i]! / b[i]!);
  return ratios.length ? median(ratios) : undefined;
}

export interface LinearFit {
  slope: number;
  intercept: number;
  /** Coefficient of determination: 1 means the points lie on the line. */
  r2: number;
}

/** Ordinary least squares `y = intercept + slope * x`. */
export function linearFit(points: readonly (readonly [number, number])[]): LinearFit {
  if (points.length < 2) throw new Error("a line needs at least two points");
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) ** 2;
    syy += (y - my) ** 2;
  }
  if (sxx === 0) throw new Error("a line needs at least two distinct x values");
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const r2 = syy === 0 ? 1 : (sxy * sxy) / (sxx * syy);
  return { slope, intercept, r2 };
}

/**
 * For points sorted by x: the slope between the last two points over the slope between the first two.
 * Constant costs cancel; a linear cost gives 1, a quadratic one (a + b·x²) gives (x₃+x₄)/(x₁+x₂).
 */
export function marginalGrowth(points: readonly (readonly [number, number])[]): number {
  if (points.length < 3) throw new Error("marginal growth needs at least three points");
  const slope = (a: readonly [number, number], b: readonly [number, number]) => (b[1] - a[1]) / (b[0] - a[0]);
  const n = points.length;
  return slope(points[n - 2]!, points[n - 1]!) / slope(points[0]!, points[1]!);
}

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}

export function formatMegabytes(kb: number): string {
  return `${Math.round(kb / 1024)} MB`;
}

export function formatRatio(r: number | undefined): string {
  return r === undefined ? "—" : `${r.toFixed(2)}×`;
}

/** A GitHub-flavoured Markdown table; cells are escaped for `|`. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const cell = (s: string) => s.replace(/\|/g, "\\|");
  const line = (cells: readonly string[]) => `| ${cells.map(cell).join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

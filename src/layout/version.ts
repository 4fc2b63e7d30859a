/**
 * Orderings the runners use. They differ on purpose: golang-migrate and sqlx parse the version as an
 * integer, diesel and pop compare version strings, prisma and supabase sort folder or file names.
 */

/** Integer order of digit strings of any length (no precision loss, leading zeros ignored). */
export function compareNumeric(a: string, b: string): number {
  const x = a.replace(/^0+(?=\d)/, "");
  const y = b.replace(/^0+(?=\d)/, "");
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Code-point order, as Go's and Rust's string comparison and `ls` in the C locale sort. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Flyway's dotted versions: `1.10` after `1.9`, `1` before `1.0.1`. */
export function compareDotted(a: string, b: string): number {
  const xs = a.split(".");
  const ys = b.split(".");
  for (let i = 0; i < Math.max(xs.length, ys.length); i++) {
    const c = compareNumeric(xs[i] ?? "0", ys[i] ?? "0");
    if (c) return c;
  }
  return 0;
}

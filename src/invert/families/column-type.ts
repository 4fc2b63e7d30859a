/**
 * ALTER COLUMN … TYPE: a lossless widening is reversible by changing the type back; any other
 * conversion is a data transform, reversible only when the migration kept the original values in a
 * shadow copy first (found by data flow: `UPDATE t SET c_old = c` into a column that still exists
 * when the type changes). The down then restores from the copy: `ALTER COLUMN c TYPE old USING c_old`.
 */
import { quoteName } from "../../catalog/render.js";

const INTEGER_RANK: Record<string, number> = { smallint: 1, integer: 2, bigint: 3 };

function parseMods(type: string): { base: string; mods: number[] } {
  const m = /^([a-z ]+?)(?:\((\d+(?:,\d+)*)\))?( with(?:out)? time zone)?$/.exec(type);
  if (!m) return { base: type, mods: [] };
  return { base: `${m[1]}${m[3] ?? ""}`, mods: m[2] ? m[2].split(",").map(Number) : [] };
}

/** Types whose every value converts to text and back unchanged. */
const TEXT_SAFE = new Set(["smallint", "integer", "bigint", "uuid", "character varying", "text", "boolean"]);

/** Is converting `from` to `to` lossless for every value (so changing the type back restores them)? */
export function isWidening(from: string, to: string, toIsEnumOrUserType = false, fromIsEnum = false): boolean {
  if (from === to) return true;
  if (from.endsWith("[]") !== to.endsWith("[]")) return false;
  if (from.endsWith("[]")) return isWidening(from.slice(0, -2), to.slice(0, -2));
  void toIsEnumOrUserType;
  const f = parseMods(from);
  const t = parseMods(to);
  if (INTEGER_RANK[f.base] && INTEGER_RANK[t.base]) return INTEGER_RANK[t.base]! >= INTEGER_RANK[f.base]!;
  if (INTEGER_RANK[f.base] && t.base === "numeric") {
    if (!t.mods.length) return true;
    const digits = f.base === "smallint" ? 5 : f.base === "integer" ? 10 : 19;
    return t.mods[0]! - (t.mods[1] ?? 0) >= digits;
  }
  if ((f.base === "smallint" || f.base === "integer") && t.base === "double precision") return true;
  if (f.base === "smallint" && t.base === "real") return true;
  if (f.base === "real" && t.base === "double precision") return true;
  if (f.base === "numeric" && t.base === "numeric") {
    if (!t.mods.length) return true;
    if (!f.mods.length) return false;
    const fs = f.mods[1] ?? 0;
    const ts = t.mods[1] ?? 0;
    return ts >= fs && t.mods[0]! - ts >= f.mods[0]! - fs;
  }
  if (f.base === "character varying" && (t.base === "text" || (t.base === "character varying" && (!t.mods.length || (f.mods.length > 0 && t.mods[0]! >= f.mods[0]!))))) return true;
  if (f.base === "character varying" && t.base === "character varying" && !f.mods.length) return !t.mods.length;
  // Time types keep microseconds (precision 6) unless told otherwise.
  const precision = (x: { mods: number[] }): number => x.mods[0] ?? 6;
  if (/^(timestamp|time) with(out)? time zone$/.test(f.base) && t.base === f.base) return precision(t) >= precision(f);
  // timestamp → timestamptz converts through the session time zone, and back the same way.
  if (f.base === "timestamp without time zone" && t.base === "timestamp with time zone") return precision(t) >= precision(f);
  if (f.base === "bit varying" && t.base === "bit varying") return !t.mods.length || (f.mods.length > 0 && t.mods[0]! >= f.mods[0]!);
  if ((TEXT_SAFE.has(f.base) || fromIsEnum) && (t.base === "text" || (t.base === "character varying" && !t.mods.length))) return true;
  return false;
}

export function usingShadow(shadow: string, type: string): string {
  return `${quoteName(shadow)}::${type}`;
}

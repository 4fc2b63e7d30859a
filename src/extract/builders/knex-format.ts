/**
 * knex's own formatting for its PostgreSQL dialect, as its schema compilers apply it: identifiers are
 * always double-quoted (`a.b` quoted per part, `x as y` an alias), default values are escaped as
 * string literals (`E'…'` when they hold a backslash), and unnamed indexes and constraints are named
 * `<table>_<columns>_<kind>`. This is deliberately knex's quoting, not ours (src/sql quotes only when
 * needed): the extracted SQL must be the text knex sends, character for character.
 */
import { KnexRaw, Unmapped } from "./knex-values.js";

/** knex's `wrapIdentifierImpl` for pg: `"…"` with `"` doubled, `*` bare, a trailing `[n]` kept outside. */
export function wrapIdentifier(value: string): string {
  if (value === "*") return value;
  const accessor = /(.*?)(\[[0-9]+\])/.exec(value);
  const name = accessor ? accessor[1]! : value;
  return `"${name.replace(/"/g, '""')}"${accessor ? accessor[2]! : ""}`;
}

/** knex's formatter `wrap`: raw SQL as is, numbers bare, strings split on ` as ` and `.`. */
export function wrap(value: unknown): string {
  if (value instanceof KnexRaw) return value.sql;
  if (typeof value === "number") return String(value);
  if (typeof value === "object" && value !== null) throw new Unmapped("an object where knex expects a name");
  return wrapString(String(value));
}

function wrapString(value: string): string {
  const as = aliasSeparator(value);
  if (as !== -1) return `${wrapString(value.slice(0, as))} as ${wrapIdentifier(value.slice(as + 4).trim())}`;
  const parts = value.split(".");
  if (parts.length === 1) return wrapIdentifier(value.trim());
  // The first part is itself wrapped as a string (trimmed); the rest are plain identifiers.
  return [wrapString(parts[0]!.trim()), ...parts.slice(1, -1).map((p) => wrapIdentifier(p.trim())), wrapIdentifier(parts[parts.length - 1]!.trim())].join(".");
}

/** Index of a case-insensitive ` as ` inside the name, as knex finds it. */
function aliasSeparator(value: string): number {
  let i = -1;
  while ((i = value.indexOf(" ", i + 1)) !== -1) {
    if (i + 3 < value.length && (value.charCodeAt(i + 1) | 32) === 97 && (value.charCodeAt(i + 2) | 32) === 115 && value.charCodeAt(i + 3) === 32) return i;
  }
  return -1;
}

/** One name, or a list of names joined by `, `. */
export function columnize(value: unknown): string {
  return Array.isArray(value) ? value.map(wrap).join(", ") : wrap(value);
}

/** knex's pg `escapeString`: `'` and `\` doubled, and an `E` prefix when there was a backslash. */
export function escapeString(value: string): string {
  let out = "'";
  let backslash = false;
  for (const c of value) {
    if (c === "'") out += "''";
    else if (c === "\\") {
      out += "\\\\";
      backslash = true;
    } else out += c;
  }
  out += "'";
  return backslash ? `E${out}` : out;
}

/** knex's `formatDefault(value, type)`: the text after `default`. */
export function formatDefault(value: unknown, type: string): string {
  if (value === undefined) return "";
  if (value === null) return "null";
  if (value instanceof KnexRaw) return value.sql;
  if (type === "bool") return `'${value === "false" ? 0 : value ? 1 : 0}'`;
  if ((type === "json" || type === "jsonb") && typeof value === "object") return `'${JSON.stringify(value)}'`;
  if (typeof value === "object") throw new Unmapped("an object default on a column that is not json");
  return escapeString(String(value));
}

/** knex's `toNumber(value, fallback)`: `parseInt`, the fallback for nothing or NaN. */
export function toNumber(value: unknown, fallback: number): number {
  if (value === undefined || value === null) return fallback;
  const n = parseInt(String(value), 10);
  return Number.isNaN(n) ? fallback : n;
}

/** knex's `_indexCommand`: the name of an unnamed index, unique or foreign key, quoted. */
export function indexName(kind: string, table: string, columns: unknown): string {
  const list = Array.isArray(columns) ? columns : columns ? [columns] : [];
  return wrap(`${table.replace(/\.|-/g, "_")}_${list.join("_")}_${kind}`.toLowerCase());
}

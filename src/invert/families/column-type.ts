/**
 * ALTER COLUMN … TYPE. Reversible when the old values survive the round trip:
 * - a lossless widening (`varchar(n)` → `text`, `integer` → `bigint`): the type goes back;
 * - a narrowing PostgreSQL either performs exactly or refuses (`varchar(255)` → `varchar(50)`,
 *   `bigint` → `integer`, `text` → an enum) with no USING: every old value came through unchanged,
 *   so converting back restores it;
 * - a transform whose USING has a known inverse (`to_timestamp(c)` ⇄ `extract(epoch from c)`, a CASE
 *   mapping every value of a boolean or enum to distinct constants);
 * - any transform, when the migration kept the original values in a shadow copy first (found by data
 *   flow: `UPDATE t SET c_old = c`); the down restores from it: `ALTER COLUMN c TYPE old USING c_old`.
 * Anything else is irreversible: the values cannot be recovered.
 */
import type { AlterTableCmd, Node } from "@pgsql/types";
import { Renderer, exprSql, literal, quoteName } from "../../catalog/render.js";
import type { Column, ObjectKey } from "../../catalog/types.js";
import { asNode, stringValues } from "../../parse/ast.js";
import type { InvertContext } from "../context.js";
import type { Reversibility } from "../types.js";
import { findBackup, findShadowColumn } from "./shadow.js";

const INTEGER_RANK: Record<string, number> = { smallint: 1, integer: 2, bigint: 3 };

function parseMods(type: string): { base: string; mods: number[] } {
  const m = /^([a-z ]+?)(?:\((\d+(?:,\d+)*)\))?( with(?:out)? time zone)?$/.exec(type);
  if (!m) return { base: type, mods: [] };
  return { base: `${m[1]}${m[3] ?? ""}`, mods: m[2] ? m[2].split(",").map(Number) : [] };
}

/** Types whose every value converts to text and back unchanged. */
const TEXT_SAFE = new Set(["smallint", "integer", "bigint", "uuid", "character varying", "text", "boolean"]);

/** Is converting `from` to `to` lossless for every value (so changing the type back restores them)? */
export function isWidening(from: string, to: string, fromIsEnum = false): boolean {
  if (from === to) return true;
  if (from.endsWith("[]") !== to.endsWith("[]")) return false;
  if (from.endsWith("[]")) return isWidening(from.slice(0, -2), to.slice(0, -2));
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
  // character(n) compares and casts ignoring trailing blanks, so it survives varchar/text and back.
  if (f.base === "character" && (t.base === "text" || (t.base === "character varying" && (!t.mods.length || (f.mods[0] ?? 1) <= t.mods[0]!)))) return true;
  return false;
}

function usingShadow(shadow: string, type: string): string {
  return `${quoteName(shadow)}::${type}`;
}

/** Narrowings that round instead of refusing: their reverse cannot restore the digits they drop. */
function rounds(from: string, to: string): boolean {
  const f = parseMods(from);
  const t = parseMods(to);
  if ((f.base === "numeric" || f.base === "real" || f.base === "double precision") && INTEGER_RANK[t.base]) return true;
  if (f.base === "double precision" && t.base === "real") return true;
  if (f.base === "numeric" && t.base === "numeric") return (t.mods[1] ?? 0) < (f.mods[1] ?? (f.mods.length ? 0 : Infinity));
  if (/^(timestamp|time) with(out)? time zone$/.test(f.base) && /^(timestamp|time) with(out)? time zone$/.test(t.base)) return (t.mods[0] ?? 6) < (f.mods[0] ?? 6);
  return false;
}

export interface TypeChangeInverse {
  class: Reversibility;
  /** The USING expression of the inverse (default `c::old_type`). */
  using?: string;
  /** Statements before and after the inverse type change (restoring from a backup table). */
  around?: { before: string[]; after: string[] };
  reason?: string;
}

function column(ctx: InvertContext, table: ObjectKey, name: string, when: "before" | "after"): Column | undefined {
  return ctx[when].tables.get(table)?.columns.find((c) => c.name === name);
}

/** Is `expr` just the column, possibly cast (no real transform)? */
function isPlainColumn(expr: Node | undefined, name: string): boolean {
  if (!expr) return true;
  const cast = asNode(expr, "TypeCast");
  if (cast) return isPlainColumn(cast.arg, name);
  const ref = asNode(expr, "ColumnRef");
  return !!ref && stringValues(ref.fields).at(-1) === name;
}

/** Classifies one `ALTER COLUMN … TYPE` sub-command and finds the USING of its inverse. */
export function invertTypeChange(ctx: InvertContext, table: ObjectKey, cmd: AlterTableCmd): TypeChangeInverse {
  const name = cmd.name ?? "";
  const before = column(ctx, table, name, "before");
  const after = column(ctx, table, name, "after");
  if (!before || !after) return { class: "reversible" };
  const using = asNode(cmd.def, "ColumnDef")?.raw_default;
  const c = quoteName(name);
  if (before.type === after.type) return { class: "reversible" };
  const fromEnum = !!before.typeRef && ctx.before.types.get(before.typeRef)?.kind === "enum";
  const toEnum = !!after.typeRef && ctx.after.types.get(after.typeRef)?.kind === "enum";
  if (isWidening(before.type, after.type, fromEnum) && isPlainColumn(using, name)) return { class: "reversible" };
  const shadow = findShadowColumn(ctx, table, name);
  if (shadow) return { class: "reversible", using: usingShadow(shadow, before.type) };
  if (isPlainColumn(using, name) && isWidening(after.type, before.type, toEnum) && !rounds(before.type, after.type)) {
    return { class: "reversible" };
  }
  // One enum to another through text (how prisma removes a value: a new type, then a cast): the labels
  // survive, so casting back through text restores them when the new labels all exist in the old type.
  if (fromEnum && toEnum && isPlainColumn(using, name)) {
    const oldLabels = enumLabels(ctx, before) ?? [];
    const newType = after.typeRef ? ctx.after.types.get(after.typeRef) : undefined;
    if (newType?.kind === "enum" && newType.labels.every((l) => oldLabels.includes(l))) return { class: "reversible", using: `${c}::text::${before.type}` };
  }
  const inverse = using ? inverseTransform(ctx, before, using, c) : undefined;
  if (inverse) return { class: "reversible", using: inverse };
  // A backup table with the key and the column (CREATE TABLE bk AS SELECT id, c FROM t): fill a
  // temporary column from it, convert from that, drop it. USING cannot read another table itself.
  const pk = ctx.before.tables.get(table)?.constraints.find((k) => k.type === "primary")?.columns;
  const bk = pk ? findBackup(ctx, table, [...pk, name]) : undefined;
  if (bk && pk) {
    const r = new Renderer(ctx.after, ctx.searchPath);
    const t = r.relation(table);
    const tmp = quoteName(`${name}__restore`);
    const join = pk.map((k) => `${t}.${quoteName(k)} = b.${quoteName(k)}`).join(" AND ");
    return {
      class: "reversible",
      using: tmp,
      around: {
        before: [`ALTER TABLE ${t} ADD COLUMN ${tmp} ${before.type}`, `UPDATE ${t} SET ${tmp} = b.${c} FROM ${r.relation(bk.key)} AS b WHERE ${join}`],
        after: [`ALTER TABLE ${t} DROP COLUMN ${tmp}`],
      },
    };
  }
  const reason = `changing ${name} from ${before.type} to ${after.type}${using ? ` USING ${exprSql(using)}` : ""} converts its values; without a copy of the originals (a shadow column filled before the change) they cannot be restored`;
  if (castKnown(after.type, before.type, toEnum)) return { class: "irreversible", reason };
  // No cast leads back (jsonb → integer[]): `USING c::old` would not even run on an empty table. The
  // down restores the type where no value is lost, on an empty table, and refuses with a reason on
  // any other, instead of failing on a cast error or inventing values.
  const t = new Renderer(ctx.after, ctx.searchPath).relation(table);
  const message = `${t}.${name} cannot go back to ${before.type}: the migration converted its values to ${after.type} and kept no copy (irreversible); restore the rows from a backup`;
  return {
    class: "irreversible",
    reason: `${reason}; PostgreSQL has no cast from ${after.type} back to ${before.type}, so the down restores the type only on an empty table`,
    using: `NULL::${before.type}`,
    around: {
      before: [`DO $$\nBEGIN\n  IF EXISTS (SELECT 1 FROM ${t}) THEN\n    RAISE EXCEPTION ${literal(message)};\n  END IF;\nEND\n$$`],
      after: [],
    },
  };
}

const STRING_TYPES = new Set(["text", "character varying", "character", "name", "citext"]);
const NUMBER_TYPES = new Set(["smallint", "integer", "bigint", "numeric", "real", "double precision"]);
const DATE_TYPES = new Set(["date", "timestamp without time zone", "timestamp with time zone"]);

/**
 * Does PostgreSQL cast `from` to `to` (explicitly)? Only pairs known for sure count: string types
 * (every type, arrays too, converts to and from text by its I/O functions), one base type with other
 * modifiers, numbers among themselves, dates and timestamps, json and jsonb, integer and boolean,
 * arrays of castable elements. A pair not listed may still have a cast; treating it as castless only
 * makes its down stricter (it refuses on a table with rows), never wrong.
 */
export function castKnown(from: string, to: string, fromIsEnum = false): boolean {
  const f = parseMods(from);
  const t = parseMods(to);
  // An enum goes through text (the restore writes `c::text::old`), and text casts to every type.
  if (from === to || f.base === t.base || fromIsEnum) return true;
  if (STRING_TYPES.has(f.base) || STRING_TYPES.has(t.base)) return true;
  if (from.endsWith("[]") && to.endsWith("[]")) return castKnown(from.slice(0, -2), to.slice(0, -2));
  if (from.endsWith("[]") || to.endsWith("[]")) return false;
  if (NUMBER_TYPES.has(f.base) && NUMBER_TYPES.has(t.base)) return true;
  if (DATE_TYPES.has(f.base) && DATE_TYPES.has(t.base)) return true;
  return OTHER_CASTS.has(`${f.base}>${t.base}`);
}

const OTHER_CASTS = new Set([
  "json>jsonb",
  "jsonb>json",
  "integer>boolean",
  "boolean>integer",
  "bit>bit varying",
  "bit varying>bit",
  "inet>cidr",
  "cidr>inet",
  "timestamp without time zone>time without time zone",
  "timestamp with time zone>time with time zone",
  "timestamp with time zone>time without time zone",
  "time without time zone>time with time zone",
  "time with time zone>time without time zone",
]);

const literalOf = (n: Node | undefined): string | undefined => {
  if (!n) return undefined;
  if (asNode(n, "A_Const")) return exprSql(n);
  const cast = asNode(n, "TypeCast");
  if (cast && asNode(cast.arg, "A_Const")) return exprSql(n);
  return undefined;
};

/** The USING that undoes a forward USING, when the forward one is a known bijection on the old values. */
function inverseTransform(ctx: InvertContext, before: Column, using: Node, c: string): string | undefined {
  const fn = asNode(using, "FuncCall");
  if (fn && stringValues(fn.funcname).at(-1) === "to_timestamp" && fn.args?.length === 1 && INTEGER_RANK[before.type] && isPlainColumn(fn.args[0], stringValues(asNode(fn.args[0], "ColumnRef")?.fields).at(-1) ?? "")) {
    return `extract(epoch FROM ${c})::${before.type}`;
  }
  // string_to_array(c, d) and array_to_string(c, d) undo each other for every string.
  if (fn && stringValues(fn.funcname).at(-1) === "string_to_array" && fn.args?.length === 2 && literalOf(fn.args[1])) {
    return `array_to_string(${c}, ${literalOf(fn.args[1])})::${before.type}`;
  }
  const kase = asNode(using, "CaseExpr");
  if (!kase) return undefined;
  const whens = (kase.args ?? []).map((w) => asNode(w, "CaseWhen")).filter((w) => !!w);
  const results = whens.map((w) => literalOf(w.result));
  const elseValue = literalOf(kase.defresult);
  // CASE WHEN c THEN a ELSE b END on a NOT NULL boolean: c = a.
  if (!kase.arg && before.type === "boolean" && before.notNull && whens.length === 1 && isPlainColumn(whens[0]!.expr, stringValues(asNode(whens[0]!.expr, "ColumnRef")?.fields).at(-1) ?? "") && results[0] && elseValue && results[0] !== elseValue) {
    return `${c} = ${results[0]}`;
  }
  // CASE c WHEN k1 THEN v1 … END covering every value of a boolean or enum, with distinct results.
  if (kase.arg && !kase.defresult && results.every(Boolean) && new Set(results).size === results.length) {
    const keys = whens.map((w) => literalOf(w.expr));
    if (!keys.every(Boolean)) return undefined;
    const domain = before.type === "boolean" ? ["true", "false"] : enumLabels(ctx, before);
    const covered = domain && domain.every((v) => keys.some((k) => k === v || k!.startsWith(`'${v.replace(/'/g, "''")}'`) || k === `'${v}'`));
    if (!covered) return undefined;
    return `(CASE ${c} ${whens.map((w, i) => `WHEN ${results[i]} THEN ${keys[i]}`).join(" ")} END)::${before.type}`;
  }
  return undefined;
}

function enumLabels(ctx: InvertContext, col: Column): string[] | undefined {
  const t = col.typeRef ? ctx.before.types.get(col.typeRef) : undefined;
  return t?.kind === "enum" ? [...t.labels] : undefined;
}

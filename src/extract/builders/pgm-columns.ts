/**
 * node-pg-migrate's column definitions (`{ id: 'id', name: { type: 'text', notNull: true } }`) and
 * table constraints (`{ unique: [...], foreignKeys: {...} }`), written as its SQL writer writes them:
 * the `id` shorthand is `serial PRIMARY KEY`, `int`/`string`/`bool`… are adapted, several primary-key
 * columns become one `<table>_pkey` constraint, and comments follow as `COMMENT ON` statements.
 */
import type { JsNode } from "../module.js";
import type { BuilderContext } from "./builder.js";
import { notStatic } from "./static-value.js";
import { comment, escapeValue, literal, options, text, toArray, truthy, UNDEF, type PgValue } from "./pgm-values.js";

const TYPE_ADAPTERS: Record<string, string> = { int: "integer", string: "text", float: "real", double: "double precision", datetime: "timestamp", bool: "boolean" };

export function adaptType(t: string): string {
  return TYPE_ADAPTERS[t] ?? t;
}

const COLUMN_KEYS = ["type", "array", "collation", "default", "unique", "primaryKey", "notNull", "check", "references", "referencesConstraintName", "onDelete", "onUpdate", "match", "deferrable", "deferred", "comment", "expressionGenerated", "sequenceGenerated"];

/** One column's options after the shorthand: `'id'` (or `{ type: 'id', … }`) is serial PRIMARY KEY. */
function columnOptions(ctx: BuilderContext, v: PgValue, at: JsNode): Map<string, PgValue> {
  const opts = v.t === "str" ? new Map<string, PgValue>([["type", v]]) : new Map(options(ctx, v, COLUMN_KEYS, "column", at));
  const type = opts.get("type");
  if (!type || type.t !== "str") notStatic(ctx, at, "column type is not a string");
  if (type.v === "id") {
    const withId = new Map<string, PgValue>([["primaryKey", { t: "bool", v: true }], ...opts]);
    withId.set("type", { t: "str", v: "serial" });
    return withId;
  }
  opts.set("type", { t: "str", v: adaptType(type.v) });
  return opts;
}

export function references(ctx: BuilderContext, o: Map<string, PgValue>, at: JsNode): string {
  const ref = o.get("references")!;
  const raw = ref.t === "str" && (ref.v.startsWith('"') || ref.v.endsWith(")"));
  let s = `REFERENCES ${raw ? (ref as { v: string }).v : literal(ctx, ref, at, "references")}`;
  if (truthy(o.get("match"))) s += ` MATCH ${text(ctx, o.get("match")!, at, "match")}`;
  if (truthy(o.get("onDelete"))) s += ` ON DELETE ${text(ctx, o.get("onDelete")!, at, "onDelete")}`;
  if (truthy(o.get("onUpdate"))) s += ` ON UPDATE ${text(ctx, o.get("onUpdate")!, at, "onUpdate")}`;
  return s;
}

const deferrable = (o: Map<string, PgValue>) => `DEFERRABLE INITIALLY ${truthy(o.get("deferred")) ? "DEFERRED" : "IMMEDIATE"}`;

export interface ParsedColumns {
  lines: string[];
  /** The columns marked primaryKey when there are several (then a table constraint). */
  primaryKey: string[];
  comments: string[];
}

export function parseColumns(ctx: BuilderContext, tableName: PgValue, columns: PgValue, at: JsNode): ParsedColumns {
  if (columns.t !== "obj") notStatic(ctx, at, "columns are not an object literal");
  const entries = [...columns.props].map(([name, v]) => [name, columnOptions(ctx, v, at)] as const);
  const primary = entries.filter(([, o]) => truthy(o.get("primaryKey"))).map(([n]) => n);
  const several = primary.length > 1;
  const table = literal(ctx, tableName, at, "table name");
  const comments: string[] = [];
  for (const [name, o] of entries) if (o.has("comment") && o.get("comment")!.t !== "undef") comments.push(comment(ctx, "COLUMN", `${table}.${literal(ctx, { t: "str", v: name }, at)}`, o.get("comment")!, at));
  const lines = entries.map(([name, o]) => {
    const parts: string[] = [];
    const get = (k: string) => o.get(k) ?? UNDEF;
    if (truthy(get("collation"))) parts.push(`COLLATE ${text(ctx, get("collation"), at, "collation")}`);
    if (get("default").t !== "undef") parts.push(`DEFAULT ${escapeValue(ctx, get("default"), at)}`);
    if (truthy(get("unique"))) parts.push("UNIQUE");
    if (truthy(get("primaryKey")) && !several) parts.push("PRIMARY KEY");
    if (truthy(get("notNull"))) parts.push("NOT NULL");
    if (truthy(get("check"))) parts.push(`CHECK (${text(ctx, get("check"), at, "check")})`);
    if (truthy(get("references"))) {
      const cn = get("referencesConstraintName");
      parts.push(`${truthy(cn) ? `CONSTRAINT ${literal(ctx, cn, at)} ` : ""}${references(ctx, o, at)}`);
    }
    if (truthy(get("deferrable"))) parts.push(deferrable(o));
    const seq = get("sequenceGenerated");
    if (truthy(seq)) {
      const so = options(ctx, seq, ["precedence", ...SEQUENCE_KEYS], "sequenceGenerated", at);
      const opts = sequenceOptions(ctx, so, at).join(" ");
      parts.push(`GENERATED ${text(ctx, so.get("precedence") ?? UNDEF, at, "precedence")} AS IDENTITY${opts ? ` (${opts})` : ""}`);
    }
    if (truthy(get("expressionGenerated"))) parts.push(`GENERATED ALWAYS AS (${text(ctx, get("expressionGenerated"), at, "expressionGenerated")}) STORED`);
    const array = get("array");
    const base = text(ctx, get("type"), at, "type");
    const type = array.t === "bool" && array.v ? `${base} ARRAY` : array.t === "num" ? `${base} ARRAY[${array.v}]` : base;
    return `${literal(ctx, { t: "str", v: name }, at)} ${type}${parts.length ? ` ${parts.join(" ")}` : ""}`;
  });
  return { lines, primaryKey: several ? primary : [], comments };
}

export const SEQUENCE_KEYS = ["type", "increment", "minvalue", "maxvalue", "start", "cache", "cycle", "owner"];

export function sequenceOptions(ctx: BuilderContext, o: Map<string, PgValue>, at: JsNode): string[] {
  const get = (k: string) => o.get(k) ?? UNDEF;
  const off = (v: PgValue) => v.t === "null" || (v.t === "bool" && !v.v);
  const out: string[] = [];
  if (truthy(get("type"))) out.push(`AS ${adaptType(text(ctx, get("type"), at, "type") === "id" ? "serial" : text(ctx, get("type"), at, "type"))}`);
  if (truthy(get("increment"))) out.push(`INCREMENT BY ${text(ctx, get("increment"), at, "increment")}`);
  if (truthy(get("minvalue"))) out.push(`MINVALUE ${text(ctx, get("minvalue"), at, "minvalue")}`);
  else if (off(get("minvalue"))) out.push("NO MINVALUE");
  if (truthy(get("maxvalue"))) out.push(`MAXVALUE ${text(ctx, get("maxvalue"), at, "maxvalue")}`);
  else if (off(get("maxvalue"))) out.push("NO MAXVALUE");
  if (truthy(get("start"))) out.push(`START WITH ${text(ctx, get("start"), at, "start")}`);
  if (truthy(get("cache"))) out.push(`CACHE ${text(ctx, get("cache"), at, "cache")}`);
  if (truthy(get("cycle"))) out.push("CYCLE");
  else if (get("cycle").t === "bool") out.push("NO CYCLE");
  if (truthy(get("owner"))) out.push(`OWNED BY ${text(ctx, get("owner"), at, "owner")}`);
  else if (off(get("owner"))) out.push("OWNED BY NONE");
  return out;
}

export const CONSTRAINT_KEYS = ["check", "unique", "primaryKey", "foreignKeys", "exclude", "deferrable", "deferred", "comment"];

/** parseConstraints: the table constraints of `options`, named after the table unless `optionName`. */
export function parseConstraints(ctx: BuilderContext, tableName: PgValue, o: Map<string, PgValue>, optionName: string, at: JsNode): { constraints: string[]; comments: string[] } {
  const get = (k: string) => o.get(k) ?? UNDEF;
  const bare = tableName.t === "obj" ? (tableName.props.get("name") ?? UNDEF) : tableName;
  const base = bare.t === "str" ? bare.v : bare.t === "num" ? String(bare.v) : notStatic(ctx, at, "table name is not a string");
  const name = (fallback: string) => literal(ctx, { t: "str", v: optionName || fallback }, at);
  const col = (v: PgValue) => literal(ctx, v, at, "column");
  let constraints: string[] = [];
  const comments: string[] = [];
  const check = get("check");
  if (truthy(check)) {
    if (check.t === "arr") check.items.forEach((c, i) => constraints.push(`CONSTRAINT ${name(`${base}_chck_${i + 1}`)} CHECK (${text(ctx, c, at, "check")})`));
    else constraints.push(`CONSTRAINT ${name(`${base}_chck`)} CHECK (${text(ctx, check, at, "check")})`);
  }
  const unique = get("unique");
  if (truthy(unique)) {
    const sets = toArray(unique);
    for (const set of sets.some((s) => s.t === "arr") ? sets : [unique.t === "arr" ? unique : { t: "arr" as const, items: sets }]) {
      const cols = toArray(set);
      const names = cols.map((c) => text(ctx, c, at, "unique column"));
      constraints.push(`CONSTRAINT ${name(`${base}_uniq_${names.join("_")}`)} UNIQUE (${cols.map(col).join(", ")})`);
    }
  }
  const pk = get("primaryKey");
  if (truthy(pk)) constraints.push(`CONSTRAINT ${name(`${base}_pkey`)} PRIMARY KEY (${toArray(pk).map(col).join(", ")})`);
  const fks = get("foreignKeys");
  if (truthy(fks)) {
    for (const fk of toArray(fks)) {
      const f = options(ctx, fk, ["columns", "references", "referencesConstraintName", "onDelete", "onUpdate", "match"], "foreign key", at);
      const cols = toArray(f.get("columns") ?? UNDEF);
      const colNames = cols.map((c) => text(ctx, c, at, "foreign key column"));
      const cn = f.get("referencesConstraintName");
      const fkName = truthy(cn) ? literal(ctx, cn!, at) : name(`${base}_fk_${colNames.join("_")}`);
      constraints.push(`CONSTRAINT ${fkName} FOREIGN KEY (${cols.map(col).join(", ")}) ${references(ctx, f, at)}`);
    }
  }
  if (truthy(get("exclude"))) constraints.push(`CONSTRAINT ${name(`${base}_excl`)} EXCLUDE ${text(ctx, get("exclude"), at, "exclude")}`);
  if (truthy(get("deferrable"))) constraints = constraints.map((c) => `${c} ${deferrable(o)}`);
  if (truthy(get("comment"))) {
    if (!optionName) notStatic(ctx, at, "node-pg-migrate rejects a comment on unnamed constraints");
    comments.push(comment(ctx, `CONSTRAINT ${literal(ctx, { t: "str", v: optionName }, at)} ON`, literal(ctx, tableName, at), get("comment"), at));
  }
  return { constraints, comments };
}

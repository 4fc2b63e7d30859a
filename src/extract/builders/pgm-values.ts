/**
 * The argument values of node-pg-migrate's `pgm.*` calls, read statically, and the three ways its SQL
 * writer (node-pg-migrate 9, with the runner's defaults: no `decamelize`, no custom type shorthands)
 * turns them into text: `literal` (a quoted identifier; `{ schema, name }` as `"s"."n"`; a whole
 * string is one identifier, dots included), `schemalize` (unquoted, an expression-looking string in
 * parentheses) and `escapeValue` (a value: strings dollar-quoted `$pga$…$pga$`, `pgm.func('…')` as is).
 */
import { child, childList, unwrap, type JsNode } from "../module.js";
import type { BuilderContext } from "./builder.js";
import { flattenChain, notStatic, objectProps } from "./static-value.js";

export type PgValue =
  | { t: "str"; v: string }
  | { t: "num"; v: number }
  | { t: "bool"; v: boolean }
  | { t: "null" }
  | { t: "undef" }
  /** `pgm.func('now()')` / `PgLiteral.create('…')`: SQL written as is. */
  | { t: "lit"; v: string }
  | { t: "arr"; items: PgValue[] }
  | { t: "obj"; props: Map<string, PgValue>; node: JsNode };

export const UNDEF: PgValue = { t: "undef" };

export function readValue(ctx: BuilderContext, node: JsNode | undefined): PgValue {
  if (!node) return UNDEF;
  const u = unwrap(node);
  if (u.type === "Literal") {
    if (u.value === null && u.raw === "null") return { t: "null" };
    if (typeof u.value === "number") return { t: "num", v: u.value };
    if (typeof u.value === "boolean") return { t: "bool", v: u.value };
  }
  if (u.type === "Identifier" && u.name === "undefined") return UNDEF;
  if (u.type === "UnaryExpression" && u.operator === "-") {
    const inner = unwrap(child(u, "argument")!);
    if (inner.type === "Literal" && typeof inner.value === "number") return { t: "num", v: -inner.value };
  }
  if (u.type === "ArrayExpression") {
    return {
      t: "arr",
      items: childList(u, "elements").map((e) => {
        if (e.type === "SpreadElement") notStatic(ctx, e, "a spread");
        return readValue(ctx, e);
      }),
    };
  }
  if (u.type === "ObjectExpression") {
    const props = new Map<string, PgValue>();
    for (const [k, v] of objectProps(ctx, u, "options")) props.set(k, readValue(ctx, v));
    return { t: "obj", props, node: u };
  }
  if (u.type === "CallExpression") {
    // pgm.func('now()') and PgLiteral.create('…'): raw SQL.
    const chain = flattenChain(u);
    const path = chain ? [chain.root, ...chain.steps.map((s) => s.name)].join(".") : "";
    if ((chain && ctx.runner.has(chain.root) && path.endsWith(".func") && chain.steps.length === 1) || path === "PgLiteral.create") {
      const arg = childList(u, "arguments")[0];
      const s = arg && unwrap(arg).type !== "TaggedTemplateExpression" ? ctx.stringOf(arg) : undefined;
      if (s === undefined) notStatic(ctx, u, "pgm.func of a non-static string");
      return { t: "lit", v: s };
    }
    notStatic(ctx, u, "not a static value");
  }
  if (u.type !== "TaggedTemplateExpression") {
    const s = ctx.stringOf(u);
    if (s !== undefined) return { t: "str", v: s };
  }
  notStatic(ctx, u, "not a static value");
}

/** JavaScript truthiness, as node-pg-migrate tests its options. */
export function truthy(v: PgValue | undefined): boolean {
  if (!v) return false;
  switch (v.t) {
    case "str":
      return v.v !== "";
    case "num":
      return v.v !== 0 && !Number.isNaN(v.v);
    case "bool":
      return v.v;
    case "null":
    case "undef":
      return false;
    default:
      return true;
  }
}

/** An options object (or nothing): its properties, every key one node-pg-migrate reads and we map. */
export function options(ctx: BuilderContext, v: PgValue, allowed: readonly string[], what: string, at: JsNode): Map<string, PgValue> {
  if (v.t === "undef") return new Map();
  if (v.t !== "obj") notStatic(ctx, at, `${what} is not an object literal`);
  for (const key of v.props.keys()) if (!allowed.includes(key)) notStatic(ctx, v.node, `${what} option "${key}" is not mapped`);
  return v.props;
}

export function quote(s: string): string {
  return `"${s.replace(/"/g, '""')}"`;
}

/** A `{ schema, name }` object's parts, or undefined when the value is not one. */
function nameObject(v: PgValue): { schema?: PgValue; name: PgValue } | undefined {
  if (v.t !== "obj" || !v.props.has("name")) return undefined;
  const name = v.props.get("name")!;
  if (name.t === "undef") return undefined;
  return { schema: v.props.get("schema"), name };
}

function scalarText(ctx: BuilderContext, v: PgValue, at: JsNode, what: string): string {
  if (v.t === "str") return v.v;
  if (v.t === "num") return String(v.v);
  return notStatic(ctx, at, `${what} is not a string`);
}

export function literal(ctx: BuilderContext, v: PgValue, at: JsNode, what = "name"): string {
  if (v.t === "lit") return v.v;
  const named = nameObject(v);
  if (named) return `${named.schema && truthy(named.schema) ? `${quote(scalarText(ctx, named.schema, at, what))}.` : ""}${quote(scalarText(ctx, named.name, at, what))}`;
  return quote(scalarText(ctx, v, at, what));
}

const OPERATOR = /(->>|->|#>>|#>|@\?|@@|@>|<@|\?\||\?&|\?|#-|\|\||::)/;
const LOGICAL = /[=<>!]+/;
const FUNCTION_CALL = /^[\w.]+\(/;
const ARITHMETIC = /\s+[+*/-]\s+/;
const ALPHANUMERIC = /[a-zA-Z0-9]/;
/** node-pg-migrate's own test for "this name is an expression": it is then written in parentheses. */
function looksLikeExpression(s: string): boolean {
  return OPERATOR.test(s) || FUNCTION_CALL.test(s) || ARITHMETIC.test(s) || (LOGICAL.test(s) && ALPHANUMERIC.test(s));
}

export function schemalize(ctx: BuilderContext, v: PgValue, at: JsNode, what = "name"): string {
  if (v.t === "lit") return v.v;
  const named = nameObject(v);
  if (named) return `${named.schema && truthy(named.schema) ? `${scalarText(ctx, named.schema, at, what)}.` : ""}${scalarText(ctx, named.name, at, what)}`;
  const s = scalarText(ctx, v, at, what);
  return v.t === "str" && looksLikeExpression(s) ? `(${s})` : s;
}

/** `$pga$…$pga$`, with the first tag (a, b, …, z, aa, …) the text does not contain. */
function dollarQuote(s: string): string {
  for (let i = 0; ; i++) {
    let id = "";
    for (let n = i; ; n = Math.floor(n / 26) - 1) {
      id = String.fromCharCode(97 + (n % 26)) + id;
      if (n < 26) break;
    }
    const tag = `$pg${id}$`;
    if (!s.includes(tag)) return `${tag}${s}${tag}`;
  }
}

export function escapeValue(ctx: BuilderContext, v: PgValue, at: JsNode): string {
  switch (v.t) {
    case "null":
      return "NULL";
    case "bool":
      return String(v.v);
    case "str":
      return dollarQuote(v.v);
    case "num":
      return String(v.v);
    case "lit":
      return v.v;
    case "arr":
      return `ARRAY[${v.items.map((i) => escapeValue(ctx, i, at)).join(",").replace(/ARRAY/g, "")}]`;
    default:
      return notStatic(ctx, at, "a value node-pg-migrate writes as nothing");
  }
}

/** A string option used as SQL text as is (`check`, `where`, `using`…). */
export function text(ctx: BuilderContext, v: PgValue, at: JsNode, what: string): string {
  if (v.t === "str" || v.t === "lit") return v.v;
  if (v.t === "num") return String(v.v);
  return notStatic(ctx, at, `${what} is not a string`);
}

/** node-pg-migrate's toArray: an array's items, or the value alone. */
export function toArray(v: PgValue): PgValue[] {
  return v.t === "arr" ? v.items : [v];
}

/** formatLines: each line's newlines folded to a space, lines joined by `,\n`, each prefixed. */
export function formatLines(lines: string[], prefix = "  ", separator = ","): string {
  return lines
    .map((l) => l.replace(/(?:\r\n|\r|\n)+/g, " "))
    .join(`${separator}\n`)
    .replace(/^/gm, prefix);
}

export function comment(ctx: BuilderContext, object: string, name: string, v: PgValue, at: JsNode): string {
  return `COMMENT ON ${object} ${name} IS ${escapeValue(ctx, v.t === "undef" ? { t: "null" } : v, at)};`;
}

/**
 * The static side of reading a knex builder chain: the arguments a call passes, as the JavaScript
 * values knex would receive (strings, numbers, booleans, null, arrays and plain objects of those,
 * `knex.raw('…')`, `knex.fn.now()`), and a chain of calls unrolled from its root. Anything else is
 * not known without running the module: reading it throws `Unmapped` with the reason, which the
 * mapper turns into `dynamic-sql` for the whole chain.
 */
import { child, childList, nameOf, unwrap, type JsNode } from "../module.js";
import type { BuilderContext } from "./builder.js";

/** Why a chain cannot be compiled statically (the message shown in `dynamic-sql`). */
export class Unmapped extends Error {}

/** `knex.raw(sql)` without bindings, and what `knex.fn.now()` / `knex.fn.uuid()` stand for. */
export class KnexRaw {
  constructor(readonly sql: string) {}
}

export function source(ctx: BuilderContext, node: JsNode): string {
  const s = ctx.text.slice(node.start, node.end).replace(/\s+/g, " ");
  return s.length > 40 ? `${s.slice(0, 39)}…` : s;
}

/** The value `node` evaluates to, when that is known without running anything. */
export function staticValue(node: JsNode, ctx: BuilderContext): unknown {
  const n = unwrap(node);
  const text = ctx.stringOf(n);
  if (text !== undefined) return text;
  switch (n.type) {
    case "Literal":
      if (n.value === null && n.raw === "null") return null;
      if (typeof n.value === "number" || typeof n.value === "boolean") return n.value;
      break;
    case "UnaryExpression": {
      const arg = child(n, "argument");
      if (n.operator === "-" && arg && unwrap(arg).type === "Literal" && typeof unwrap(arg).value === "number") return -(unwrap(arg).value as number);
      break;
    }
    case "Identifier":
      if (n.name === "undefined") return undefined;
      break;
    case "ArrayExpression":
      return childList(n, "elements").map((e) => {
        if (e.type === "SpreadElement") throw new Unmapped(`a spread (${source(ctx, e)})`);
        return staticValue(e, ctx);
      });
    case "ObjectExpression":
      return staticObject(n, ctx);
    case "CallExpression": {
      const raw = rawValue(n, ctx);
      if (raw) return raw;
      break;
    }
  }
  throw new Unmapped(`\`${source(ctx, n)}\` is not known statically`);
}

function staticObject(node: JsNode, ctx: BuilderContext): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const p of childList(node, "properties")) {
    const key = p.type === "Property" && !p.computed && p.kind === "init" && !p.method ? nameOf(child(p, "key")) : undefined;
    const value = child(p, "value");
    if (key === undefined || !value) throw new Unmapped(`\`${source(ctx, p)}\` is not known statically`);
    out[key] = staticValue(value, ctx);
  }
  return out;
}

/** `knex.raw('…')`, `knex.fn.now(6)`, `knex.fn.uuid()` on the runner; undefined for any other call. */
function rawValue(call: JsNode, ctx: BuilderContext): KnexRaw | undefined {
  const chain = unrollChain(call);
  const base = chain.base;
  const args = chain.calls[0]?.args ?? [];
  if (chain.calls.length !== 1) return undefined;
  const name = chain.calls[0]!.name;
  if (base.type === "Identifier" && ctx.runner.has(base.name as string) && name === "raw") {
    if (args.length !== 1) throw new Unmapped(`\`${source(ctx, call)}\` has bindings`);
    const sql = ctx.stringOf(args[0]!);
    if (sql === undefined) throw new Unmapped(`\`${source(ctx, call)}\` is not known statically`);
    // knex would substitute (or reject) a `?` placeholder at run time.
    if (sql.includes("?")) throw new Unmapped(`\`${source(ctx, call)}\` holds a \`?\` placeholder`);
    return new KnexRaw(sql);
  }
  const onFn = base.type === "MemberExpression" && !base.computed && nameOf(child(base, "property")) === "fn" && ctx.runner.has(nameOf(child(base, "object")) ?? "");
  if (!onFn) return undefined;
  if (name === "now") {
    if (args.length === 0) return new KnexRaw("CURRENT_TIMESTAMP");
    const precision = staticValue(args[0]!, ctx);
    return new KnexRaw(typeof precision === "number" ? `CURRENT_TIMESTAMP(${precision})` : "CURRENT_TIMESTAMP");
  }
  if (name === "uuid" && args.length === 0) return new KnexRaw("(gen_random_uuid())");
  return undefined;
}

export interface ChainCall {
  name: string;
  args: JsNode[];
  node: JsNode;
}

/** `a.b(1).c(2)` → base `a`, calls [b(1), c(2)]; `knex.schema.x()` → base `knex.schema`, calls [x()]. */
export function unrollChain(node: JsNode): { base: JsNode; calls: ChainCall[] } {
  const calls: ChainCall[] = [];
  let n = unwrap(node);
  for (;;) {
    if (n.type !== "CallExpression") break;
    const callee = unwrap(child(n, "callee")!);
    if (callee.type !== "MemberExpression" || callee.computed) break;
    const name = nameOf(child(callee, "property"));
    if (!name) break;
    calls.unshift({ name, args: childList(n, "arguments"), node: n });
    n = unwrap(child(callee, "object")!);
  }
  return { base: n, calls };
}

/**
 * Reading the arguments of a schema-builder call without running anything: literals, arrays, object
 * literals, `sql` tagged templates without `${}`, callbacks, and the member/call chains builders are
 * made of. Whatever cannot be read this way throws `NotStatic` naming the expression, and the mapper
 * turns the whole call into `dynamic-sql` (never a partial statement).
 */
import { child, childList, isFunction, nameOf, unwrap, type JsNode } from "../module.js";
import type { BuilderContext } from "./builder.js";

export class NotStatic extends Error {}

/** Abandons the call: `what` says why, the node's text shows where. */
export function notStatic(ctx: BuilderContext, node: JsNode, what: string): never {
  const src = ctx.text.slice(node.start, node.end).replace(/\s+/g, " ");
  throw new NotStatic(`${what}: ${src.length > 40 ? `${src.slice(0, 39)}…` : src}`);
}

/** One link of a chain: `.name` or `.name(args)`. */
export interface Step {
  name: string;
  /** Undefined for a property access (`db.schema`), the arguments for a call. */
  args?: JsNode[];
  node: JsNode;
}

/** `db.schema.createTable('x').execute()` as root `db` and its steps, or undefined when not a plain chain. */
export function flattenChain(node: JsNode): { root: string; rootNode: JsNode; steps: Step[] } | undefined {
  const steps: Step[] = [];
  let n = unwrap(node);
  for (;;) {
    if (n.type === "CallExpression") {
      const callee = unwrap(child(n, "callee")!);
      if (callee.type !== "MemberExpression" || callee.computed) return undefined;
      const name = nameOf(child(callee, "property"));
      if (!name) return undefined;
      steps.unshift({ name, args: childList(n, "arguments"), node: n });
      n = unwrap(child(callee, "object")!);
    } else if (n.type === "MemberExpression") {
      if (n.computed) return undefined;
      const name = nameOf(child(n, "property"));
      if (!name) return undefined;
      steps.unshift({ name, node: n });
      n = unwrap(child(n, "object")!);
    } else if (n.type === "Identifier") {
      return { root: n.name as string, rootNode: n, steps };
    } else if (n.type === "ThisExpression") {
      return { root: "this", rootNode: n, steps };
    } else return undefined;
  }
}

/** A string argument (literal, template without `${}`, a `const` holding one). */
export function stringArg(ctx: BuilderContext, node: JsNode | undefined, what: string, at: JsNode): string {
  if (!node) notStatic(ctx, at, `${what} missing`);
  const u = unwrap(node);
  if (u.type === "TaggedTemplateExpression" || u.type === "CallExpression") notStatic(ctx, u, `${what} is not a plain string`);
  const s = ctx.stringOf(u);
  if (s === undefined) notStatic(ctx, u, `${what} is not a static string`);
  return s;
}

/** An array of strings (or a single string where `single` allows it). */
export function stringList(ctx: BuilderContext, node: JsNode | undefined, what: string, at: JsNode, single = false): string[] {
  if (!node) notStatic(ctx, at, `${what} missing`);
  const u = unwrap(node);
  if (u.type !== "ArrayExpression") {
    if (single) return [stringArg(ctx, u, what, at)];
    notStatic(ctx, u, `${what} is not an array literal`);
  }
  return childList(u, "elements").map((e) => {
    if (e.type === "SpreadElement") notStatic(ctx, e, `${what} has a spread`);
    return stringArg(ctx, e, what, at);
  });
}

/** `sql`…`` without `${}` (or `sql.raw('…')`): the SQL text; undefined when the node is not one. */
export function sqlLiteral(ctx: BuilderContext, node: JsNode): string | undefined {
  const u = unwrap(node);
  const isTag = (t: JsNode | undefined) => t !== undefined && ((t.type === "Identifier" && t.name === "sql") || (t.type === "MemberExpression" && nameOf(child(t, "property")) === "sql"));
  if (u.type === "TaggedTemplateExpression" && isTag(unwrap(child(u, "tag")!))) {
    if (childList(child(u, "quasi")!, "expressions").length) notStatic(ctx, u, "sql template with ${}");
    return ctx.stringOf(u);
  }
  if (u.type === "CallExpression") {
    const callee = unwrap(child(u, "callee")!);
    if (callee.type === "MemberExpression" && nameOf(child(callee, "property")) === "raw" && isTag(unwrap(child(callee, "object")!))) {
      const arg = childList(u, "arguments")[0];
      const s = arg ? ctx.stringOf(arg) : undefined;
      if (s === undefined) notStatic(ctx, u, "sql.raw of a non-static string");
      return s;
    }
  }
  return undefined;
}

/** A JS scalar as written: string, number (also `-1`), boolean or null; undefined when it is none. */
export type Scalar = { kind: "string"; value: string } | { kind: "number"; value: number } | { kind: "boolean"; value: boolean } | { kind: "null" };

export function scalarOf(ctx: BuilderContext, node: JsNode): Scalar | undefined {
  const u = unwrap(node);
  if (u.type === "Literal") {
    if (u.value === null && u.raw === "null") return { kind: "null" };
    if (typeof u.value === "number") return { kind: "number", value: u.value };
    if (typeof u.value === "boolean") return { kind: "boolean", value: u.value };
  }
  if (u.type === "UnaryExpression" && u.operator === "-") {
    const inner = unwrap(child(u, "argument")!);
    if (inner.type === "Literal" && typeof inner.value === "number") return { kind: "number", value: -inner.value };
  }
  if (u.type === "TaggedTemplateExpression") return undefined;
  const s = ctx.stringOf(u);
  return s === undefined ? undefined : { kind: "string", value: s };
}

/** `(col) => col.a().b()` (or `{ return col.a().b() }`): the steps applied to the parameter. */
export function callbackSteps(ctx: BuilderContext, node: JsNode, what: string): Step[] {
  const fn = unwrap(node);
  if (!isFunction(fn)) notStatic(ctx, fn, `${what} is not an inline callback`);
  const params = childList(fn, "params");
  const param = params[0];
  if (params.length !== 1 || param?.type !== "Identifier") notStatic(ctx, fn, `${what} callback takes no plain parameter`);
  let body = child(fn, "body")!;
  if (body.type === "BlockStatement") {
    const stmts = childList(body, "body");
    const only = stmts[0];
    if (stmts.length !== 1 || (only?.type !== "ReturnStatement" && only?.type !== "ExpressionStatement")) notStatic(ctx, body, `${what} callback is not a single return`);
    body = child(only, only.type === "ReturnStatement" ? "argument" : "expression")!;
    if (!body) notStatic(ctx, only, `${what} callback returns nothing`);
  }
  const chain = flattenChain(body);
  if (!chain || chain.root !== param.name) notStatic(ctx, body, `${what} callback is not a chain on its parameter`);
  for (const s of chain.steps) if (!s.args) notStatic(ctx, s.node, `${what} callback reads a property`);
  return chain.steps;
}

/** The properties of an object literal, by name (no spreads, no computed keys, no methods). */
export function objectProps(ctx: BuilderContext, node: JsNode, what: string): Map<string, JsNode> {
  const u = unwrap(node);
  if (u.type !== "ObjectExpression") notStatic(ctx, u, `${what} is not an object literal`);
  const out = new Map<string, JsNode>();
  for (const p of childList(u, "properties")) {
    if (p.type !== "Property" || p.computed || p.kind !== "init" || p.method) notStatic(ctx, p, `${what} has a spread or computed key`);
    const key = nameOf(child(p, "key")) ?? (typeof (child(p, "key")?.value) === "number" ? String(child(p, "key")!.value) : undefined);
    if (key === undefined) notStatic(ctx, p, `${what} has an unreadable key`);
    out.set(key, child(p, "value")!);
  }
  return out;
}

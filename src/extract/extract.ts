/**
 * The SQL a migration module sends, read without running it: inside `up` and inside `down`, every call
 * to a known sink, in source order (the order an `await`ed sequence runs in):
 *
 *   TypeORM `queryRunner.query(sql)` · MikroORM `this.addSql(sql)` / `this.execute(sql)` ·
 *   Kysely `` sql`…`.execute(db) `` / `sql.raw(s).execute(db)` · knex `knex.raw(sql)` / `knex.schema.raw(sql)` ·
 *   node-pg-migrate `pgm.sql(sql)` · hand-rolled and Payload `db.execute(sql`…`)` / `db.query(sql)`
 *
 * The SQL argument may be a string literal, a template literal without `${}`, a `sql` tagged template,
 * a `+` concatenation of those, or a `const` holding one. Anything else — an interpolation, a variable,
 * bindings substituted at run time, a sink under `if`/a loop/a callback/after an early return, a builder
 * or helper call that reaches the database — cannot be known statically: it becomes a `DynamicSql`
 * entry (reported as `dynamic-sql`) and its SQL is left out, never guessed. Schema-builder chains
 * (`knex.schema.createTable(…)`) are first offered to the library mappers of ./builders/, which
 * give the SQL the library compiles them to, or say why they cannot.
 */
import type { ModuleStyle } from "../layout/types.js";
import type { BuilderContext } from "./builders/builder.js";
import { buildersFor } from "./builders/index.js";
import { decodeLiteral, joinMapped, type MappedText } from "./literal.js";
import { locateFunctions, memberPath, type Direction, type LocatedFunction, type LocatedModule } from "./locate.js";
import { child, childList, children, isFunction, nameOf, parseModule, unwrap, type JsNode, type ModuleSyntaxError } from "./module.js";

export type DynamicKind = "interpolation" | "expression" | "bindings" | "control-flow" | "unmapped-call";

export interface DynamicSql {
  kind: DynamicKind;
  /** The source text that makes it dynamic (`${schema}`, `if (!exists)`, `db.schema.createTable(…)`), shortened. */
  expression: string;
  /** UTF-16 index into the file where it is. */
  index: number;
}

export interface ExtractedSql {
  sql: MappedText;
  /** The sink call's span in the file. */
  call: { start: number; end: number };
  sink: string;
  /** The SQL was a `sql` tagged template (`db.execute(sql`…`)`), not a plain string. */
  tagged: boolean;
  /** The SQL is what a schema builder compiles the call to (every character maps to the call's start). */
  builder?: string;
}

export interface ExtractedDirection {
  sql: ExtractedSql[];
  dynamic: DynamicSql[];
  /** The function body's braces: `{` at `open`, `}` at `close` (absent for a concise arrow). */
  body?: { open: number; close: number };
  /** No statement at all in the body (comments only, or `{}`). */
  empty: boolean;
  /** Calls that change how the runner runs the migration (`pgm.noTransaction()`). */
  flags: string[];
  /** The runner parameter's name (`queryRunner`, `db`, `knex`, `pgm`), when the function has one. */
  param?: string;
}

export interface ExtractedModule {
  up?: ExtractedDirection;
  down?: ExtractedDirection;
  errors: ModuleSyntaxError[];
  located: LocatedModule;
}

/** The module's up and down; `layout` is the runner its folder was recognised as, when known (see BuilderContext). */
export function extractModule(path: string, text: string, layout?: ModuleStyle): ExtractedModule {
  const parsed = parseModule(path, text);
  const located = locateFunctions(parsed.program, text);
  const out: ExtractedModule = { errors: parsed.errors, located };
  for (const dir of ["up", "down"] as Direction[]) {
    const fn = located[dir];
    if (fn) out[dir] = extractFunction(text, fn, located, layout);
  }
  return out;
}

const SHORT = 60;
function shorten(s: string): string {
  const flat = s.replace(/\s+/g, " ").trim();
  return flat.length > SHORT ? `${flat.slice(0, SHORT - 1)}…` : flat;
}

function extractFunction(text: string, located: LocatedFunction, module: LocatedModule, layout: ModuleStyle | undefined): ExtractedDirection {
  const fn = located.fn;
  const params = childList(fn, "params");
  const runner = new Set<string>();
  const first = params[0] ? (params[0].type === "AssignmentPattern" ? child(params[0], "left") : params[0]) : undefined;
  if (first?.type === "Identifier") runner.add(first.name as string);
  if (first?.type === "ObjectPattern") {
    for (const p of childList(first, "properties")) {
      const v = child(p, "value");
      if (v?.type === "Identifier") runner.add(v.name as string);
    }
  }
  if (located.method) runner.add("this");
  const body = child(fn, "body");
  const out: ExtractedDirection = { sql: [], dynamic: [], empty: true, flags: [] };
  if (first?.type === "Identifier") out.param = first.name as string;
  if (!body) return out;
  const constants = new Map(module.constants);

  const dynamic = (kind: DynamicKind, node: JsNode, expression = text.slice(node.start, node.end)): void => {
    out.dynamic.push({ kind, expression: shorten(expression), index: node.start });
  };

  /** The SQL an argument holds, or why it cannot be known. */
  const resolve = (node: JsNode): MappedText | JsNode => {
    const n = unwrap(node);
    if (n.type === "Literal" && typeof n.value === "string") return decodeLiteral(text, n.start + 1, n.end - 1, false);
    if (n.type === "TemplateLiteral") {
      const exprs = childList(n, "expressions");
      if (exprs.length) return exprs[0]!;
      const quasi = childList(n, "quasis")[0];
      const raw = (quasi?.value as { raw: string } | undefined)?.raw ?? "";
      return decodeLiteral(text, n.start + 1, n.start + 1 + raw.length, true);
    }
    if (n.type === "TaggedTemplateExpression" && isSqlTag(child(n, "tag"))) {
      const quasi = child(n, "quasi");
      return quasi ? resolve(quasi) : n;
    }
    if (n.type === "BinaryExpression" && n.operator === "+") {
      const left = resolve(child(n, "left")!);
      if (!isMapped(left)) return left;
      const right = resolve(child(n, "right")!);
      if (!isMapped(right)) return right;
      return joinMapped([left, right]);
    }
    if (n.type === "CallExpression" && isSqlRaw(child(n, "callee"))) {
      const arg = childList(n, "arguments")[0];
      return arg ? resolve(arg) : n;
    }
    if (n.type === "Identifier" && constants.has(n.name as string)) {
      const init = constants.get(n.name as string)!;
      constants.delete(n.name as string); // a self-referencing constant must not loop
      const value = resolve(init);
      constants.set(n.name as string, init);
      return value;
    }
    return n;
  };

  const take = (call: JsNode, arg: JsNode, sink: string, extra?: JsNode): void => {
    const value = resolve(arg);
    if (!isMapped(value)) {
      const isInterpolation = unwrap(arg).type === "TemplateLiteral" || unwrap(arg).type === "TaggedTemplateExpression" || unwrap(arg).type === "BinaryExpression";
      dynamic(isInterpolation && value !== unwrap(arg) ? "interpolation" : "expression", value, isInterpolation && value !== unwrap(arg) ? `\${${text.slice(value.start, value.end)}}` : undefined);
      return;
    }
    if (extra && !(extra.type === "ArrayExpression" && childList(extra, "elements").length === 0)) {
      dynamic("bindings", extra);
      return;
    }
    out.sql.push({ sql: value, call: { start: call.start, end: call.end }, sink, tagged: unwrap(arg).type === "TaggedTemplateExpression" });
  };

  /** A sink call: takes its SQL and returns true. */
  const sinkCall = (call: JsNode): boolean => {
    const callee = child(call, "callee");
    if (callee?.type !== "MemberExpression" || callee.computed) return false;
    const prop = nameOf(child(callee, "property"));
    const object = unwrap(child(callee, "object")!);
    const args = childList(call, "arguments");
    const path = memberPath(object);
    switch (prop) {
      case "query":
      case "addSql":
        if (!args[0]) return false;
        take(call, args[0], `${text.slice(object.start, object.end)}.${prop}`, args[1]);
        return true;
      case "raw":
        // `knex.schema.createTable(…).raw(…)`: the raw call ends a builder chain, which the mappers read whole.
        if (!args[0] || isSqlTag(object) || object.type === "CallExpression") return false;
        take(call, args[0], `${text.slice(object.start, object.end)}.raw`, args[1]);
        return true;
      case "sql":
        if (!args[0] || path.length !== 1) return false;
        take(call, args[0], `${path[0]}.sql`, args[1]);
        return true;
      case "execute":
        // Kysely: sql`…`.execute(db), sql.raw('…').execute(db).
        if ((object.type === "TaggedTemplateExpression" && isSqlTag(child(object, "tag"))) || (object.type === "CallExpression" && isSqlRaw(child(object, "callee")))) {
          take(call, object, "sql.execute");
          return true;
        }
        if (!args[0]) return false; // a builder's .execute(): not a sink
        take(call, args[0], `${text.slice(object.start, object.end)}.execute`);
        return true;
      default:
        return false;
    }
  };

  const builderContext: BuilderContext = {
    text,
    runner,
    ...(layout ? { layout } : {}),
    stringOf: (node) => {
      const v = resolve(node);
      return isMapped(v) ? v.text : undefined;
    },
  };

  /** A schema-builder chain a mapper knows: its statements taken (or why not), and true. */
  const builderCall = (call: JsNode): boolean => {
    for (const mapper of buildersFor(layout)) {
      const result = mapper.compile(call, builderContext);
      if (!result) continue;
      if ("dynamic" in result) {
        out.dynamic.push({ kind: "unmapped-call", expression: `${shorten(text.slice(call.start, call.end))} (${result.dynamic})`, index: call.start });
        return true;
      }
      for (const sql of result.sql) {
        const map = new Array<number>(sql.length + 1).fill(call.start);
        map[sql.length] = call.end;
        out.sql.push({ sql: { text: sql, map }, call: { start: call.start, end: call.end }, sink: `${mapper.library} builder`, tagged: false, builder: mapper.library });
      }
      return true;
    }
    return false;
  };

  /** The identifier a call chain starts from: `db` for `db.schema.createTable('x').execute()`. */
  const chainRoot = (node: JsNode): string | undefined => {
    let n: JsNode | undefined = node;
    for (;;) {
      if (!n) return undefined;
      n = unwrap(n);
      if (n.type === "Identifier") return n.name as string;
      if (n.type === "ThisExpression") return "this";
      if (n.type === "CallExpression") n = child(n, "callee");
      else if (n.type === "MemberExpression") n = child(n, "object");
      else if (n.type === "TaggedTemplateExpression") n = child(n, "tag");
      else return undefined;
    }
  };

  const walk = (node: JsNode, condition: string | undefined): void => {
    if (node.type === "CallExpression") {
      const start = out.sql.length;
      const dyn = out.dynamic.length;
      if (sinkCall(node) || (runner.has(chainRoot(node) ?? "") && builderCall(node))) {
        if (condition) {
          // The SQL is real but whether (or how often) it runs is not known statically.
          const taken = out.sql.splice(start);
          if (taken.length || out.dynamic.length === dyn) out.dynamic.push({ kind: "control-flow", expression: shorten(condition), index: node.start });
        }
        return;
      }
      const callee = child(node, "callee");
      const path = callee ? memberPath(callee) : [];
      const root = chainRoot(node);
      if (path.length === 2 && runner.has(path[0]!) && path[1] === "noTransaction") {
        out.flags.push("noTransaction");
        return;
      }
      if (root && runner.has(root)) {
        dynamic("unmapped-call", node);
        return;
      }
      const args = childList(node, "arguments");
      const passesRunner = args.some((a) => {
        const u = unwrap(a);
        return (u.type === "Identifier" && runner.has(u.name as string)) || u.type === "ThisExpression";
      });
      if (passesRunner) {
        dynamic("unmapped-call", node);
        return;
      }
    }
    if (isFunction(node)) {
      // A callback runs when (and as often as) its caller decides.
      for (const c of children(node)) walk(c, condition ?? `a callback (${text.slice(node.start, Math.min(node.end, node.start + 30))}…)`);
      return;
    }
    switch (node.type) {
      case "IfStatement":
      case "ConditionalExpression": {
        const test = child(node, "test")!;
        walk(test, condition);
        const why = condition ?? `${node.type === "IfStatement" ? "if " : ""}(${text.slice(test.start, test.end)})`;
        for (const key of ["consequent", "alternate"]) {
          const c = child(node, key);
          if (c) walk(c, why);
        }
        return;
      }
      case "LogicalExpression": {
        walk(child(node, "left")!, condition);
        walk(child(node, "right")!, condition ?? `${text.slice(child(node, "left")!.start, child(node, "left")!.end)} ${node.operator as string}`);
        return;
      }
      case "ForStatement":
      case "ForInStatement":
      case "ForOfStatement":
      case "WhileStatement":
      case "DoWhileStatement": {
        const bodyNode = child(node, "body")!;
        const header = node.type === "DoWhileStatement" ? `do … while (${text.slice(child(node, "test")!.start, child(node, "test")!.end)})` : text.slice(node.start, bodyNode.start).trim();
        for (const c of children(node)) walk(c, condition ?? header);
        return;
      }
      case "SwitchStatement":
        for (const c of children(node)) walk(c, condition ?? `switch (${text.slice(child(node, "discriminant")!.start, child(node, "discriminant")!.end)})`);
        return;
      case "TryStatement": {
        walk(child(node, "block")!, condition);
        const handler = child(node, "handler");
        if (handler) walk(handler, condition ?? "catch");
        const finalizer = child(node, "finalizer");
        if (finalizer) walk(finalizer, condition);
        return;
      }
      case "BlockStatement":
      case "StaticBlock":
      case "Program": {
        let cond = condition;
        for (const stmt of childList(node, "body")) {
          walk(stmt, cond);
          // After `if (…) return`, the rest of the block runs only when the condition is false.
          if (!cond && stmt.type === "IfStatement" && containsExit(stmt)) cond = `${text.slice(stmt.start, child(stmt, "consequent")!.start).trim()} return`;
        }
        return;
      }
      default:
        for (const c of children(node)) walk(c, condition);
    }
  };

  if (body.type === "BlockStatement") {
    out.body = { open: body.start, close: body.end - 1 };
    out.empty = childList(body, "body").length === 0;
    walk(body, undefined);
  } else {
    out.empty = false;
    walk(body, undefined);
  }
  return out;
}

function isMapped(v: MappedText | JsNode): v is MappedText {
  return typeof (v as JsNode).type !== "string";
}

function isSqlTag(tag: JsNode | undefined): boolean {
  if (!tag) return false;
  const t = unwrap(tag);
  if (t.type === "Identifier") return t.name === "sql";
  if (t.type === "MemberExpression") return nameOf(child(t, "property")) === "sql";
  // sql<number>`…`: the tag is the identifier, the type arguments sit beside it.
  return false;
}

function isSqlRaw(callee: JsNode | undefined): boolean {
  if (callee?.type !== "MemberExpression") return false;
  return nameOf(child(callee, "property")) === "raw" && isSqlTag(child(callee, "object"));
}

/** Does this statement leave the function (return / throw) somewhere outside nested functions? */
function containsExit(node: JsNode): boolean {
  if (node.type === "ReturnStatement" || node.type === "ThrowStatement") return true;
  if (isFunction(node)) return false;
  return children(node).some(containsExit);
}

/**
 * Where a migration module keeps its `up` and `down`: a class method (TypeORM's `MigrationInterface`,
 * MikroORM's `Migration`), an exported function or arrow (Kysely, knex, node-pg-migrate, hand-rolled
 * runners, Payload), `exports.up = …` / `module.exports = { up, down }` (CommonJS knex and
 * node-pg-migrate), and the literal values a runner reads beside them (knex's `export const config =
 * { transaction: false }`, TypeORM's `transaction = false` class property).
 */
import { child, childList, isFunction, nameOf, type JsNode } from "./module.js";

export type Direction = "up" | "down";

export interface LocatedFunction {
  /** The function node (method value, function declaration, arrow). */
  fn: JsNode;
  /** The class the method belongs to, when it is one. */
  className?: string;
  /** Does the body read the class instance (`this.addSql`)? Set for methods. */
  method: boolean;
  /** The whole declaration (method, `export … function`, `exports.up = …;` statement). */
  decl: { start: number; end: number };
}

export interface LocatedModule {
  up?: LocatedFunction;
  down?: LocatedFunction;
  /** The migration class, when there is one: its name, where its body ends, what it extends/implements. */
  migrationClass?: { name: string; bodyEnd: number; heritage: string[] };
  /** `export const config = { … }` / `exports.config = { … }` with literal values. */
  config: Record<string, string | number | boolean>;
  /** Literal class properties of the migration class (`transaction = false`). */
  classProperties: Record<string, string | number | boolean>;
  /** Top-level `const NAME = <literal>` declarations, for SQL held in a constant. */
  constants: Map<string, JsNode>;
}

export function locateFunctions(program: JsNode, text: string): LocatedModule {
  const out: LocatedModule = { config: {}, classProperties: {}, constants: new Map() };
  const declared = new Map<string, JsNode>();
  const exportedNames: [string, string][] = [];

  const takeClass = (cls: JsNode): void => {
    const body = child(cls, "body");
    const members = body ? childList(body, "body") : [];
    const methods = new Map<string, JsNode>();
    for (const m of members) {
      const key = nameOf(child(m, "key"));
      const value = child(m, "value");
      if (!key || !value) continue;
      if ((m.type === "MethodDefinition" || m.type === "PropertyDefinition") && isFunction(value)) methods.set(key, m);
      else if (m.type === "PropertyDefinition" && value.type === "Literal" && isScalar(value.value)) out.classProperties[key] = value.value;
    }
    if (!methods.has("up") && !methods.has("down")) return;
    const name = nameOf(child(cls, "id")) ?? "default";
    const heritage = [child(cls, "superClass"), ...childList(cls, "implements").map((i) => child(i, "expression") ?? i)]
      .filter((n): n is JsNode => !!n)
      .map((n) => text.slice(n.start, n.end));
    out.migrationClass = { name, bodyEnd: body ? body.end - 1 : cls.end, heritage };
    for (const dir of ["up", "down"] as const) {
      const member = methods.get(dir);
      if (member) out[dir] = { fn: child(member, "value")!, className: name, method: true, decl: span(member) };
    }
  };

  const takeObject = (obj: JsNode): void => {
    for (const p of childList(obj, "properties")) {
      const key = nameOf(child(p, "key"));
      const value = child(p, "value");
      if ((key === "up" || key === "down") && value) {
        if (isFunction(value)) out[key] = { fn: value, method: false, decl: span(p) };
        else if (value.type === "Identifier") exportedNames.push([key, value.name as string]);
      }
    }
  };

  const takeExport = (name: string, value: JsNode, stmt: JsNode): void => {
    if (name === "up" || name === "down") {
      if (isFunction(value)) out[name] = { fn: value, method: false, decl: span(stmt) };
      else if (value.type === "Identifier") exportedNames.push([name, value.name as string]);
    } else if (name === "config" && value.type === "ObjectExpression") Object.assign(out.config, literalObject(value));
  };

  const takeDeclaration = (decl: JsNode, exported: boolean, stmt: JsNode = decl): void => {
    if (decl.type === "FunctionDeclaration") {
      const name = nameOf(child(decl, "id"));
      if (name) declared.set(name, stmt);
      if (name && exported) takeExport(name, decl, stmt);
    } else if (decl.type === "ClassDeclaration" || decl.type === "ClassExpression") takeClass(decl);
    else if (decl.type === "VariableDeclaration") {
      for (const d of childList(decl, "declarations")) {
        const name = nameOf(child(d, "id"));
        const init = child(d, "init");
        if (!name || !init) continue;
        declared.set(name, stmt);
        if (decl.kind === "const" && (init.type === "Literal" || init.type === "TemplateLiteral" || init.type === "BinaryExpression")) out.constants.set(name, init);
        if (exported) takeExport(name, init, stmt);
      }
    }
  };

  for (const stmt of childList(program, "body")) {
    if (stmt.type === "ExportNamedDeclaration") {
      const decl = child(stmt, "declaration");
      if (decl) takeDeclaration(decl, true, stmt);
      for (const spec of childList(stmt, "specifiers")) {
        const local = nameOf(child(spec, "local"));
        const exported = nameOf(child(spec, "exported"));
        if (local && (exported === "up" || exported === "down")) exportedNames.push([exported, local]);
      }
    } else if (stmt.type === "ExportDefaultDeclaration") {
      const decl = child(stmt, "declaration");
      if (decl?.type === "ClassDeclaration" || decl?.type === "ClassExpression") takeClass(decl);
      else if (decl?.type === "ObjectExpression") takeObject(decl);
    } else if (stmt.type === "ExpressionStatement") {
      const expr = child(stmt, "expression");
      if (expr?.type === "AssignmentExpression") takeAssignment(expr, stmt);
    } else takeDeclaration(stmt, false);
  }

  function takeAssignment(expr: JsNode, stmt: JsNode): void {
    const left = child(expr, "left");
    const right = child(expr, "right");
    if (!left || !right) return;
    const target = memberPath(left);
    // exports.up = …, module.exports.up = …
    if (target.length >= 2 && (target[0] === "exports" || (target[0] === "module" && target[1] === "exports"))) {
      const name = target[target.length - 1]!;
      if (target.join(".") === "module.exports") {
        if (right.type === "ObjectExpression") takeObject(right);
        return;
      }
      takeExport(name, right, stmt);
    }
  }

  for (const [dir, local] of exportedNames) {
    const stmt = declared.get(local);
    const fn = stmt && functionOf(stmt, local);
    if (stmt && fn && !out[dir as "up" | "down"]) out[dir as "up" | "down"] = { fn, method: false, decl: span(stmt) };
  }
  return out;
}

/** `module.exports.up` → ["module", "exports", "up"]; anything else → []. */
export function memberPath(node: JsNode): string[] {
  if (node.type === "Identifier") return [node.name as string];
  if (node.type === "ThisExpression") return ["this"];
  if (node.type !== "MemberExpression" || node.computed) return [];
  const object = child(node, "object");
  const base = object ? memberPath(object) : [];
  const prop = nameOf(child(node, "property"));
  return base.length && prop ? [...base, prop] : [];
}

function span(node: JsNode): { start: number; end: number } {
  return { start: node.start, end: node.end };
}

/** The function a declaration statement gives `name` (`function up…`, `const up = async () => …`). */
function functionOf(stmt: JsNode, name: string): JsNode | undefined {
  const decl = stmt.type === "ExportNamedDeclaration" ? child(stmt, "declaration") : stmt;
  if (!decl) return undefined;
  if (decl.type === "FunctionDeclaration") return decl;
  for (const d of childList(decl, "declarations")) {
    const init = child(d, "init");
    if (nameOf(child(d, "id")) === name && init && isFunction(init)) return init;
  }
  return undefined;
}

function isScalar(v: unknown): v is string | number | boolean {
  return typeof v === "string" || typeof v === "number" || typeof v === "boolean";
}

function literalObject(obj: JsNode): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const p of childList(obj, "properties")) {
    const key = nameOf(child(p, "key"));
    const value = child(p, "value");
    if (key && value?.type === "Literal" && isScalar(value.value)) out[key] = value.value;
  }
  return out;
}

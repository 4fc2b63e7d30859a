/** CREATE [OR REPLACE] FUNCTION / PROCEDURE, CREATE AGGREGATE, ALTER FUNCTION; functions are keyed by signature. */
import type { AlterFunctionStmt, CreateFunctionStmt, DefineStmt, Node } from "@pgsql/types";
import { asNode, stringValues } from "../../parse/ast.js";
import type { Draft } from "../draft.js";
import { keyOf } from "../names.js";
import { resolveType } from "../typename.js";
import type { FunctionDef } from "../types.js";
import { defaultGrants } from "./objects.js";

export function functionKey(schema: string, name: string, argTypes: readonly string[]): string {
  return `${keyOf(schema, name)}(${argTypes.join(", ")})`;
}

/** Identity argument types of a parameter list (IN, INOUT and VARIADIC parameters). */
export function identityArgs(d: Draft, params: readonly Node[] | undefined): string[] {
  const out: string[] = [];
  for (const p of params ?? []) {
    const fp = asNode(p, "FunctionParameter");
    if (fp) {
      if (fp.mode === "FUNC_PARAM_OUT" || fp.mode === "FUNC_PARAM_TABLE") continue;
      out.push(resolveType(fp.argType, d.resolver).identity);
      continue;
    }
    const tn = asNode(p, "TypeName");
    if (tn) out.push(resolveType(tn, d.resolver).identity);
  }
  return out;
}

/** The key of the function an ObjectWithArgs names (`f(int, text)`, or `f` alone when not overloaded). */
export function functionKeyFromObject(d: Draft, object: Node | undefined): string | undefined {
  const owa = asNode(object, "ObjectWithArgs");
  if (!owa) return undefined;
  const names = stringValues(owa.objname);
  const name = names.at(-1);
  if (!name) return undefined;
  const schemas = names.length > 1 ? [names.at(-2)!] : d.resolver.path;
  if (owa.args_unspecified) {
    for (const schema of schemas) {
      const prefix = `${keyOf(schema, name)}(`;
      const found = [...d.functions.keys()].filter((k) => k.startsWith(prefix));
      if (found.length === 1) return found[0];
    }
    return undefined;
  }
  const args = owa.objfuncargs?.length ? identityArgs(d, owa.objfuncargs) : identityArgs(d, owa.objargs);
  for (const schema of schemas) {
    const k = functionKey(schema, name, args);
    if (d.functions.has(k)) return k;
  }
  return functionKey(names.length > 1 ? names.at(-2)! : d.resolver.creationSchema, name, args);
}

export function applyCreateFunction(d: Draft, stmt: CreateFunctionStmt): void {
  const names = stringValues(stmt.funcname);
  const name = names.at(-1) ?? "";
  const schema = d.resolver.schemaForNames(names);
  const argTypes = identityArgs(d, stmt.parameters);
  const key = functionKey(schema, name, argTypes);
  const existing = d.functions.get(key);
  if (existing && !stmt.replace) {
    d.unmodelledStatement(`function ${key} already exists`);
    return;
  }
  let language: string | undefined;
  for (const o of stmt.options ?? []) {
    const de = asNode(o, "DefElem");
    if (de?.defname === "language") language = asNode(de.arg, "String")?.sval;
  }
  const def: FunctionDef = {
    schema,
    name,
    kind: stmt.is_procedure ? "procedure" : "function",
    argTypes,
    statement: { CreateFunctionStmt: stmt },
    ...(stmt.returnType ? { returns: resolveType(stmt.returnType, d.resolver).text } : {}),
    ...(language ? { language } : {}),
    ...(existing?.comment !== undefined ? { comment: existing.comment } : {}),
    grants: existing?.grants ?? defaultGrants("function"),
    origin: existing?.origin ?? d.origin,
  };
  d.functions = d.functions.set(key, def);
}

export function applyCreateAggregate(d: Draft, stmt: DefineStmt): void {
  const names = stringValues(stmt.defnames);
  const name = names.at(-1) ?? "";
  const schema = d.resolver.schemaForNames(names);
  // args is [List of FunctionParameter | TypeName, Integer] for new-style aggregates.
  const list = asNode(stmt.args?.[0], "List")?.items ?? [];
  const argTypes = identityArgs(d, list);
  const key = functionKey(schema, name, argTypes);
  if (d.functions.has(key) && !stmt.replace) {
    d.unmodelledStatement(`aggregate ${key} already exists`);
    return;
  }
  d.functions = d.functions.set(key, { schema, name, kind: "aggregate", argTypes, statement: { DefineStmt: stmt }, grants: defaultGrants("function"), origin: d.origin });
}

/** ALTER FUNCTION … SECURITY DEFINER / SET search_path / volatility: merged into the stored definition. */
export function applyAlterFunction(d: Draft, stmt: AlterFunctionStmt): void {
  const key = functionKeyFromObject(d, stmt.func ? { ObjectWithArgs: stmt.func } : undefined);
  const f = key ? d.functions.get(key) : undefined;
  const create = asNode(f?.statement, "CreateFunctionStmt");
  if (!f || !key || !create) {
    d.unmodelledStatement("ALTER FUNCTION on an unknown function");
    return;
  }
  let options = [...(create.options ?? [])];
  for (const a of stmt.actions ?? []) {
    const de = asNode(a, "DefElem");
    if (!de) continue;
    const id = optionId(a);
    options = options.filter((o) => optionId(o) !== id);
    // `RESET x` / `SET x TO DEFAULT` only remove; everything else replaces.
    const set = asNode(de.arg, "VariableSetStmt");
    if (set && (set.kind === "VAR_RESET" || set.kind === "VAR_SET_DEFAULT" || set.kind === "VAR_RESET_ALL")) {
      if (set.kind === "VAR_RESET_ALL") options = options.filter((o) => asNode(o, "DefElem")?.defname !== "set");
      continue;
    }
    options.push(a);
  }
  d.functions = d.functions.set(key, { ...f, statement: { CreateFunctionStmt: { ...create, options } } });
}

function optionId(n: Node): string {
  const de = asNode(n, "DefElem");
  if (!de) return "";
  if (de.defname === "set") return `set:${asNode(de.arg, "VariableSetStmt")?.name ?? ""}`;
  // volatility / strict / security / leakproof / parallel / cost / rows / support: one each
  return de.defname ?? "";
}

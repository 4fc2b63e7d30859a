/** Triggers, policies, comments, grants, schemas and extensions. */
import type {
  AlterPolicyStmt,
  CommentStmt,
  CreateExtensionStmt,
  CreatePolicyStmt,
  CreateSchemaStmt,
  CreateTrigStmt,
  GrantStmt,
  Node,
  RoleSpec,
} from "@pgsql/types";
import { asNode, stringValues } from "../../parse/ast.js";
import type { Draft } from "../draft.js";
import { keyOf } from "../names.js";
import type { Grants, ObjectKey, Policy, Trigger } from "../types.js";
import { functionKeyFromObject } from "./function.js";

export function roleName(spec: RoleSpec | undefined): string {
  switch (spec?.roletype) {
    case "ROLESPEC_PUBLIC":
      return "public";
    case "ROLESPEC_CURRENT_USER":
      return "current_user";
    case "ROLESPEC_SESSION_USER":
      return "session_user";
    case "ROLESPEC_CURRENT_ROLE":
      return "current_role";
    default:
      return spec?.rolename ?? "public";
  }
}

function roles(nodes: Node[] | undefined): string[] {
  return (nodes ?? []).map((n) => roleName(asNode(n, "RoleSpec")));
}

export function applyCreateTrigger(d: Draft, stmt: CreateTrigStmt): void {
  const key = d.resolver.table(stmt.relation);
  const t = d.tables.get(key);
  if (!t) return d.unmodelledStatement(`trigger on unknown table ${key}`);
  const name = stmt.trigname ?? "";
  const existing = t.triggers.find((x) => x.name === name);
  if (existing && !stmt.replace) return d.unmodelledStatement(`trigger ${name} on ${key} already exists`);
  const fnames = stringValues(stmt.funcname);
  const fn = triggerFunctionKey(d, fnames);
  const trigger: Trigger = { name, statement: { CreateTrigStmt: stmt }, function: fn, enabled: existing?.enabled ?? "origin", ...(existing?.comment !== undefined ? { comment: existing.comment } : {}) };
  const triggers = existing ? t.triggers.map((x) => (x === existing ? trigger : x)) : [...t.triggers, trigger];
  d.tables = d.tables.set(key, { ...t, triggers });
}

/** `schema.name` of the trigger's function: the first schema of the path with `name()` (trigger functions take no arguments). */
function triggerFunctionKey(d: Draft, names: readonly string[]): string {
  const name = names.at(-1) ?? "";
  const schemas = names.length > 1 ? [names.at(-2)!] : d.resolver.path;
  for (const schema of schemas) if (d.functions.has(`${keyOf(schema, name)}()`)) return keyOf(schema, name);
  return keyOf(names.length > 1 ? names.at(-2)! : d.resolver.creationSchema, name);
}

export function applyCreatePolicy(d: Draft, stmt: CreatePolicyStmt): void {
  const key = d.resolver.table(stmt.table);
  const t = d.tables.get(key);
  if (!t) return d.unmodelledStatement(`policy on unknown table ${key}`);
  const name = stmt.policy_name ?? "";
  if (t.policies.some((p) => p.name === name)) return d.unmodelledStatement(`policy ${name} on ${key} already exists`);
  const policy: Policy = {
    name,
    command: stmt.cmd_name ?? "all",
    permissive: stmt.permissive !== false,
    roles: stmt.roles?.length ? roles(stmt.roles) : ["public"],
    ...(stmt.qual ? { using: stmt.qual } : {}),
    ...(stmt.with_check ? { withCheck: stmt.with_check } : {}),
  };
  d.tables = d.tables.set(key, { ...t, policies: [...t.policies, policy] });
}

export function applyAlterPolicy(d: Draft, stmt: AlterPolicyStmt): void {
  const key = d.resolver.table(stmt.table);
  const t = d.tables.get(key);
  const p = t?.policies.find((x) => x.name === stmt.policy_name);
  if (!t || !p) return d.unmodelledStatement(`policy ${stmt.policy_name ?? "?"} on ${key} is not known`);
  const next: Policy = {
    ...p,
    ...(stmt.roles?.length ? { roles: roles(stmt.roles) } : {}),
    ...(stmt.qual ? { using: stmt.qual } : {}),
    ...(stmt.with_check ? { withCheck: stmt.with_check } : {}),
  };
  d.tables = d.tables.set(key, { ...t, policies: t.policies.map((x) => (x === p ? next : x)) });
}

// ── comments ──────────────────────────────────────────────────────────────────

function withComment<T extends { comment?: string }>(o: T, text: string | undefined): T {
  const { comment: _c, ...rest } = o;
  return (text === undefined || text === "" ? rest : { ...rest, comment: text }) as T;
}

export function applyComment(d: Draft, stmt: CommentStmt): void {
  const text = stmt.comment;
  const names = stringValues(asNode(stmt.object, "List")?.items);
  const r = d.resolver;
  switch (stmt.objtype) {
    case "OBJECT_TABLE":
    case "OBJECT_FOREIGN_TABLE":
    case "OBJECT_VIEW":
    case "OBJECT_MATVIEW":
    case "OBJECT_SEQUENCE":
    case "OBJECT_INDEX": {
      const key = r.resolve(names, d.tables, d.views, d.sequences, d.indexes);
      if (d.tables.has(key)) d.updateTable(key, (t) => withComment(t, text));
      else if (d.views.has(key)) d.views = d.views.set(key, withComment(d.views.get(key)!, text));
      else if (d.sequences.has(key)) d.sequences = d.sequences.set(key, withComment(d.sequences.get(key)!, text));
      else if (d.indexes.has(key)) d.indexes = d.indexes.set(key, withComment(d.indexes.get(key)!, text));
      else d.unmodelledStatement(`comment on unknown relation ${key}`);
      return;
    }
    case "OBJECT_COLUMN": {
      const column = names.at(-1) ?? "";
      const key = r.resolve(names.slice(0, -1), d.tables, d.views);
      if (d.tables.has(key)) d.updateColumn(key, column, (c) => withComment(c, text));
      else if (d.views.has(key)) {
        const v = d.views.get(key)!;
        const m = new Map(v.columnComments ?? []);
        if (text === undefined || text === "") m.delete(column);
        else m.set(column, text);
        const { columnComments: _c, ...rest } = v;
        d.views = d.views.set(key, m.size ? { ...rest, columnComments: m } : rest);
      } else d.unmodelledStatement(`comment on a column of unknown relation ${key}`);
      return;
    }
    case "OBJECT_TABCONSTRAINT":
    case "OBJECT_TRIGGER":
    case "OBJECT_POLICY": {
      const member = names.at(-1) ?? "";
      const key = r.resolve(names.slice(0, -1), d.tables);
      const kind = stmt.objtype;
      d.updateTable(key, (t) =>
        kind === "OBJECT_TABCONSTRAINT"
          ? { ...t, constraints: t.constraints.map((c) => (c.name === member ? withComment(c, text) : c)) }
          : kind === "OBJECT_TRIGGER"
            ? { ...t, triggers: t.triggers.map((c) => (c.name === member ? withComment(c, text) : c)) }
            : { ...t, policies: t.policies.map((c) => (c.name === member ? withComment(c, text) : c)) },
      );
      return;
    }
    case "OBJECT_TYPE":
    case "OBJECT_DOMAIN": {
      const tn = asNode(stmt.object, "TypeName");
      const key = r.resolve(tn ? stringValues(tn.names) : names, d.types);
      const t = d.types.get(key);
      if (t) d.types = d.types.set(key, withComment(t, text));
      else d.unmodelledStatement(`comment on unknown type ${key}`);
      return;
    }
    case "OBJECT_FUNCTION":
    case "OBJECT_PROCEDURE":
    case "OBJECT_ROUTINE":
    case "OBJECT_AGGREGATE": {
      const key = functionKeyFromObject(d, stmt.object);
      const f = key ? d.functions.get(key) : undefined;
      if (f && key) d.functions = d.functions.set(key, withComment(f, text));
      else d.unmodelledStatement("comment on an unknown function");
      return;
    }
    case "OBJECT_SCHEMA": {
      const name = asNode(stmt.object, "String")?.sval ?? "";
      const s = d.schemas.get(name);
      if (s) d.schemas = d.schemas.set(name, withComment(s, text));
      else d.unmodelledStatement(`comment on unknown schema ${name}`);
      return;
    }
    case "OBJECT_EXTENSION": {
      const name = asNode(stmt.object, "String")?.sval ?? "";
      const x = d.extensions.get(name);
      if (x) d.extensions = d.extensions.set(name, withComment(x, text));
      else d.unmodelledStatement(`comment on unknown extension ${name}`);
      return;
    }
    default:
      d.unmodelledStatement(`COMMENT ON ${stmt.objtype ?? "?"} is not modelled`);
  }
}

// ── grants ────────────────────────────────────────────────────────────────────

/** What `ALL` means per object kind (PostgreSQL 17+ adds MAINTAIN on tables). */
export const ALL_PRIVILEGES: Record<string, readonly string[]> = {
  table: ["DELETE", "INSERT", "MAINTAIN", "REFERENCES", "SELECT", "TRIGGER", "TRUNCATE", "UPDATE"],
  sequence: ["SELECT", "UPDATE", "USAGE"],
  function: ["EXECUTE"],
  schema: ["CREATE", "USAGE"],
  type: ["USAGE"],
};

/** What every role holds by default (through PUBLIC) on a new object of a kind. */
export function defaultGrants(kind: "function" | "type"): Grants {
  return new Map([["public", kind === "function" ? ["EXECUTE"] : ["USAGE"]]]);
}

export function changeGrants(current: Grants | undefined, grantees: readonly string[], privileges: readonly string[], grant: boolean): Grants {
  const m = new Map(current ?? []);
  for (const who of grantees) {
    const have = new Set(m.get(who) ?? []);
    for (const p of privileges) {
      if (grant) have.add(p);
      else have.delete(p);
    }
    if (have.size) m.set(who, [...have].sort());
    else m.delete(who);
  }
  return m;
}

export function applyGrant(d: Draft, stmt: GrantStmt): void {
  const grantees = roles(stmt.grantees);
  const privNodes = (stmt.privileges ?? []).map((p) => asNode(p, "AccessPriv"));
  if (privNodes.some((p) => p?.cols?.length)) return d.unmodelledStatement("column privileges are not modelled");
  const named = privNodes.map((p) => (p?.priv_name ?? "").toUpperCase());
  const kindOf = (objtype: string | undefined): keyof typeof ALL_PRIVILEGES | undefined =>
    objtype === "OBJECT_TABLE"
      ? "table"
      : objtype === "OBJECT_SEQUENCE"
        ? "sequence"
        : objtype === "OBJECT_FUNCTION" || objtype === "OBJECT_PROCEDURE" || objtype === "OBJECT_ROUTINE"
          ? "function"
          : objtype === "OBJECT_SCHEMA"
            ? "schema"
            : objtype === "OBJECT_TYPE" || objtype === "OBJECT_DOMAIN"
              ? "type"
              : undefined;
  const kind = kindOf(stmt.objtype);
  if (!kind) return d.unmodelledStatement(`GRANT on ${stmt.objtype ?? "?"} is not modelled`);
  const privileges = named.length === 0 || named.includes("ALL") ? ALL_PRIVILEGES[kind]! : named;
  const grant = !!stmt.is_grant;
  const change = (g: Grants | undefined): Grants => changeGrants(g, grantees, privileges, grant);

  if (stmt.targtype === "ACL_TARGET_ALL_IN_SCHEMA") {
    for (const s of stringValues(stmt.objects)) {
      if (kind === "table") {
        for (const t of [...d.tables.values()]) if (t.schema === s) d.tables = d.tables.set(keyOf(s, t.name), { ...t, grants: change(t.grants) });
        for (const v of [...d.views.values()]) if (v.schema === s) d.views = d.views.set(keyOf(s, v.name), { ...v, grants: change(v.grants) });
      } else if (kind === "sequence") {
        for (const q of [...d.sequences.values()]) if (q.schema === s) d.sequences = d.sequences.set(keyOf(s, q.name), { ...q, grants: change(q.grants) });
      } else if (kind === "function") {
        for (const [k, f] of [...d.functions.entries()]) if (f.schema === s) d.functions = d.functions.set(k, { ...f, grants: change(f.grants) });
      }
    }
    return;
  }
  if (stmt.targtype !== "ACL_TARGET_OBJECT") return d.unmodelledStatement("default privileges are not modelled");
  for (const obj of stmt.objects ?? []) {
    switch (kind) {
      case "table":
      case "sequence": {
        const key: ObjectKey = d.resolver.relation(asNode(obj, "RangeVar"));
        if (d.tables.has(key)) d.updateTable(key, (t) => ({ ...t, grants: change(t.grants) }));
        else if (d.views.has(key)) d.views = d.views.set(key, { ...d.views.get(key)!, grants: change(d.views.get(key)!.grants) });
        else if (d.sequences.has(key)) d.sequences = d.sequences.set(key, { ...d.sequences.get(key)!, grants: change(d.sequences.get(key)!.grants) });
        else d.unmodelledStatement(`grant on unknown relation ${key}`);
        break;
      }
      case "function": {
        const key = functionKeyFromObject(d, obj);
        const f = key ? d.functions.get(key) : undefined;
        if (f && key) d.functions = d.functions.set(key, { ...f, grants: change(f.grants) });
        else d.unmodelledStatement("grant on an unknown function");
        break;
      }
      case "schema": {
        const name = asNode(obj, "String")?.sval ?? "";
        const s = d.schemas.get(name);
        if (s) d.schemas = d.schemas.set(name, { ...s, grants: change(s.grants) });
        else d.unmodelledStatement(`grant on unknown schema ${name}`);
        break;
      }
      case "type": {
        const tn = asNode(obj, "TypeName");
        const key = d.resolver.resolve(tn ? stringValues(tn.names) : stringValues(asNode(obj, "List")?.items), d.types);
        const t = d.types.get(key);
        if (t) d.types = d.types.set(key, { ...t, grants: change(t.grants ?? defaultGrants("type")) });
        else d.unmodelledStatement(`grant on unknown type ${key}`);
        break;
      }
    }
  }
}

// ── schemas, extensions ─────────────────────────────────────────────────────────

export function applyCreateSchema(d: Draft, stmt: CreateSchemaStmt): void {
  const name = stmt.schemaname ?? roleName(stmt.authrole);
  if (d.schemas.has(name)) {
    if (!stmt.if_not_exists) d.unmodelledStatement(`schema ${name} already exists`);
    return;
  }
  d.schemas = d.schemas.set(name, { name, grants: new Map(), origin: d.origin });
  if (stmt.schemaElts?.length) d.unmodelledStatement("objects created inside CREATE SCHEMA are not modelled");
}

export function applyCreateExtension(d: Draft, stmt: CreateExtensionStmt): void {
  const name = stmt.extname ?? "";
  if (d.extensions.has(name)) {
    if (!stmt.if_not_exists) d.unmodelledStatement(`extension ${name} already exists`);
    return;
  }
  let schema: string | undefined;
  let version: string | undefined;
  for (const o of stmt.options ?? []) {
    const de = asNode(o, "DefElem");
    if (de?.defname === "schema") schema = asNode(de.arg, "String")?.sval;
    if (de?.defname === "new_version") version = asNode(de.arg, "String")?.sval;
  }
  d.extensions = d.extensions.set(name, { name, ...(schema ? { schema } : {}), ...(version ? { version } : {}), origin: d.origin });
}

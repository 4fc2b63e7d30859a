/**
 * Replay: the catalog after one statement, given the catalog before it. One dispatcher over the
 * statement kinds, one module per family under `apply/`. Pure and linear: a statement touches the
 * few persistent-map entries it changes and shares everything else with the catalog before it.
 */
import type { DropStmt, Node } from "@pgsql/types";
import { asNode, stringValues } from "../parse/ast.js";
import type { Statement } from "../parse/types.js";
import { applyAlterTable } from "./apply/alter-table.js";
import { dropColumn, dropRelation } from "./apply/drop.js";
import { applyAlterFunction, applyCreateAggregate, applyCreateFunction, functionKeyFromObject } from "./apply/function.js";
import { applyCreateIndex } from "./apply/index.js";
import {
  applyAlterPolicy,
  applyComment,
  applyCreateExtension,
  applyCreatePolicy,
  applyCreateSchema,
  applyCreateTrigger,
  applyGrant,
} from "./apply/objects.js";
import { applyRename, applySetSchema } from "./apply/rename.js";
import { applyAlterSequence, applyCreateSequence } from "./apply/sequence.js";
import { applyCreateTable } from "./apply/table.js";
import {
  applyAlterDomain,
  applyAlterEnum,
  applyCompositeType,
  applyCreateDomain,
  applyCreateEnum,
  applyCreateRange,
  applyDefineType,
} from "./apply/type.js";
import { applyCreateTableAs, applyCreateView, applySelectInto } from "./apply/view.js";
import { Draft } from "./draft.js";
import { Resolver, effectiveSearchPath, keyOf } from "./names.js";
import { PMap } from "./pmap.js";
import type { Catalog, ObjectKey } from "./types.js";

export interface ApplyContext {
  migrationId: string;
  path: string;
  /** Schemas unqualified names resolve to, first match wins (default `["public"]`). */
  searchPath: readonly string[];
}

export function emptyCatalog(): Catalog {
  return {
    schemas: PMap.from([["public", { name: "public", grants: new Map() }]]),
    tables: PMap.empty(),
    indexes: PMap.empty(),
    types: PMap.empty(),
    sequences: PMap.empty(),
    views: PMap.empty(),
    functions: PMap.empty(),
    extensions: PMap.empty(),
    unmodelled: [],
  };
}

/** Statements that change no schema object (data, session, transaction control, maintenance). */
const NO_SCHEMA_EFFECT = new Set<string>([
  "TransactionStmt",
  "InsertStmt",
  "UpdateStmt",
  "DeleteStmt",
  "MergeStmt",
  "TruncateStmt",
  "SelectStmt",
  "CopyStmt",
  "VacuumStmt",
  "ExplainStmt",
  "RefreshMatViewStmt",
  "LockStmt",
  "NotifyStmt",
  "ListenStmt",
  "UnlistenStmt",
  "CheckPointStmt",
  "DiscardStmt",
  "ReindexStmt",
  "ClusterStmt",
  "VariableShowStmt",
  "CallStmt",
  "AlterOwnerStmt",
  "ReassignOwnedStmt",
  "ConstraintsSetStmt",
  "PrepareStmt",
  "ExecuteStmt",
  "DeallocateStmt",
]);

/** The catalog after `statement`. Never throws: what cannot be modelled is recorded in `unmodelled`. */
export function applyStatement(catalog: Catalog, statement: Statement, ctx: ApplyContext): Catalog {
  if (NO_SCHEMA_EFFECT.has(statement.tag) && !isSelectInto(statement.node)) return catalog;
  // Named properties, not `{ ...ctx, statement }`: V8 copies a spread followed by another property on
  // its slow path, and this runs for every statement replayed (the up, the downs, the model checks).
  const env = { migrationId: ctx.migrationId, path: ctx.path, searchPath: ctx.searchPath, statement };
  const d = new Draft(catalog, env);
  try {
    applyNode(d, statement.node);
  } catch (error) {
    // A statement shape we did not foresee must not stop the replay of everything after it.
    const base = new Draft(catalog, env);
    base.unmodelledStatement(`internal error while modelling: ${error instanceof Error ? error.message : String(error)}`);
    return base.finish();
  }
  return d.finish();
}

/** `SELECT … INTO t`: creates a table, unlike every other SELECT. */
export function isSelectInto(node: Node): boolean {
  return !!asNode(node, "SelectStmt")?.intoClause;
}

function applyNode(d: Draft, node: Node): void {
  const n = node as Record<string, unknown>;
  const tag = Object.keys(n)[0] ?? "";
  switch (tag) {
    case "CreateStmt":
      return applyCreateTable(d, asNode(node, "CreateStmt")!);
    case "AlterTableStmt":
      return applyAlterTable(d, asNode(node, "AlterTableStmt")!);
    case "IndexStmt":
      return applyCreateIndex(d, asNode(node, "IndexStmt")!);
    case "DropStmt":
      return applyDrop(d, asNode(node, "DropStmt")!);
    case "RenameStmt":
      return applyRename(d, asNode(node, "RenameStmt")!);
    case "AlterObjectSchemaStmt":
      return applySetSchema(d, asNode(node, "AlterObjectSchemaStmt")!);
    case "CreateSeqStmt":
      return applyCreateSequence(d, asNode(node, "CreateSeqStmt")!);
    case "AlterSeqStmt":
      return applyAlterSequence(d, asNode(node, "AlterSeqStmt")!);
    case "CreateEnumStmt":
      return applyCreateEnum(d, asNode(node, "CreateEnumStmt")!);
    case "AlterEnumStmt":
      return applyAlterEnum(d, asNode(node, "AlterEnumStmt")!);
    case "CompositeTypeStmt":
      return applyCompositeType(d, asNode(node, "CompositeTypeStmt")!);
    case "CreateRangeStmt":
      return applyCreateRange(d, asNode(node, "CreateRangeStmt")!);
    case "CreateDomainStmt":
      return applyCreateDomain(d, asNode(node, "CreateDomainStmt")!);
    case "AlterDomainStmt":
      return applyAlterDomain(d, asNode(node, "AlterDomainStmt")!);
    case "DefineStmt": {
      const def = asNode(node, "DefineStmt")!;
      if (def.kind === "OBJECT_AGGREGATE") return applyCreateAggregate(d, def);
      if (def.kind === "OBJECT_TYPE") return applyDefineType(d, def);
      return d.unmodelledStatement(`CREATE ${def.kind ?? "?"} is not modelled`);
    }
    case "ViewStmt":
      return applyCreateView(d, asNode(node, "ViewStmt")!);
    case "SelectStmt":
      return applySelectInto(d, asNode(node, "SelectStmt")!);
    case "CreateTableAsStmt":
      return applyCreateTableAs(d, asNode(node, "CreateTableAsStmt")!);
    case "CreateFunctionStmt":
      return applyCreateFunction(d, asNode(node, "CreateFunctionStmt")!);
    case "AlterFunctionStmt":
      return applyAlterFunction(d, asNode(node, "AlterFunctionStmt")!);
    case "CreateTrigStmt":
      return applyCreateTrigger(d, asNode(node, "CreateTrigStmt")!);
    case "CreatePolicyStmt":
      return applyCreatePolicy(d, asNode(node, "CreatePolicyStmt")!);
    case "AlterPolicyStmt":
      return applyAlterPolicy(d, asNode(node, "AlterPolicyStmt")!);
    case "CommentStmt":
      return applyComment(d, asNode(node, "CommentStmt")!);
    case "GrantStmt":
      return applyGrant(d, asNode(node, "GrantStmt")!);
    case "CreateSchemaStmt":
      return applyCreateSchema(d, asNode(node, "CreateSchemaStmt")!);
    case "CreateExtensionStmt":
      return applyCreateExtension(d, asNode(node, "CreateExtensionStmt")!);
    case "AlterExtensionStmt": {
      // ALTER EXTENSION … UPDATE [TO v] changes objects we do not model; the version is all we track.
      const x = asNode(node, "AlterExtensionStmt")!;
      const ext = d.extensions.get(x.extname ?? "");
      if (!ext) return d.unmodelledStatement(`extension ${x.extname ?? "?"} is not known`);
      const to = (x.options ?? []).map((o) => asNode(o, "DefElem")).find((o) => o?.defname === "new_version");
      const version = asNode(to?.arg, "String")?.sval;
      const { version: _v, ...rest } = ext;
      d.extensions = d.extensions.set(ext.name, version ? { ...rest, version } : rest);
      return;
    }
    case "VariableSetStmt": {
      const v = asNode(node, "VariableSetStmt")!;
      if (v.name !== "search_path" || v.is_local) return;
      if (v.kind === "VAR_SET_VALUE") {
        const path = (v.args ?? []).map((a) => asNode(a, "A_Const")?.sval?.sval ?? stringValues([a])[0] ?? "").filter(Boolean);
        d.session = { migrationId: d.env.migrationId, searchPath: effectiveSearchPath(path).length ? path : d.env.searchPath };
      } else {
        d.session = undefined;
      }
      return;
    }
    case "DoStmt": {
      // A DO block whose body was parsed is replayed statement by statement by the pipeline; one that
      // reaches here has no SQL we can see: harmless when it runs none (RAISE, assignments, loops
      // over queries), opaque when it builds SQL at run time or is in another language.
      const pl = d.env.statement.plpgsql;
      const dynamic = pl === undefined || /"PLpgSQL_stmt_(dynexecute|dynfors|perform|call)"/.test(JSON.stringify(pl));
      if (!dynamic) return;
      return d.unmodelledStatement("DO block with statements that cannot be seen statically");
    }
    case "CreatePublicationStmt":
    case "AlterPublicationStmt":
    case "AlterDefaultPrivilegesStmt":
    case "CreateRoleStmt":
    case "AlterRoleStmt":
    case "DropRoleStmt":
    case "GrantRoleStmt":
    case "CreateEventTrigStmt":
    case "RuleStmt":
    case "CreateStatsStmt":
    default:
      return d.unmodelledStatement(`${tag} is not modelled`);
  }
}

function applyDrop(d: Draft, stmt: DropStmt): void {
  const cascade = stmt.behavior === "DROP_CASCADE";
  // PostgreSQL looks every object up before dropping any: one that an earlier object of the same
  // statement took with it (CASCADE) is not missing.
  const start = d.finish();
  const missing = (what: string, existedAtStart = false): void => {
    if (!stmt.missing_ok && !existedAtStart) d.unmodelledStatement(`${what} is not known`);
  };
  for (const obj of stmt.objects ?? []) {
    const names = listNames(obj);
    switch (stmt.removeType) {
      case "OBJECT_TABLE":
      case "OBJECT_FOREIGN_TABLE":
      case "OBJECT_VIEW":
      case "OBJECT_MATVIEW":
      case "OBJECT_SEQUENCE": {
        const map = stmt.removeType === "OBJECT_SEQUENCE" ? d.sequences : stmt.removeType === "OBJECT_VIEW" || stmt.removeType === "OBJECT_MATVIEW" ? d.views : d.tables;
        const q = d.resolver.find(names, map);
        if (!q) missing(`relation ${names.join(".")}`, !!new Resolver(start, d.resolver.path).find(names, start.tables, start.views, start.sequences));
        else dropRelation(d, keyOf(q.schema, q.name), cascade);
        break;
      }
      case "OBJECT_INDEX": {
        const q = d.resolver.find(names, d.indexes);
        if (!q) {
          missing(`index ${names.join(".")}`);
          break;
        }
        const key = keyOf(q.schema, q.name);
        const idx = d.indexes.get(key)!;
        if (idx.constraint) {
          d.unmodelledStatement(`index ${key} belongs to constraint ${idx.constraint}; PostgreSQL refuses to drop it`);
          break;
        }
        d.indexes = d.indexes.delete(key);
        break;
      }
      case "OBJECT_TYPE":
      case "OBJECT_DOMAIN": {
        const q = d.resolver.find(names, d.types);
        if (!q) missing(`type ${names.join(".")}`);
        else dropType(d, keyOf(q.schema, q.name), cascade);
        break;
      }
      case "OBJECT_FUNCTION":
      case "OBJECT_PROCEDURE":
      case "OBJECT_ROUTINE":
      case "OBJECT_AGGREGATE": {
        const key = functionKeyFromObject(d, obj);
        const f = key ? d.functions.get(key) : undefined;
        if (!f || !key) {
          missing("function");
          break;
        }
        d.functions = d.functions.delete(key);
        if (cascade) {
          const fk = keyOf(f.schema, f.name);
          for (const t of [...d.tables.values()]) {
            if (!t.triggers.some((tr) => tr.function === fk)) continue;
            d.tables = d.tables.set(keyOf(t.schema, t.name), { ...t, triggers: t.triggers.filter((tr) => tr.function !== fk) });
          }
        }
        break;
      }
      case "OBJECT_TRIGGER":
      case "OBJECT_POLICY":
      case "OBJECT_RULE": {
        const member = names.at(-1) ?? "";
        const tableKey = d.resolver.resolve(names.slice(0, -1), d.tables);
        const t = d.tables.get(tableKey);
        if (stmt.removeType === "OBJECT_RULE") {
          d.unmodelledStatement("rules are not modelled");
          break;
        }
        const list = stmt.removeType === "OBJECT_TRIGGER" ? t?.triggers : t?.policies;
        if (!t || !list?.some((x) => x.name === member)) {
          missing(`${stmt.removeType === "OBJECT_TRIGGER" ? "trigger" : "policy"} ${member} on ${tableKey}`);
          break;
        }
        d.tables = d.tables.set(
          tableKey,
          stmt.removeType === "OBJECT_TRIGGER" ? { ...t, triggers: t.triggers.filter((x) => x.name !== member) } : { ...t, policies: t.policies.filter((x) => x.name !== member) },
        );
        break;
      }
      case "OBJECT_SCHEMA": {
        const name = names[0] ?? "";
        if (!d.schemas.has(name)) {
          missing(`schema ${name}`);
          break;
        }
        dropSchema(d, name);
        break;
      }
      case "OBJECT_EXTENSION": {
        const name = names[0] ?? "";
        if (!d.extensions.has(name)) missing(`extension ${name}`);
        else d.extensions = d.extensions.delete(name);
        break;
      }
      default:
        d.unmodelledStatement(`DROP ${stmt.removeType ?? "?"} is not modelled`);
    }
  }
}

function listNames(obj: Node): string[] {
  const list = asNode(obj, "List");
  if (list) return stringValues(list.items);
  const tn = asNode(obj, "TypeName");
  if (tn) return stringValues(tn.names);
  const s = asNode(obj, "String");
  if (s?.sval !== undefined) return [s.sval];
  return [];
}

/** A type goes with (CASCADE) the columns, domains and attributes of that type. */
function dropType(d: Draft, key: ObjectKey, cascade: boolean): void {
  d.types = d.types.delete(key);
  if (!cascade) return;
  for (const t of [...d.tables.values()]) {
    for (const c of t.columns) if (c.typeRef === key) dropColumn(d, keyOf(t.schema, t.name), c.name, true);
  }
  for (const ty of [...d.types.values()]) {
    if (ty.kind === "domain" && ty.baseRef === key) dropType(d, keyOf(ty.schema, ty.name), true);
  }
}

function dropSchema(d: Draft, name: string): void {
  d.schemas = d.schemas.delete(name);
  for (const t of [...d.tables.values()]) if (t.schema === name) dropRelation(d, keyOf(name, t.name), true);
  for (const v of [...d.views.values()]) if (v.schema === name) dropRelation(d, keyOf(name, v.name), true);
  for (const s of [...d.sequences.values()]) if (s.schema === name) dropRelation(d, keyOf(name, s.name), true);
  for (const i of [...d.indexes.values()]) if (i.schema === name) d.indexes = d.indexes.delete(keyOf(name, i.name));
  for (const ty of [...d.types.values()]) if (ty.schema === name) dropType(d, keyOf(name, ty.name), true);
  for (const [k, f] of [...d.functions.entries()]) if (f.schema === name) d.functions = d.functions.delete(k);
}



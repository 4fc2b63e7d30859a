/**
 * Which objects a statement touches are new (created earlier in this migration, or in a migration
 * that is not applied yet) and which exist in production. Lock rules exempt new objects: nobody else
 * reads or writes a table the deploy has not shipped yet, however big the lock.
 *
 * A table the history never mentions is treated as existing: the lint cannot see it, but production
 * has it (the migration would fail otherwise). That is the opposite of "unknown = new", which would
 * silence every lock rule whenever the history is incomplete.
 */
import type { Node, RangeVar } from "@pgsql/types";
import type { Catalog, ObjectKey, Table } from "../../src/catalog/types.js";
import type { RuleContext } from "../../src/lint/rule.js";
import { asNode } from "../../src/parse/ast.js";
import type { Statement } from "../../src/parse/types.js";
import { listName, rangeVarName, type QualifiedName } from "./sql.js";

type Ctx = Pick<RuleContext, "effective" | "catalogAt" | "isNew" | "migration" | "catalogBefore">;

const DEFAULT_SCHEMA = "public";

function relationExists(catalog: Catalog, key: ObjectKey): boolean {
  return catalog.tables.has(key) || catalog.views.has(key) || catalog.indexes.has(key) || catalog.sequences.has(key);
}

function objectAt(catalog: Catalog, key: ObjectKey): { origin?: { migrationId: string } } | undefined {
  return catalog.tables.get(key) ?? catalog.views.get(key) ?? catalog.indexes.get(key) ?? catalog.sequences.get(key) ?? catalog.types.get(key);
}

const pendingCache = new WeakMap<readonly Statement[], Map<string, boolean>>();

/**
 * Is the migration that created an object not applied yet? Its surviving objects tell: one that
 * existed, under its name, before the first unapplied migration means the migration was applied.
 */
function isPending(ctx: Ctx, migrationId: string): boolean {
  if (migrationId === ctx.migration.id) return true;
  let cache = pendingCache.get(ctx.effective);
  if (!cache) pendingCache.set(ctx.effective, (cache = new Map()));
  const cached = cache.get(migrationId);
  if (cached !== undefined) return cached;
  let seen = false;
  let pending = true;
  const c = ctx.catalogBefore;
  for (const map of [c.tables, c.views, c.indexes, c.sequences, c.types] as ReadonlyMap<ObjectKey, { origin?: { migrationId: string } }>[]) {
    for (const [key, o] of map) {
      if (o.origin?.migrationId !== migrationId) continue;
      seen = true;
      if (!ctx.isNew(key)) pending = false;
    }
  }
  // With nothing left to tell, count it as applied: the lock rules then stay on.
  const result = seen && pending;
  cache.set(migrationId, result);
  return result;
}

/**
 * Is the object under `key` new: not in production before the first unapplied migration? A table
 * renamed by this migration has a new key but is an old table, so the object's origin decides.
 */
function isNewKey(ctx: Ctx, catalog: Catalog, key: ObjectKey): boolean {
  const o = objectAt(catalog, key);
  if (!o || !ctx.isNew(key)) return false;
  return o.origin ? isPending(ctx, o.origin.migrationId) : true;
}

/** The catalog key of a name: qualified as written, else the schema in which the catalog has it. */
export function keyOf(name: QualifiedName, catalog?: Catalog): ObjectKey {
  if (name.schema) return `${name.schema}.${name.name}`;
  const preferred = `${DEFAULT_SCHEMA}.${name.name}`;
  if (!catalog || relationExists(catalog, preferred) || catalog.types.has(preferred)) return preferred;
  for (const key of [...catalog.tables.keys(), ...catalog.views.keys(), ...catalog.indexes.keys(), ...catalog.types.keys()]) {
    if (key.slice(key.indexOf(".") + 1) === name.name) return key;
  }
  return preferred;
}

/** The table a RangeVar names, as the catalog before `stmt` knows it. */
export function tableAt(ctx: Pick<RuleContext, "catalogAt">, stmt: Statement, rv: RangeVar | QualifiedName | undefined): Table | undefined {
  const name = rv && "relname" in rv ? rangeVarName(rv) : (rv as QualifiedName | undefined);
  if (!name) return undefined;
  const catalog = ctx.catalogAt(stmt);
  return catalog.tables.get(keyOf(name, catalog));
}

interface Creations {
  position: Map<Statement, number>;
  /** key → position of the first statement creating it. */
  created: Map<ObjectKey, number>;
}

const creationsCache = new WeakMap<readonly Statement[], Creations>();

/** Relations (and types) a statement creates, by name as written. */
export function createdNames(stmt: Statement): QualifiedName[] {
  const n = stmt.node;
  const out: (QualifiedName | undefined)[] = [];
  const create = asNode(n, "CreateStmt");
  if (create) out.push(rangeVarName(create.relation));
  const ctas = asNode(n, "CreateTableAsStmt");
  if (ctas) out.push(rangeVarName(ctas.into?.rel));
  const select = asNode(n, "SelectStmt");
  if (select?.intoClause) out.push(rangeVarName(select.intoClause.rel));
  const view = asNode(n, "ViewStmt");
  if (view) out.push(rangeVarName(view.view));
  const seq = asNode(n, "CreateSeqStmt");
  if (seq) out.push(rangeVarName(seq.sequence));
  const index = asNode(n, "IndexStmt");
  if (index?.idxname) out.push({ schema: index.relation?.schemaname, name: index.idxname });
  const enumType = asNode(n, "CreateEnumStmt");
  if (enumType) out.push(listName(enumType.typeName));
  const domain = asNode(n, "CreateDomainStmt");
  if (domain) out.push(listName(domain.domainname));
  const composite = asNode(n, "CompositeTypeStmt");
  if (composite) out.push(rangeVarName(composite.typevar));
  return out.filter((x): x is QualifiedName => !!x);
}

function creations(ctx: Ctx): Creations {
  let c = creationsCache.get(ctx.effective);
  if (c) return c;
  c = { position: new Map(), created: new Map() };
  ctx.effective.forEach((s, i) => {
    c!.position.set(s, i);
    for (const name of createdNames(s)) {
      const key = keyOf(name);
      if (!c!.created.has(key)) c!.created.set(key, i);
    }
  });
  creationsCache.set(ctx.effective, c);
  return c;
}

/** Was the object created by a statement before `stmt` in this migration? */
export function createdEarlier(ctx: Ctx, stmt: Statement, name: QualifiedName): boolean {
  const c = creations(ctx);
  const pos = c.position.get(stmt) ?? c.position.get(stmt.body?.[0] as Statement) ?? Number.MAX_SAFE_INTEGER;
  const at = c.created.get(keyOf(name));
  return at !== undefined && at < pos;
}

/**
 * Is the relation new to production at `stmt`: temporary, created earlier in this migration, or
 * present in the catalog and created by a migration that is not applied yet?
 */
export function isNewRelation(ctx: Ctx, stmt: Statement, rv: RangeVar | QualifiedName | undefined): boolean {
  if (!rv) return false;
  if ("relname" in rv && rv.relpersistence === "t") return true;
  const name = "relname" in rv ? rangeVarName(rv) : (rv as QualifiedName);
  if (!name) return false;
  if (createdEarlier(ctx, stmt, name)) return true;
  const catalog = ctx.catalogAt(stmt);
  return isNewKey(ctx, catalog, keyOf(name, catalog));
}

/** Is the type (enum, domain) new at `stmt`? Same reasoning as for relations. */
export function isNewType(ctx: Ctx, stmt: Statement, name: QualifiedName | undefined): boolean {
  if (!name) return false;
  if (createdEarlier(ctx, stmt, name)) return true;
  const catalog = ctx.catalogAt(stmt);
  return isNewKey(ctx, catalog, keyOf(name, catalog));
}

/** Index of a statement among the effective statements (DO bodies expanded). */
export function positionOf(ctx: Ctx, stmt: Statement): number {
  const c = creations(ctx);
  return c.position.get(stmt) ?? -1;
}

/** The RangeVar of a node when it is one. */
export function rangeVar(node: Node | undefined): RangeVar | undefined {
  return asNode(node, "RangeVar");
}

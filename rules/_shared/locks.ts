/**
 * What a statement does to existing tables: which lock it takes on which relation, and how long it
 * holds it (instant catalog change, full scan, index build, rewrite, or row-by-row data work).
 * Lock levels follow PostgreSQL's documentation of each command (explicit locking, ALTER TABLE's
 * per-subcommand notes, CREATE INDEX, CREATE TRIGGER, …).
 */
import type { AlterTableCmd, Node, RangeVar } from "@pgsql/types";
import type { RuleContext } from "../../src/lint/rule.js";
import { asNode } from "../../src/parse/ast.js";
import type { Statement } from "../../src/parse/types.js";
import { dataTarget } from "./data-target.js";
import { isNewRelation, keyOf, tableAt } from "./history.js";
import { notNullProven } from "./recipes.js";
import { typeChangeEffect } from "./rewrite.js";
import { sessionIsUtc } from "./session.js";
import { alterTable, columnConstraints, columnDef, columnDefault, constraint, rangeVarName, type QualifiedName } from "./sql.js";
import { SERIAL_TYPES, typeOfTypeName } from "./types.js";
import { volatileCalls } from "./volatility.js";

export type LockMode =
  | "ACCESS SHARE"
  | "ROW SHARE"
  | "ROW EXCLUSIVE"
  | "SHARE UPDATE EXCLUSIVE"
  | "SHARE"
  | "SHARE ROW EXCLUSIVE"
  | "EXCLUSIVE"
  | "ACCESS EXCLUSIVE";

const STRENGTH: Record<LockMode, number> = {
  "ACCESS SHARE": 1,
  "ROW SHARE": 2,
  "ROW EXCLUSIVE": 3,
  "SHARE UPDATE EXCLUSIVE": 4,
  SHARE: 5,
  "SHARE ROW EXCLUSIVE": 6,
  EXCLUSIVE: 7,
  "ACCESS EXCLUSIVE": 8,
};

export function strength(mode: LockMode): number {
  return STRENGTH[mode];
}

/** Does a lock in this mode, while queued or held, stop the application's writes (or reads)? */
export function blocksWrites(mode: LockMode): boolean {
  return STRENGTH[mode] >= STRENGTH.SHARE;
}

export function blocksReads(mode: LockMode): boolean {
  return mode === "ACCESS EXCLUSIVE";
}

/** How long the statement holds its lock: by the work it does under it. */
export type Work = "instant" | "data" | "scan" | "build" | "rewrite";
const WORK_RANK: Record<Work, number> = { instant: 0, data: 1, scan: 1, build: 2, rewrite: 3 };

export interface LockOn {
  name: QualifiedName;
  mode: LockMode;
  /** Created in this migration or an unapplied one: nobody else uses it yet. */
  isNew: boolean;
}

export interface Effect {
  locks: LockOn[];
  work: Work;
  /** Why the work is not instant ("adds a column with a volatile default"). */
  reason?: string;
}

type Ctx = Pick<RuleContext, "effective" | "catalogAt" | "isNew" | "settings" | "migration" | "catalogBefore" | "transactionOf">;

class Builder {
  locks: LockOn[] = [];
  work: Work = "instant";
  reason?: string;
  constructor(
    private readonly ctx: Ctx,
    private readonly stmt: Statement,
  ) {}
  lock(rv: RangeVar | QualifiedName | undefined, mode: LockMode): void {
    if (!rv) return;
    const name = "relname" in rv ? rangeVarName(rv) : (rv as QualifiedName);
    if (!name) return;
    const isNew = isNewRelation(this.ctx, this.stmt, rv);
    const same = this.locks.find((l) => l.name.name === name.name && l.name.schema === name.schema);
    if (same) {
      if (STRENGTH[mode] > STRENGTH[same.mode]) same.mode = mode;
      return;
    }
    this.locks.push({ name, mode, isNew });
  }
  does(work: Work, reason: string): void {
    if (WORK_RANK[work] > WORK_RANK[this.work]) {
      this.work = work;
      this.reason = reason;
    }
  }
  build(): Effect {
    return { locks: this.locks, work: this.work, ...(this.reason ? { reason: this.reason } : {}) };
  }
}

const cache = new WeakMap<Statement, Effect>();

/**
 * Effects are read, never changed, so equal ones are one object: the 500,000 INSERTs of a data
 * migration into one table hold one effect, not 500,000 (250 bytes each). Cleared when it grows large.
 * Only data statements are shared: they are what a file holds by the thousand, and the JSON key of
 * every other statement's effect cost 1% of a corpus run for nothing (a DDL effect is rarely equal to
 * another, and one per statement is what a usual migration has anyway).
 */
const shared = new Map<string, Effect>();
const SHARED_MAX = 10_000;
const SHARED_TAGS: ReadonlySet<string> = new Set(["InsertStmt", "UpdateStmt", "DeleteStmt"]);

function sharedEffect(e: Effect): Effect {
  const key = JSON.stringify(e);
  const known = shared.get(key);
  if (known) return known;
  if (shared.size >= SHARED_MAX) shared.clear();
  shared.set(key, e);
  return e;
}

export function effectOf(ctx: Ctx, stmt: Statement): Effect {
  let e = cache.get(stmt);
  if (!e) {
    e = compute(ctx, stmt);
    if (SHARED_TAGS.has(stmt.tag)) e = sharedEffect(e);
    cache.set(stmt, e);
  }
  return e;
}

/** Tables a CREATE TABLE's foreign keys reference (they get SHARE ROW EXCLUSIVE). */
function referencedTables(elements: Node[] | undefined): RangeVar[] {
  const out: RangeVar[] = [];
  for (const e of elements ?? []) {
    const col = columnDef(e);
    for (const c of col ? columnConstraints(col) : [constraint(e)]) {
      if (c?.contype === "CONSTR_FOREIGN" && c.pktable) out.push(c.pktable);
    }
  }
  return out;
}

function compute(ctx: Ctx, stmt: Statement): Effect {
  const b = new Builder(ctx, stmt);
  const n = stmt.node;
  switch (stmt.tag) {
    case "AlterTableStmt":
      alterTableEffect(ctx, stmt, b);
      break;
    case "IndexStmt": {
      const i = asNode(n, "IndexStmt")!;
      b.lock(i.relation, i.concurrent ? "SHARE UPDATE EXCLUSIVE" : "SHARE");
      b.does("build", "builds an index");
      break;
    }
    case "DropStmt": {
      const d = asNode(n, "DropStmt")!;
      const kind = d.removeType;
      for (const o of d.objects ?? []) {
        const list = asNode(o, "List")?.items;
        const name = list ? nameOfList(list) : undefined;
        if (!name) continue;
        if (kind === "OBJECT_TABLE" || kind === "OBJECT_VIEW" || kind === "OBJECT_MATVIEW" || kind === "OBJECT_FOREIGN_TABLE" || kind === "OBJECT_SEQUENCE") b.lock(name, "ACCESS EXCLUSIVE");
        else if (kind === "OBJECT_INDEX") {
          // The lock that matters is the one on the index's table.
          const catalog = ctx.catalogAt(stmt);
          const table = catalog.indexes.get(keyOf(name, catalog))?.table;
          const tableName = table ? { schema: table.slice(0, table.indexOf(".")), name: table.slice(table.indexOf(".") + 1) } : name;
          b.lock(tableName, d.concurrent ? "SHARE UPDATE EXCLUSIVE" : "ACCESS EXCLUSIVE");
        }
        else if (kind === "OBJECT_TRIGGER" || kind === "OBJECT_POLICY" || kind === "OBJECT_RULE") {
          // DROP TRIGGER t ON tbl: the list is [..., tbl, t]
          const table = list ? nameOfList(list.slice(0, -1)) : undefined;
          b.lock(table, "ACCESS EXCLUSIVE");
        }
      }
      break;
    }
    case "CreateStmt": {
      const c = asNode(n, "CreateStmt")!;
      for (const rv of referencedTables(c.tableElts)) b.lock(rv, "SHARE ROW EXCLUSIVE");
      for (const p of c.inhRelations ?? []) b.lock(asNode(p, "RangeVar"), c.partbound ? "ACCESS EXCLUSIVE" : "SHARE UPDATE EXCLUSIVE");
      break;
    }
    case "RenameStmt": {
      const r = asNode(n, "RenameStmt")!;
      // Renaming an index (or its constraint) takes SHARE UPDATE EXCLUSIVE from PostgreSQL 12; renaming a table, view or column takes ACCESS EXCLUSIVE.
      const light = r.renameType === "OBJECT_INDEX" && ctx.settings.pgVersion >= 12;
      if (r.relation) b.lock(r.relation, light ? "SHARE UPDATE EXCLUSIVE" : "ACCESS EXCLUSIVE");
      break;
    }
    case "AlterObjectSchemaStmt": {
      const a = asNode(n, "AlterObjectSchemaStmt")!;
      if (a.relation) b.lock(a.relation, "ACCESS EXCLUSIVE");
      break;
    }
    case "CreateTrigStmt": {
      const t = asNode(n, "CreateTrigStmt")!;
      b.lock(t.relation, "SHARE ROW EXCLUSIVE");
      break;
    }
    case "CreatePolicyStmt":
      b.lock(asNode(n, "CreatePolicyStmt")!.table, "ACCESS EXCLUSIVE");
      break;
    case "AlterPolicyStmt":
      b.lock(asNode(n, "AlterPolicyStmt")!.table, "ACCESS EXCLUSIVE");
      break;
    case "RuleStmt":
      b.lock(asNode(n, "RuleStmt")!.relation, "ACCESS EXCLUSIVE");
      break;
    case "TruncateStmt":
      for (const r of asNode(n, "TruncateStmt")!.relations ?? []) b.lock(asNode(r, "RangeVar"), "ACCESS EXCLUSIVE");
      break;
    case "ReindexStmt": {
      const r = asNode(n, "ReindexStmt")!;
      const concurrent = (r.params ?? []).some((p) => asNode(p, "DefElem")?.defname === "concurrently");
      if (r.relation) b.lock(r.relation, concurrent ? "SHARE UPDATE EXCLUSIVE" : "ACCESS EXCLUSIVE");
      b.does("build", "rebuilds indexes");
      break;
    }
    case "ClusterStmt": {
      const c = asNode(n, "ClusterStmt")!;
      if (c.relation) b.lock(c.relation, "ACCESS EXCLUSIVE");
      b.does("rewrite", "rewrites the table in index order");
      break;
    }
    case "VacuumStmt": {
      const v = asNode(n, "VacuumStmt")!;
      const full = (v.options ?? []).some((o) => asNode(o, "DefElem")?.defname === "full");
      for (const r of v.rels ?? []) b.lock(asNode(r, "VacuumRelation")?.relation, full ? "ACCESS EXCLUSIVE" : "SHARE UPDATE EXCLUSIVE");
      b.does(full ? "rewrite" : "scan", full ? "VACUUM FULL rewrites the table" : "vacuums the table");
      break;
    }
    case "RefreshMatViewStmt": {
      const r = asNode(n, "RefreshMatViewStmt")!;
      b.lock(r.relation, r.concurrent ? "EXCLUSIVE" : "ACCESS EXCLUSIVE");
      b.does("rewrite", "recomputes the materialized view");
      break;
    }
    case "LockStmt": {
      const l = asNode(n, "LockStmt")!;
      const modes: LockMode[] = ["ACCESS SHARE", "ROW SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE", "SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE"];
      const mode = modes[(l.mode ?? 8) - 1] ?? "ACCESS EXCLUSIVE";
      for (const r of l.relations ?? []) b.lock(asNode(r, "RangeVar"), mode);
      break;
    }
    case "CommentStmt": {
      const c = asNode(n, "CommentStmt")!;
      if (c.objtype === "OBJECT_TABLE" || c.objtype === "OBJECT_COLUMN") {
        const list = asNode(c.object, "List")?.items;
        const name = list ? nameOfList(c.objtype === "OBJECT_COLUMN" ? list.slice(0, -1) : list) : undefined;
        b.lock(name, "SHARE UPDATE EXCLUSIVE");
      }
      break;
    }
    case "ViewStmt": {
      const v = asNode(n, "ViewStmt")!;
      if (v.replace) b.lock(v.view, "ACCESS EXCLUSIVE");
      break;
    }
    case "UpdateStmt":
      b.lock(dataTarget(n).relation, "ROW EXCLUSIVE");
      b.does("data", "updates rows");
      break;
    case "DeleteStmt":
      b.lock(dataTarget(n).relation, "ROW EXCLUSIVE");
      b.does("data", "deletes rows");
      break;
    case "InsertStmt": {
      const target = dataTarget(n);
      b.lock(target.relation, "ROW EXCLUSIVE");
      if (target.copiesRows) b.does("data", "copies rows with INSERT … SELECT");
      break;
    }
    case "CreateTableAsStmt":
      b.does("data", "fills a table from a query");
      break;
    default:
      break;
  }
  return b.build();
}

function nameOfList(items: Node[]): QualifiedName | undefined {
  const parts = items.map((i) => asNode(i, "String")?.sval).filter((s): s is string => s !== undefined);
  if (!parts.length) return undefined;
  return parts.length > 1 ? { schema: parts[parts.length - 2]!, name: parts[parts.length - 1]! } : { name: parts[0]! };
}

function alterTableEffect(ctx: Ctx, stmt: Statement, b: Builder): void {
  const a = alterTable(stmt);
  if (!a) return;
  if (a.objtype === "OBJECT_INDEX") {
    // ALTER INDEX … RENAME / SET: SHARE UPDATE EXCLUSIVE on the index; ATTACH PARTITION similar.
    b.lock(a.relation, "SHARE UPDATE EXCLUSIVE");
    return;
  }
  const table = a.relation;
  const name = rangeVarName(table)!;
  for (const cmd of a.cmds) alterCmdEffect(ctx, stmt, b, table, name, cmd);
}

function alterCmdEffect(ctx: Ctx, stmt: Statement, b: Builder, table: RangeVar, name: QualifiedName, cmd: AlterTableCmd): void {
  const pg = ctx.settings.pgVersion;
  switch (cmd.subtype) {
    case "AT_AddColumn": {
      b.lock(table, "ACCESS EXCLUSIVE");
      const col = columnDef(cmd.def);
      if (!col) return;
      const cons = columnConstraints(col);
      const type = col.typeName ? typeOfTypeName(col.typeName) : undefined;
      const def = columnDefault(col);
      if (type && SERIAL_TYPES.has(type.name)) b.does("rewrite", "adds a serial column: every row gets a sequence value");
      if (cons.some((c) => c.contype === "CONSTR_IDENTITY")) b.does("rewrite", "adds an identity column: every row gets a sequence value");
      if (cons.some((c) => c.contype === "CONSTR_GENERATED" && c.generated_kind !== "v")) b.does("rewrite", "adds a stored generated column");
      if (def && (pg < 11 || volatileCalls(def, ctx.catalogAt(stmt)).length)) b.does("rewrite", pg < 11 ? "adds a column with a default before PostgreSQL 11" : "adds a column with a volatile default");
      for (const c of cons) {
        if (c.contype === "CONSTR_FOREIGN") {
          b.lock(c.pktable, "SHARE ROW EXCLUSIVE");
          if (!c.skip_validation && def) b.does("scan", "validates a foreign key");
        }
        if (c.contype === "CONSTR_PRIMARY" || c.contype === "CONSTR_UNIQUE") b.does("build", "builds a unique index");
        if (c.contype === "CONSTR_CHECK" && def) b.does("scan", "checks a constraint on every row");
      }
      return;
    }
    case "AT_AlterColumnType": {
      b.lock(table, "ACCESS EXCLUSIVE");
      const col = columnDef(cmd.def);
      if (!col?.typeName || !cmd.name) return;
      const old = tableAt(ctx, stmt, name)?.columns.find((c) => c.name === cmd.name)?.type;
      const effect = typeChangeEffect({ oldType: old, newType: typeOfTypeName(col.typeName), column: cmd.name, using: col.raw_default, pgVersion: pg, catalog: ctx.catalogAt(stmt) });
      if (effect.kind === "rewrite" || effect.kind === "unknown" || (effect.kind === "timezone" && !sessionIsUtc(ctx, stmt))) b.does("rewrite", "rewrites the table to change a column type");
      else if (effect.kind === "scan") b.does("scan", effect.reason);
      return;
    }
    case "AT_SetNotNull":
      b.lock(table, "ACCESS EXCLUSIVE");
      if (!(pg >= 12 && cmd.name && notNullProven(ctx, stmt, name, cmd.name))) b.does("scan", "scans the table to check for NULLs");
      return;
    case "AT_AddConstraint": {
      const con = constraint(cmd.def);
      if (!con) return;
      if (con.contype === "CONSTR_FOREIGN") {
        b.lock(table, "SHARE ROW EXCLUSIVE");
        b.lock(con.pktable, "SHARE ROW EXCLUSIVE");
        if (!con.skip_validation) b.does("scan", "validates a foreign key against every row");
        return;
      }
      b.lock(table, "ACCESS EXCLUSIVE");
      if (con.contype === "CONSTR_CHECK" && !con.skip_validation) b.does("scan", "checks a constraint on every row");
      if (con.contype === "CONSTR_NOTNULL" && !con.skip_validation) b.does("scan", "checks a constraint on every row");
      if ((con.contype === "CONSTR_PRIMARY" || con.contype === "CONSTR_UNIQUE" || con.contype === "CONSTR_EXCLUSION") && !con.indexname) b.does("build", "builds an index");
      return;
    }
    case "AT_ValidateConstraint":
      b.lock(table, "SHARE UPDATE EXCLUSIVE");
      b.does("scan", "validates a constraint against every row");
      return;
    case "AT_SetStatistics":
    case "AT_SetOptions":
    case "AT_ResetOptions":
    case "AT_ClusterOn":
    case "AT_DropCluster":
    case "AT_SetRelOptions":
    case "AT_ResetRelOptions":
    case "AT_ReplaceRelOptions":
      b.lock(table, "SHARE UPDATE EXCLUSIVE");
      return;
    case "AT_EnableTrig":
    case "AT_EnableAlwaysTrig":
    case "AT_EnableReplicaTrig":
    case "AT_DisableTrig":
    case "AT_EnableTrigAll":
    case "AT_DisableTrigAll":
    case "AT_EnableTrigUser":
    case "AT_DisableTrigUser":
      b.lock(table, "SHARE ROW EXCLUSIVE");
      return;
    case "AT_SetLogged":
    case "AT_SetUnLogged":
    case "AT_SetAccessMethod":
    case "AT_SetTableSpace":
      b.lock(table, "ACCESS EXCLUSIVE");
      b.does("rewrite", "rewrites the table");
      return;
    case "AT_AttachPartition": {
      b.lock(table, pg >= 12 ? "SHARE UPDATE EXCLUSIVE" : "ACCESS EXCLUSIVE");
      const part = asNode(cmd.def, "PartitionCmd");
      b.lock(part?.name, "ACCESS EXCLUSIVE");
      b.does("scan", "scans the partition to check its bound");
      return;
    }
    case "AT_DetachPartition": {
      const part = asNode(cmd.def, "PartitionCmd");
      const mode: LockMode = part?.concurrent ? "SHARE UPDATE EXCLUSIVE" : "ACCESS EXCLUSIVE";
      b.lock(table, mode);
      b.lock(part?.name, mode);
      return;
    }
    case "AT_DetachPartitionFinalize":
      b.lock(table, "SHARE UPDATE EXCLUSIVE");
      return;
    default:
      b.lock(table, "ACCESS EXCLUSIVE");
      return;
  }
}

/** The strongest lock a statement takes on a relation that already exists in production. */
export function strongestExistingLock(effect: Effect): LockOn | undefined {
  let best: LockOn | undefined;
  for (const l of effect.locks) if (!l.isNew && (!best || STRENGTH[l.mode] > STRENGTH[best.mode])) best = l;
  return best;
}

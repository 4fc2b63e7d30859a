/**
 * `invertStatement`: one forward statement, the catalog before and after it → its inverse statements
 * and its class. The statement families that need intent (renames, data, type changes, CONCURRENTLY)
 * are dispatched here; everything else, and the schema part of those, is restored from the catalog
 * difference (`restore.ts`).
 */
import type { AlterTableCmd } from "@pgsql/types";
import { diffMaps } from "../catalog/pmap.js";
import { keyOf } from "../catalog/names.js";
import { quoteName, Renderer } from "../catalog/render.js";
import { asNode } from "../parse/ast.js";
import type { Statement } from "../parse/types.js";
import { reversible, transactional, type InvertContext, type Inversion } from "./context.js";
import { invertTypeChange, isWidening, type TypeChangeInverse } from "./families/column-type.js";
import { invertDelete, invertInsert, invertTruncate, invertUpdate } from "./families/data.js";
import { invertRename, invertSetSchema } from "./families/rename.js";
import { tableKey } from "./families/shadow.js";
import { restore, type RestoreOptions } from "./restore.js";
import { worstOf, type IrreversibleCause, type Reversibility } from "./types.js";

/** Statements that change neither the schema nor the data the schema holds. */
const NO_OP = new Set([
  "TransactionStmt",
  "SelectStmt",
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
  "VariableSetStmt",
  "VariableShowStmt",
  "AlterOwnerStmt",
  "ConstraintsSetStmt",
  "AnalyzeStmt",
]);

export function invertStatement(ctx: InvertContext): Inversion {
  try {
    return invertOne(ctx);
  } catch (error) {
    // A construct the renderer cannot write back must cost this statement, not the migration's plan.
    return { class: "irreversible", reason: `no inverse could be written (${error instanceof Error ? error.message : String(error)})`, inverse: [] };
  }
}

function invertOne(ctx: InvertContext): Inversion {
  const s = ctx.statement;
  const node = s.node;
  const created = createdTableFromQuery(ctx);
  if (created) return created;
  if (NO_OP.has(s.tag)) return reversible([]);
  const newlyUnmodelled = ctx.after.unmodelled.length > ctx.before.unmodelled.length ? ctx.after.unmodelled.slice(ctx.before.unmodelled.length) : [];

  switch (s.tag) {
    case "InsertStmt":
      return invertInsert(ctx, asNode(node, "InsertStmt")!);
    case "UpdateStmt":
      return invertUpdate(ctx, asNode(node, "UpdateStmt")!);
    case "DeleteStmt":
      return invertDelete(ctx, asNode(node, "DeleteStmt")!);
    case "TruncateStmt":
      return invertTruncate(ctx, asNode(node, "TruncateStmt")!);
    case "MergeStmt":
    case "CopyStmt":
      return { class: "irreversible", reason: `${s.tag === "MergeStmt" ? "MERGE" : "COPY"} changes rows that cannot be told apart afterwards`, inverse: [] };
    case "CallStmt":
      return { class: "irreversible", reason: "CALL runs a procedure whose effects cannot be seen statically", inverse: [] };
    case "RenameStmt": {
      if (newlyUnmodelled.length) break;
      const inv = invertRename(ctx, asNode(node, "RenameStmt")!);
      if (inv) return inv;
      break;
    }
    case "AlterObjectSchemaStmt": {
      if (newlyUnmodelled.length) break;
      const inv = invertSetSchema(ctx, asNode(node, "AlterObjectSchemaStmt")!);
      if (inv) return inv;
      break;
    }
    default:
      break;
  }

  if (newlyUnmodelled.length) {
    const fallback = unknownObjectFallback(ctx);
    if (fallback) return fallback;
    return {
      class: "irreversible",
      reason: newlyUnmodelled.map((u) => u.reason).join("; "),
      inverse: [],
    };
  }

  if (enumValueOfNewType(ctx)) return reversible([]);

  const options: RestoreOptions = { searchPath: ctx.searchPath };
  if (ctx.concurrentAllowed) {
    const idx = asNode(node, "IndexStmt");
    const drop = asNode(node, "DropStmt");
    if (idx?.concurrent || (drop?.concurrent && drop.removeType === "OBJECT_INDEX")) options.concurrently = true;
  }
  const typeChanges = new Map<string, TypeChangeInverse>();
  for (const cmd of alterCommands(s)) {
    if (cmd.subtype !== "AT_AlterColumnType" || !cmd.name) continue;
    const table = tableKey(ctx.before, asNode(s.node, "AlterTableStmt")?.relation, ctx.searchPath);
    if (table) typeChanges.set(`${table}\0${cmd.name}`, invertTypeChange(ctx, table, cmd));
  }
  options.usingFor = (table, column) => typeChanges.get(`${table}\0${column}`)?.using;
  options.aroundTypeChange = (table, column) => typeChanges.get(`${table}\0${column}`)?.around;

  const result = restore(ctx.after, ctx.before, options);
  const classes: Reversibility[] = ["reversible"];
  let cause: IrreversibleCause | undefined;
  const alterEnum = asNode(node, "AlterEnumStmt");
  if (alterEnum?.newVal && !alterEnum.oldVal) cause = "enum-add-value";
  const reasons: string[] = [];
  if (result.lost.length) {
    classes.push("lossy");
    reasons.push(...result.lost);
  }
  if (result.impossible.length) {
    classes.push("irreversible");
    reasons.push(...result.impossible);
  }
  for (const change of result.typeChanges) {
    // The inverse changes `from` (the type after the up) back to `to`: the up converted to → from.
    const known = typeChanges.get(`${change.table}\0${change.column}`);
    if (known) {
      if (known.class === "reversible") continue;
      classes.push(known.class);
      cause = "transform";
      if (known.reason) reasons.push(known.reason);
    } else if (!isWidening(change.to, change.from)) {
      classes.push("irreversible");
      reasons.push(`changing ${change.column} from ${change.to} to ${change.from} converts its values, which cannot be restored`);
    }
  }
  const cls = worstOf(classes);
  const inv: Inversion = { class: cls, inverse: result.statements };
  if (reasons.length && cls !== "reversible") inv.reason = reasons.join("; ");
  if (result.recipes.length) inv.recipe = result.recipes.join("\n");
  if (cause && cls === "irreversible") inv.cause = cause;
  return inv;
}

/**
 * CREATE TABLE AS and SELECT INTO are undone by dropping the table, whatever its columns are (even
 * when the model cannot tell them: the drop needs no column list).
 */
function createdTableFromQuery(ctx: InvertContext): Inversion | undefined {
  const cta = asNode(ctx.statement.node, "CreateTableAsStmt");
  const rv = cta && cta.objtype !== "OBJECT_MATVIEW" ? cta.into?.rel : asNode(ctx.statement.node, "SelectStmt")?.intoClause?.rel;
  if (!rv?.relname) return undefined;
  const added = diffMaps(ctx.before.tables, ctx.after.tables).filter((c) => !c.before && c.after);
  if (added.length !== 1) return reversible([]);
  const t = added[0]!.after!;
  return reversible([transactional(`DROP TABLE IF EXISTS ${new Renderer(ctx.after, ctx.searchPath).relation(keyOf(t.schema, t.name))}`)]);
}

/**
 * `ALTER TYPE k ADD VALUE` on an enum the same migration created: dropping the type (the inverse of its
 * CREATE TYPE) takes the value too, so nothing is left to undo.
 */
function enumValueOfNewType(ctx: InvertContext): boolean {
  const alter = asNode(ctx.statement.node, "AlterEnumStmt");
  if (!alter?.newVal || alter.oldVal) return false;
  const changed = diffMaps(ctx.before.types, ctx.after.types);
  return changed.length > 0 && changed.every((c) => c.before && c.after && !ctx.migrationBefore.types.has(c.key));
}

function alterCommands(s: Statement): AlterTableCmd[] {
  const alter = asNode(s.node, "AlterTableStmt");
  return (alter?.cmds ?? []).flatMap((c) => {
    const cmd = asNode(c, "AlterTableCmd");
    return cmd ? [cmd] : [];
  });
}


/**
 * Statements on objects the history does not know (platform tables such as supabase's
 * `storage.objects`): a few creations still have an obvious inverse that needs no catalog.
 */
function unknownObjectFallback(ctx: InvertContext): Inversion | undefined {
  const rvName = (rv: { schemaname?: string; relname?: string } | undefined): string =>
    rv?.schemaname ? `${quoteName(rv.schemaname)}.${quoteName(rv.relname ?? "")}` : quoteName(rv?.relname ?? "");
  const policy = asNode(ctx.statement.node, "CreatePolicyStmt");
  if (policy?.policy_name) return reversible([transactional(`DROP POLICY IF EXISTS ${quoteName(policy.policy_name)} ON ${rvName(policy.table)}`)]);
  const trigger = asNode(ctx.statement.node, "CreateTrigStmt");
  if (trigger?.trigname && !trigger.replace) return reversible([transactional(`DROP TRIGGER IF EXISTS ${quoteName(trigger.trigname)} ON ${rvName(trigger.relation)}`)]);
  return undefined;
}

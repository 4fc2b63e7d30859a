/**
 * What the rules need of an INSERT, UPDATE or DELETE, read once while its syntax tree is alive. A data
 * migration's trees are dropped after their chunk (src/parse/lazy-node.ts), and each rule that read one
 * parsed the statement again: on a file of UPDATEs, four parses per statement after the first. The
 * values are small and, for the usual statement, one shared object per table.
 */
import type { Node, RangeVar } from "@pgsql/types";
import { asNode } from "../../src/parse/ast.js";
import { treeFact } from "../../src/parse/lazy-node.js";

export interface DataTarget {
  /** The table written, as much of its RangeVar as the rules read (name, schema, persistence). */
  relation: RangeVar | undefined;
  /** An INSERT … SELECT (not VALUES): it copies rows, which takes as long as the query does. */
  copiesRows: boolean;
  /** An UPDATE or DELETE with a WHERE clause. */
  hasWhere: boolean;
  /** An UPDATE's SET targets that assign a plain column already assigned before in the same SET. */
  repeatedAssignments: readonly { name: string; location: number | undefined }[];
}

const NONE: DataTarget["repeatedAssignments"] = Object.freeze([]);
/** Equal targets are one object; cleared when it grows large (a file of many tables). */
const shared = new Map<string, DataTarget>();
const SHARED_MAX = 10_000;

function repeated(targets: Node[] | undefined): DataTarget["repeatedAssignments"] {
  let out: { name: string; location: number | undefined }[] | undefined;
  const seen = new Set<string>();
  for (const t of targets ?? []) {
    const target = asNode(t, "ResTarget");
    // `SET col[1] = …, col[2] = …` assigns different elements: only plain columns count.
    if (!target || target.indirection?.length || !target.name) continue;
    if (seen.has(target.name)) (out ??= []).push({ name: target.name, location: target.location });
    seen.add(target.name);
  }
  return out ?? NONE;
}

/** The data statement's target; for any other statement, no relation. */
export const dataTarget = treeFact((node: Node): DataTarget => {
  const insert = asNode(node, "InsertStmt");
  const update = insert ? undefined : asNode(node, "UpdateStmt");
  const del = insert || update ? undefined : asNode(node, "DeleteStmt");
  const rv = insert?.relation ?? update?.relation ?? del?.relation;
  const select = asNode(insert?.selectStmt, "SelectStmt");
  const copiesRows = !!select && !select.valuesLists;
  const hasWhere = !!(update?.whereClause ?? del?.whereClause);
  const repeatedAssignments = repeated(update?.targetList);
  const relation: RangeVar | undefined = rv ? { relname: rv.relname, relpersistence: rv.relpersistence, ...(rv.schemaname !== undefined ? { schemaname: rv.schemaname } : {}) } : undefined;
  if (repeatedAssignments !== NONE) return { relation, copiesRows, hasWhere, repeatedAssignments };
  const key = `${relation ? `${relation.schemaname ?? ""}\0${relation.relname ?? ""}\0${relation.relpersistence ?? ""}` : "-"}\0${copiesRows}\0${hasWhere}`;
  let known = shared.get(key);
  if (!known) {
    if (shared.size >= SHARED_MAX) shared.clear();
    shared.set(key, (known = { relation, copiesRows, hasWhere, repeatedAssignments }));
  }
  return known;
});

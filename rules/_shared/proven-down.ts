/**
 * Whether a migration's hand-written down answers one of its irreversible statements, as far as the
 * static replay can prove it: the down parses, no statement of it fails on the catalog after the up, the
 * catalog after the up and the down is the catalog before the up (the `down-mismatch` check, trusted only
 * when every statement was modelled), and the down writes to the same table the statement changed
 * (`INSERT … SELECT` undone by a `DELETE`, an `UPDATE` by another). Data cannot be compared statically:
 * that the down restores the rows is the author's claim, which `verify` checks on a database.
 */
import { downFailures, downMismatches } from "../../src/invert/down-check.js";
import type { RuleContext } from "../../src/lint/rule.js";
import { walk } from "../../src/parse/ast.js";
import type { Statement } from "../../src/parse/types.js";

/** Asked with a plan statement's source: it is matched to the up's statement by where it starts. */
export type DownProof = (source: { range: { start: { offset: number } } }) => boolean;

const NEVER: DownProof = () => false;

/** A predicate: does the hand-written down of `ctx.migration` answer this statement? */
export function provenDown(ctx: RuleContext): DownProof {
  const m = ctx.migration;
  if (!ctx.down || !m.down || ctx.catalogAfterDown === undefined || ctx.down.syntaxErrors.length) return NEVER;
  const args = { before: ctx.catalogBefore, afterUp: ctx.catalogAfter, afterDown: ctx.catalogAfterDown };
  if (downFailures(args).length) return NEVER;
  const mismatches = downMismatches({ ...args, downs: [{ path: m.down.path, parsed: ctx.down }] });
  if (mismatches === undefined || mismatches.length) return NEVER;
  const written = new Set(ctx.down.statements.flatMap((s) => [s, ...(s.body ?? [])]).flatMap(targets));
  const byStart = new Map(ctx.effective.map((s) => [s.range.start.offset, s]));
  return (source) => {
    const statement = byStart.get(source.range.start.offset);
    if (!statement) return false;
    const changed = targets(statement);
    return changed.length > 0 && changed.every((t) => written.has(t));
  };
}

/** The tables a statement writes to (DML targets, ALTER/DROP/TRUNCATE relations), by unqualified name. */
function targets(statement: Statement): string[] {
  const out: string[] = [];
  walk(statement.node, (tag, value) => {
    const v = value as { relation?: { relname?: string }; relations?: { RangeVar?: { relname?: string } }[]; objects?: unknown[] };
    if (tag === "InsertStmt" || tag === "UpdateStmt" || tag === "DeleteStmt" || tag === "MergeStmt" || tag === "AlterTableStmt") {
      if (v.relation?.relname) out.push(v.relation.relname);
    } else if (tag === "TruncateStmt") {
      for (const r of v.relations ?? []) if (r.RangeVar?.relname) out.push(r.RangeVar.relname);
    }
    return undefined;
  });
  return out;
}

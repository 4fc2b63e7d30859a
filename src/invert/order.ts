/**
 * Ordering across statements of one migration. Each statement's inverse is computed against the
 * catalog around it and the inverses run in reverse statement order, which is right for everything
 * but what PostgreSQL binds at the time it runs: a column default is bound to the column's type when
 * it is set (`SET DEFAULT 'x'` on a text column stores `'x'::text`, and a later `TYPE varchar(20)` keeps
 * it text). So when a migration changes a column's type and later its default, the down restores the
 * type first and the default after it.
 */
import type { StatementInverse, InverseStatement } from "./types.js";

const columnOf = (s: InverseStatement): string | undefined => (s.about ? `${s.about.table}\0${s.about.column}` : undefined);

/**
 * A column's default restored by a statement after its type change (so before the type restore in the
 * down) is set again just after the type restore that runs last; where it stood, a SET DEFAULT becomes
 * DROP DEFAULT, so the type change never has to convert a default bound to the intermediate type.
 */
export function defaultsAfterTypes(statements: StatementInverse[]): StatementInverse[] {
  // Forward order: the first statement with a type restore for a column is the last to run in the down.
  const anchor = new Map<string, number>();
  statements.forEach((s, i) => {
    for (const inv of s.inverse) {
      const col = columnOf(inv);
      if (col && inv.about!.aspect === "type" && !anchor.has(col)) anchor.set(col, i);
    }
  });
  if (!anchor.size) return statements;
  const out = statements.map((s) => ({ ...s, inverse: [...s.inverse] }));
  for (const [col, at] of anchor) {
    let last: InverseStatement | undefined;
    for (let j = out.length - 1; j > at; j--) {
      const s = out[j]!;
      s.inverse = s.inverse.map((inv) => {
        if (columnOf(inv) !== col || inv.about!.aspect !== "default") return inv;
        // The earliest statement's restore (the one that would run last) is the default the column had.
        last = inv;
        return / SET DEFAULT /.test(inv.sql) ? { ...inv, sql: inv.sql.replace(/ SET DEFAULT [\s\S]*$/, " DROP DEFAULT") } : inv;
      });
    }
    if (!last || !/ SET DEFAULT /.test(last.sql)) continue;
    const target = out[at]!;
    const typeAt = target.inverse.findIndex((inv) => columnOf(inv) === col && inv.about!.aspect === "type");
    // The type change may reset the default itself (a transform): then that one is final.
    const ownDefault = target.inverse.slice(typeAt + 1).some((inv) => columnOf(inv) === col && inv.about!.aspect === "default");
    if (!ownDefault) target.inverse.splice(typeAt + 1, 0, last);
  }
  return out;
}

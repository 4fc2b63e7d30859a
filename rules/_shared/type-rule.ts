/**
 * The shape shared by the column-type rules (prefer-bigint-over-int, prefer-text-field, …): visit
 * every column definition (CREATE TABLE, ADD COLUMN, ALTER COLUMN TYPE), report the ones whose type
 * matches, pointing at the type, with a fix that replaces the type's text.
 */
import type { RuleContext } from "../../src/lint/rule.js";
import { allColumnSites, type ColumnSite } from "./columns.js";
import { canFix, replaceFix, spanText, typeSpan } from "./position.js";
import { display, rangeVarName } from "./sql.js";

export interface TypeMatch<M extends string> {
  messageId: M;
  /** Replacement text for the type (array brackets are kept); none = no automatic fix. */
  replacement?: string;
  data?: Record<string, string | number>;
}

export function checkColumnTypes<M extends string>(ctx: RuleContext<M>, match: (site: ColumnSite) => TypeMatch<M> | undefined): void {
  for (const site of allColumnSites(ctx)) {
    const m = match(site);
    if (!m) continue;
    const range = typeSpan(ctx, site.stmt, site.typeName.location);
    const written = spanText(ctx, range);
    const fix = m.replacement && canFix(site.stmt) ? replaceFix(ctx, range, m.replacement + "[]".repeat(site.type.array)) : undefined;
    ctx.report({
      messageId: m.messageId,
      statement: site.stmt,
      range,
      data: { column: site.column, table: display(rangeVarName(site.table)), type: written.replace(/\s+/g, " "), ...m.data },
      ...(fix ? { fix } : {}),
    });
  }
}

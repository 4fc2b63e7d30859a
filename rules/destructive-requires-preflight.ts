import { defineRule } from "../src/lint/rule.js";
import { asNode, isNode } from "../src/parse/ast.js";
import { dataTarget } from "./_shared/data-target.js";
import type { Statement } from "../src/parse/types.js";
import { isNewRelation, tableAt } from "./_shared/history.js";
import { isNarrowing } from "./_shared/rewrite.js";
import { alterSites, columnDef, display, listName, rangeVarName, type QualifiedName } from "./_shared/sql.js";
import { typeOfTypeName, typeToString } from "./_shared/types.js";

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** A DO block that counts rows of the table and reports the count (RAISE NOTICE / WARNING / EXCEPTION). */
function isPreflight(doText: string, table: QualifiedName): boolean {
  if (!/\bRAISE\b/i.test(doText) || !/\bcount\s*\(/i.test(doText)) return false;
  return new RegExp(`(^|[^\\w$])"?${escapeRe(table.name)}"?([^\\w$]|$)`, "i").test(doText);
}

function hasPreflight(statements: readonly Statement[], stmt: Statement, table: QualifiedName): boolean {
  for (const s of statements) {
    if (s.index > stmt.index) break;
    if (s.tag !== "DoStmt") continue;
    // Inside the same DO block, the preflight must come before the destructive statement.
    const text = s.index === stmt.index ? s.text.slice(0, Math.max(0, s.text.indexOf(stmt.text))) : s.text;
    if (s.index === stmt.index && !stmt.guard) continue;
    if (isPreflight(text, table)) return true;
  }
  return false;
}

export default defineRule({
  meta: {
    id: "destructive-requires-preflight",
    description: "DROP TABLE, DROP COLUMN, TRUNCATE, DELETE or a narrowing type change with no preflight in the migration that logs how many rows it affects.",
    category: "reversibility",
    defaultSeverity: "info",
    fixable: false,
    messages: {
      destructive: "{{what}} destroys data, and nothing before it in the migration reports how many rows of {{table}} it affects.",
    },
    help: "Add a preflight before it: `DO $$ BEGIN RAISE NOTICE '{{table}}: % rows affected', (SELECT count(*) FROM {{table}}); END $$;` (or RAISE EXCEPTION when the count must be zero).",
    docs: {
      rationale:
        "Data a migration destroys cannot be brought back by its down migration. A preflight that counts the affected rows and logs them (or refuses to continue when there should be none) leaves a record in the deploy log of what was lost, and turns \"the table is surely empty\" into a checked assumption. The rule accepts any earlier DO block in the migration that RAISEs a message and counts rows of the table. Tables created in the same migration (or one not applied yet) are exempt. Off the failing path by default (severity info); raise it in the config to make preflights mandatory.",
      bad: "DROP TABLE legacy_sessions;",
      good: "DO $$\nBEGIN\n  RAISE NOTICE 'legacy_sessions: % rows dropped', (SELECT count(*) FROM legacy_sessions);\nEND $$;\nDROP TABLE legacy_sessions;",
      peers: { atlas: ["DS101", "DS102", "DS103"] },
    },
  },
  check(ctx) {
    const report = (stmt: Statement, what: string, table: QualifiedName): void => {
      if (isNewRelation(ctx, stmt, table) || hasPreflight(ctx.statements, stmt, table)) return;
      ctx.report({ messageId: "destructive", statement: stmt, data: { what, table: display(table) } });
    };
    for (const stmt of ctx.effective) {
      const drop = asNode(stmt.node, "DropStmt");
      if (drop?.removeType === "OBJECT_TABLE") {
        for (const o of drop.objects ?? []) {
          const name = listName(asNode(o, "List")?.items);
          if (name) report(stmt, `DROP TABLE ${display(name)}`, name);
        }
      }
      const truncate = asNode(stmt.node, "TruncateStmt");
      for (const r of truncate?.relations ?? []) {
        const name = rangeVarName(asNode(r, "RangeVar"));
        if (name) report(stmt, `TRUNCATE ${display(name)}`, name);
      }
      const delName = isNode(stmt.node, "DeleteStmt") ? rangeVarName(dataTarget(stmt.node).relation) : undefined;
      if (delName) report(stmt, `DELETE FROM ${display(delName)}`, delName);
    }
    for (const { stmt, alter, cmd } of alterSites(ctx.effective)) {
      const table = rangeVarName(alter.relation)!;
      if (cmd.subtype === "AT_DropColumn") report(stmt, `DROP COLUMN ${cmd.name}`, table);
      if (cmd.subtype === "AT_AlterColumnType" && cmd.name) {
        const col = columnDef(cmd.def);
        const old = tableAt(ctx, stmt, table)?.columns.find((c) => c.name === cmd.name)?.type;
        if (col?.typeName && isNarrowing(old, typeOfTypeName(col.typeName))) report(stmt, `ALTER COLUMN ${cmd.name} TYPE ${typeToString(typeOfTypeName(col.typeName))} (narrowing ${old})`, table);
      }
    }
  },
});

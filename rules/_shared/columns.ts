/**
 * Column definitions wherever a migration writes one: CREATE TABLE, ALTER TABLE … ADD COLUMN and
 * ALTER COLUMN … TYPE (whose "definition" is just the new type). The type-choice rules
 * (prefer-bigint-over-int, prefer-text-field, …) read them all the same way.
 */
import type { AlterTableCmd, ColumnDef, RangeVar, TypeName } from "@pgsql/types";
import type { RuleContext } from "../../src/lint/rule.js";
import { asNode } from "../../src/parse/ast.js";
import type { Statement } from "../../src/parse/types.js";
import { alterTable, columnDef } from "./sql.js";
import { typeOfTypeName, type ColumnType } from "./types.js";

export interface ColumnSite {
  stmt: Statement;
  table: RangeVar;
  /** The column name (for ALTER COLUMN TYPE, the altered column). */
  column: string;
  def: ColumnDef;
  typeName: TypeName;
  type: ColumnType;
  kind: "create-table" | "add-column" | "alter-type";
  cmd?: AlterTableCmd;
}

export function columnSites(stmt: Statement): ColumnSite[] {
  const out: ColumnSite[] = [];
  const create = asNode(stmt.node, "CreateStmt");
  if (create?.relation) {
    for (const e of create.tableElts ?? []) {
      const def = columnDef(e);
      if (def?.typeName && def.colname) out.push({ stmt, table: create.relation, column: def.colname, def, typeName: def.typeName, type: typeOfTypeName(def.typeName), kind: "create-table" });
    }
  }
  const alter = alterTable(stmt);
  if (alter && (alter.objtype === "OBJECT_TABLE" || alter.objtype === "OBJECT_FOREIGN_TABLE")) {
    for (const cmd of alter.cmds) {
      const def = columnDef(cmd.def);
      if (!def?.typeName) continue;
      if (cmd.subtype === "AT_AddColumn" && def.colname) {
        out.push({ stmt, table: alter.relation, column: def.colname, def, typeName: def.typeName, type: typeOfTypeName(def.typeName), kind: "add-column", cmd });
      } else if (cmd.subtype === "AT_AlterColumnType" && cmd.name) {
        out.push({ stmt, table: alter.relation, column: cmd.name, def, typeName: def.typeName, type: typeOfTypeName(def.typeName), kind: "alter-type", cmd });
      }
    }
  }
  return out;
}

/**
 * The sites of one migration, computed once and shared by the type rules (eight of them read every
 * site): keyed by the migration's statement list, which every rule's context shares.
 */
const sitesOf = new WeakMap<readonly Statement[], readonly ColumnSite[]>();

export function allColumnSites(ctx: Pick<RuleContext, "effective">): readonly ColumnSite[] {
  let sites = sitesOf.get(ctx.effective);
  if (!sites) sitesOf.set(ctx.effective, (sites = ctx.effective.flatMap(columnSites)));
  return sites;
}

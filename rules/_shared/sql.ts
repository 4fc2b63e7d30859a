/**
 * Small typed readers over libpg-query's AST that several rules share: object names, ALTER TABLE
 * actions, column definitions and their inline constraints, literal values.
 */
import type { AlterTableCmd, ColumnDef, Constraint, Node, RangeVar, TypeName } from "@pgsql/types";
import { asNode, stringValues } from "../../src/parse/ast.js";
import type { Statement } from "../../src/parse/types.js";

export interface QualifiedName {
  schema?: string;
  name: string;
}

export function rangeVarName(rv: RangeVar | undefined): QualifiedName | undefined {
  if (!rv?.relname) return undefined;
  return rv.schemaname ? { schema: rv.schemaname, name: rv.relname } : { name: rv.relname };
}

/** `schema.name` or `name`, as a user would write it in a message. */
export function display(name: QualifiedName | undefined): string {
  if (!name) return "?";
  return name.schema ? `${name.schema}.${name.name}` : name.name;
}

/** A name list (`[schema, name]` or `[name]`) as a qualified name. */
export function listName(nodes: Node[] | undefined): QualifiedName | undefined {
  const parts = stringValues(nodes);
  if (!parts.length) return undefined;
  const name = parts[parts.length - 1]!;
  return parts.length > 1 ? { schema: parts[parts.length - 2]!, name } : { name };
}

export interface AlterTable {
  relation: RangeVar;
  objtype: string;
  cmds: AlterTableCmd[];
  /** ALTER TABLE IF EXISTS */
  missingOk: boolean;
}

/** The statement as ALTER TABLE (also ALTER INDEX / VIEW / MATERIALIZED VIEW / FOREIGN TABLE). */
export function alterTable(stmt: Statement): AlterTable | undefined {
  const a = asNode(stmt.node, "AlterTableStmt");
  if (!a?.relation) return undefined;
  const cmds: AlterTableCmd[] = [];
  for (const c of a.cmds ?? []) {
    const cmd = asNode(c, "AlterTableCmd");
    if (cmd) cmds.push(cmd);
  }
  return { relation: a.relation, objtype: a.objtype ?? "OBJECT_TABLE", cmds, missingOk: !!a.missing_ok };
}

/** ALTER TABLE on a table (not an index, view or sequence). */
export function alterTableOnTable(stmt: Statement): AlterTable | undefined {
  const a = alterTable(stmt);
  return a && (a.objtype === "OBJECT_TABLE" || a.objtype === "OBJECT_FOREIGN_TABLE") ? a : undefined;
}

export function columnDef(node: Node | undefined): ColumnDef | undefined {
  return asNode(node, "ColumnDef");
}

export function constraint(node: Node | undefined): Constraint | undefined {
  return asNode(node, "Constraint");
}

/** The inline constraints of a column definition (NOT NULL, DEFAULT, REFERENCES, GENERATED, …). */
export function columnConstraints(col: ColumnDef): Constraint[] {
  const out: Constraint[] = [];
  for (const c of col.constraints ?? []) {
    const con = constraint(c);
    if (con) out.push(con);
  }
  return out;
}

export function hasConstraint(col: ColumnDef, type: Constraint["contype"]): boolean {
  return columnConstraints(col).some((c) => c.contype === type);
}

/** The DEFAULT expression of a column definition, if any. */
export function columnDefault(col: ColumnDef): Node | undefined {
  return columnConstraints(col).find((c) => c.contype === "CONSTR_DEFAULT")?.raw_expr ?? col.raw_default;
}

/** CREATE TABLE's column definitions and table constraints. */
export function createTableParts(stmt: Statement): { columns: ColumnDef[]; constraints: Constraint[] } | undefined {
  const c = asNode(stmt.node, "CreateStmt");
  if (!c) return undefined;
  const columns: ColumnDef[] = [];
  const constraints: Constraint[] = [];
  for (const e of c.tableElts ?? []) {
    const col = columnDef(e);
    if (col) columns.push(col);
    const con = constraint(e);
    if (con) constraints.push(con);
  }
  return { columns, constraints };
}

/** Column names of a key list (`fk_attrs`, `keys`, `pk_attrs`). */
export function keyColumns(nodes: Node[] | undefined): string[] {
  return stringValues(nodes);
}

/** The string value of a constant (`'x'`, `'x'::t`), if the node is one. */
export function stringConstant(node: Node | undefined): string | undefined {
  const c = asNode(node, "A_Const");
  if (c?.sval) return c.sval.sval;
  const cast = asNode(node, "TypeCast");
  if (cast) return stringConstant(cast.arg);
  return undefined;
}

/** Does the TypeName denote an array? */
export function isArray(t: TypeName | undefined): boolean {
  return !!t?.arrayBounds?.length;
}

/** The byte length of a name as PostgreSQL stores it (NAMEDATALEN - 1 = 63 bytes). */
export function byteLength(name: string): number {
  return Buffer.byteLength(name, "utf8");
}

/** Is the node a ColumnRef naming exactly `column` (optionally qualified)? */
export function isColumnRef(node: Node | undefined, column: string): boolean {
  const ref = asNode(node, "ColumnRef");
  if (!ref) return false;
  const parts = stringValues(ref.fields);
  return parts.length > 0 && parts[parts.length - 1] === column;
}

export interface AlterSite {
  stmt: Statement;
  alter: AlterTable;
  cmd: AlterTableCmd;
}

/**
 * The sites of a statement list, computed once and shared by the 17 rules that read them: keyed by the
 * list, which is the migration's `effective` for every rule's context.
 */
const sitesOf = new WeakMap<readonly Statement[], readonly AlterSite[]>();

/** Every ALTER TABLE action on a table, across the given statements (shared: read, never change). */
export function alterSites(statements: readonly Statement[]): readonly AlterSite[] {
  let sites = sitesOf.get(statements);
  if (sites) return sites;
  const out: AlterSite[] = [];
  for (const stmt of statements) {
    const alter = alterTableOnTable(stmt);
    if (alter) for (const cmd of alter.cmds) out.push({ stmt, alter, cmd });
  }
  sitesOf.set(statements, (sites = out));
  return sites;
}

import type { Constraint, RangeVar } from "@pgsql/types";
import { defineRule } from "../src/lint/rule.js";
import { asNode } from "../src/parse/ast.js";
import type { Statement } from "../src/parse/types.js";
import { keyOf } from "./_shared/history.js";
import { indexesOfTable } from "./_shared/indexes.js";
import { clauseSpan } from "./_shared/position.js";
import { alterSites, columnConstraints, columnDef, constraint, display, keyColumns, rangeVarName } from "./_shared/sql.js";

interface ForeignKeySite {
  stmt: Statement;
  table: RangeVar;
  columns: string[];
  con: Constraint;
}

function foreignKeys(statements: readonly Statement[]): ForeignKeySite[] {
  const out: ForeignKeySite[] = [];
  for (const stmt of statements) {
    const create = asNode(stmt.node, "CreateStmt");
    if (create?.relation) {
      for (const e of create.tableElts ?? []) {
        const col = columnDef(e);
        if (col?.colname) for (const c of columnConstraints(col)) if (c.contype === "CONSTR_FOREIGN") out.push({ stmt, table: create.relation, columns: [col.colname], con: c });
        const con = constraint(e);
        if (con?.contype === "CONSTR_FOREIGN") out.push({ stmt, table: create.relation, columns: keyColumns(con.fk_attrs), con });
      }
    }
  }
  for (const { stmt, alter, cmd } of alterSites(statements)) {
    const con = constraint(cmd.def);
    if (cmd.subtype === "AT_AddConstraint" && con?.contype === "CONSTR_FOREIGN") out.push({ stmt, table: alter.relation, columns: keyColumns(con.fk_attrs), con });
    const col = columnDef(cmd.def);
    if (cmd.subtype === "AT_AddColumn" && col?.colname) {
      for (const c of columnConstraints(col)) if (c.contype === "CONSTR_FOREIGN") out.push({ stmt, table: alter.relation, columns: [col.colname], con: c });
    }
  }
  return out;
}

/** Does a key (ordered column list) start with exactly the FK's columns, in any order? */
function covers(key: readonly (string | undefined)[], columns: readonly string[]): boolean {
  if (key.length < columns.length) return false;
  const lead = new Set(key.slice(0, columns.length));
  return columns.every((c) => lead.has(c));
}

/**
 * Leading columns of the indexes and unique/primary keys this migration writes, by table. Built once
 * per migration, not once per foreign key: an initial migration of hundreds of tables and foreign keys
 * scanned all its statements for each key.
 */
function keysWrittenHere(statements: readonly Statement[]): Map<string, (string | undefined)[][]> {
  const out = new Map<string, (string | undefined)[][]>();
  const add = (tableKey: string, key: (string | undefined)[]): void => {
    const list = out.get(tableKey);
    if (list) list.push(key);
    else out.set(tableKey, [key]);
  };
  for (const stmt of statements) {
    const index = asNode(stmt.node, "IndexStmt");
    if (index?.relation) add(keyOf(rangeVarName(index.relation)!), (index.indexParams ?? []).map((p) => asNode(p, "IndexElem")?.name));
    const create = asNode(stmt.node, "CreateStmt");
    if (create?.relation) {
      const tableKey = keyOf(rangeVarName(create.relation)!);
      for (const e of create.tableElts ?? []) {
        const col = columnDef(e);
        if (col?.colname && columnConstraints(col).some((c) => c.contype === "CONSTR_PRIMARY" || c.contype === "CONSTR_UNIQUE")) add(tableKey, [col.colname]);
        const con = constraint(e);
        if (con && (con.contype === "CONSTR_PRIMARY" || con.contype === "CONSTR_UNIQUE")) add(tableKey, keyColumns(con.keys));
      }
    }
  }
  for (const { alter, cmd } of alterSites(statements)) {
    const tableKey = keyOf(rangeVarName(alter.relation)!);
    const con = constraint(cmd.def);
    if (cmd.subtype === "AT_AddConstraint" && con && (con.contype === "CONSTR_PRIMARY" || con.contype === "CONSTR_UNIQUE") && !con.indexname) add(tableKey, keyColumns(con.keys));
    const col = columnDef(cmd.def);
    if (cmd.subtype === "AT_AddColumn" && col?.colname && columnConstraints(col).some((c) => c.contype === "CONSTR_PRIMARY" || c.contype === "CONSTR_UNIQUE")) add(tableKey, [col.colname]);
  }
  return out;
}

export default defineRule({
  meta: {
    id: "foreign-key-without-index",
    description: "A foreign key whose referencing columns are not the leading columns of any index.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      noIndex:
        "No index on {{table}} ({{columns}}) backs the foreign key to {{referenced}}: every DELETE or key UPDATE on {{referenced}} scans {{table}}, holding locks, and joins on the key cannot use an index.",
    },
    help: "Create an index whose leading columns are the foreign key's: `CREATE INDEX CONCURRENTLY … ON {{table}} ({{columns}})`.",
    docs: {
      rationale:
        "PostgreSQL indexes the referenced side of a foreign key (it must be unique) but not the referencing side. Without that index, deleting or re-keying a parent row makes PostgreSQL scan the whole child table to check for references, under locks that block concurrent writes to the child rows, and cascades do the same. The rule looks for an index (or a primary or unique key) starting with the foreign key's columns in the catalog after the migration, so an index created later in the same migration, or in an earlier one, counts.",
      bad: "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));",
      good: "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\nCREATE INDEX orders_user_id_idx ON orders (user_id);",
      peers: { eugene: ["E15"], pgfence: ["fk-missing-index"] },
    },
  },
  check(ctx) {
    const after = ctx.catalogAfter;
    let written: Map<string, (string | undefined)[][]> | undefined;
    for (const fk of foreignKeys(ctx.effective)) {
      if (!fk.columns.length) continue;
      const name = rangeVarName(fk.table)!;
      const tableKey = keyOf(name, after);
      written ??= keysWrittenHere(ctx.effective);
      const keys: (string | undefined)[][] = [...(written.get(keyOf(name)) ?? [])];
      for (const index of indexesOfTable(after, tableKey)) keys.push(index.params.map((p) => asNode(p, "IndexElem")?.name));
      const table = after.tables.get(tableKey);
      for (const c of table?.constraints ?? []) if (c.type === "primary" || c.type === "unique") keys.push(c.columns);
      if (keys.some((k) => covers(k, fk.columns))) continue;
      // A table the migration drops again needs no index.
      if (!table && ctx.catalogAt(fk.stmt).tables.has(tableKey)) continue;
      ctx.report({
        messageId: "noIndex",
        statement: fk.stmt,
        range: clauseSpan(ctx, fk.stmt, fk.con.location),
        data: { table: display(name), columns: fk.columns.join(", "), referenced: display(rangeVarName(fk.con.pktable)) },
      });
    }
  },
});

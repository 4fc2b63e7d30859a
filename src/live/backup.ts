/**
 * `--backup`: before a down destroys data, copy it into the backup schema, in the same transaction as the
 * down (so a failed part leaves no half backup either). What a down destroys is read from its SQL: a
 * `DROP TABLE` copies the table whole, an `ALTER TABLE … DROP COLUMN` copies the column with the table's
 * primary key (all columns when it has none), so the values can be joined back.
 */
import { asNode, findAll, loadParser, parseSql, SourceText, stringValues } from "../parse/index.js";
import type { SqlClient, Statement } from "../layout/journal.js";
import { alwaysQuoted } from "../catalog/render.js";

export const BACKUP_SCHEMA = "migration_lint_backup";

/** Something a down drops: a whole table, or one column of one. */
export interface Dropped {
  table: string;
  column?: string;
}

/** The tables and columns a down's SQL drops, as written (names resolve with the session's search_path). */
export async function droppedBy(sql: string): Promise<Dropped[]> {
  await loadParser();
  const parsed = parseSql(new SourceText(sql, "<down>"));
  const out: Dropped[] = [];
  for (const s of parsed.statements) {
    const drop = asNode(s.node, "DropStmt");
    if (drop?.removeType === "OBJECT_TABLE") {
      for (const o of drop.objects ?? []) out.push({ table: stringValues(asNode(o, "List")?.items).join(".") });
    }
    const alter = asNode(s.node, "AlterTableStmt");
    if (alter?.relation) {
      const table = [alter.relation.schemaname, alter.relation.relname].filter(Boolean).join(".");
      for (const cmd of findAll(alter.cmds, "AlterTableCmd")) if (cmd.subtype === "AT_DropColumn" && cmd.name) out.push({ table, column: cmd.name });
    }
  }
  return out;
}

/** Backup tables are named `<stamp>_<table>[_<column>]`, cut to PostgreSQL's 63 bytes. */
function backupName(stamp: string, table: string, column?: string): string {
  return `${stamp}_${table.split(".").pop()}${column ? `_${column}` : ""}`.slice(0, 63);
}

export interface BackupStep {
  /** `migration_lint_backup."20260101T120000_users_email"`. */
  target: string;
  what: string;
  statements: Statement[];
}

/** The copies for what `dropped` names that exists now (a DROP … IF EXISTS of a missing table copies nothing). */
export async function backupSteps(client: SqlClient, dropped: readonly Dropped[], stamp: string): Promise<BackupStep[]> {
  const steps: BackupStep[] = [];
  for (const d of dropped) {
    const [rel] = await client.query<{ schema: string; name: string; oid: string }>(
      `SELECT n.nspname AS schema, c.relname AS name, c.oid::text AS oid FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass($1)`,
      [d.table.split(".").map(alwaysQuoted).join(".")],
    );
    if (!rel) continue;
    const source = `${alwaysQuoted(rel.schema)}.${alwaysQuoted(rel.name)}`;
    const target = `${alwaysQuoted(BACKUP_SCHEMA)}.${alwaysQuoted(backupName(stamp, rel.name, d.column))}`;
    let select = `TABLE ${source}`;
    if (d.column) {
      const key = await client.query<{ name: string }>(
        `SELECT a.attname AS name FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)
          WHERE i.indrelid = $1::oid AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)`,
        [rel.oid],
      );
      const columns = key.length ? [...key.map((k) => k.name).filter((k) => k !== d.column), d.column] : undefined;
      select = columns ? `SELECT ${columns.map(alwaysQuoted).join(", ")} FROM ${source}` : `TABLE ${source}`;
    }
    steps.push({
      target,
      what: d.column ? `column ${rel.schema}.${rel.name}.${d.column}` : `table ${rel.schema}.${rel.name}`,
      statements: [{ text: `CREATE SCHEMA IF NOT EXISTS ${alwaysQuoted(BACKUP_SCHEMA)}` }, { text: `CREATE TABLE ${target} AS ${select}` }],
    });
  }
  return steps;
}

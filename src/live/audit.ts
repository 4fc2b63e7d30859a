/**
 * The audit trail: one row per rollback in `migration_lint.rollbacks`, created on first use. The row is
 * written when the rollback starts (outcome `running`) and completed when it ends, in transactions of its
 * own, so a rollback that is killed half-way still leaves a row saying it started. `--no-audit` skips it.
 */
import { hostname } from "node:os";
import type { SqlClient } from "../layout/journal.js";

export const AUDIT_SCHEMA = "migration_lint";
export const AUDIT_TABLE = "rollbacks";

export const AUDIT_DDL = [
  `CREATE SCHEMA IF NOT EXISTS ${AUDIT_SCHEMA}`,
  `CREATE TABLE IF NOT EXISTS ${AUDIT_SCHEMA}.${AUDIT_TABLE} (
  id bigserial PRIMARY KEY,
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  database_user text NOT NULL DEFAULT current_user,
  client_host text,
  tool_version text NOT NULL,
  migration_set text NOT NULL,
  runner text NOT NULL,
  outcome text NOT NULL,
  backup_schema text,
  migrations jsonb NOT NULL
)`,
];

export type PartOutcome = "rolled-back" | "failed" | "not-run";
export type RollbackOutcome = "running" | "rolled-back" | "failed" | "interrupted";

export interface AuditedPart {
  id: string;
  class: string;
  source: string;
  down_sha256: string;
  outcome: PartOutcome;
  error?: string;
  backup?: string[];
}

export interface AuditRow {
  id: string;
  started_at: Date;
  finished_at: Date | null;
  database_user: string;
  client_host: string | null;
  tool_version: string;
  migration_set: string;
  runner: string;
  outcome: RollbackOutcome;
  backup_schema: string | null;
  migrations: AuditedPart[];
}

export async function startAudit(
  client: SqlClient,
  row: { toolVersion: string; set: string; runner: string; parts: AuditedPart[]; backupSchema?: string },
): Promise<string> {
  for (const ddl of AUDIT_DDL) await client.query(ddl);
  const [inserted] = await client.query<{ id: string }>(
    `INSERT INTO ${AUDIT_SCHEMA}.${AUDIT_TABLE} (client_host, tool_version, migration_set, runner, outcome, backup_schema, migrations)
     VALUES ($1, $2, $3, $4, 'running', $5, $6::jsonb) RETURNING id::text AS id`,
    [hostname(), row.toolVersion, row.set, row.runner, row.backupSchema ?? null, JSON.stringify(row.parts)],
  );
  return inserted!.id;
}

export async function finishAudit(client: SqlClient, id: string, outcome: RollbackOutcome, parts: AuditedPart[]): Promise<void> {
  await client.query(`UPDATE ${AUDIT_SCHEMA}.${AUDIT_TABLE} SET finished_at = now(), outcome = $2, migrations = $3::jsonb WHERE id = $1`, [
    id,
    outcome,
    JSON.stringify(parts),
  ]);
}

/** Which rollbacks `status` shows: those of the set's runner that touched one of the set's migrations. */
export interface RollbackScope {
  runner: string;
  migrationIds: readonly string[];
}

/**
 * The newest rollbacks of this migration set (none when the table does not exist yet). A database can hold
 * several sets (two services, a runner's and a hand-made one), each rolled back from its own folder; the
 * folder path the row names depends on where the tool ran, so a row belongs to the set by its runner and
 * the migration ids it rolled back.
 */
export async function lastRollbacks(client: SqlClient, scope: RollbackScope, limit = 5): Promise<AuditRow[]> {
  const [t] = await client.query<{ present: boolean }>("SELECT to_regclass($1) IS NOT NULL AS present", [`${AUDIT_SCHEMA}.${AUDIT_TABLE}`]);
  if (!t?.present) return [];
  return client.query<AuditRow>(
    `SELECT id::text AS id, started_at, finished_at, database_user, client_host, tool_version, migration_set, runner, outcome, backup_schema, migrations
       FROM ${AUDIT_SCHEMA}.${AUDIT_TABLE}
      WHERE runner = $2 AND EXISTS (SELECT 1 FROM jsonb_array_elements(migrations) AS part WHERE part->>'id' = ANY($3::text[]))
      ORDER BY id DESC LIMIT $1`,
    [limit, scope.runner, [...scope.migrationIds]],
  );
}

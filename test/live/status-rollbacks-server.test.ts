/**
 * `status` lists the last rollbacks of the set it shows, not of the whole database: audit rows written by
 * the audit module itself (as `rollback` writes them) for this drizzle folder, for another service's
 * drizzle folder and for a dbmate folder sharing the database, then the real CLI's `status` on PostgreSQL.
 */
import { describe, expect, it } from "vitest";
import { finishAudit, lastRollbacks, startAudit, type AuditedPart } from "../../src/live/audit.js";
import { runCli } from "../e2e/in-process.js";
import { drizzleAppApplied, liveServer, withClient } from "./helpers.js";

const { serverUrl, database } = await liveServer("live status-rollbacks tests");

const part = (id: string): AuditedPart => ({ id, class: "reversible", source: "written", down_sha256: "0".repeat(64), outcome: "rolled-back" });

describe.skipIf(!serverUrl)("status: the last rollbacks of the set shown", { timeout: 240_000 }, () => {
  it("shows this set's rollbacks only: same runner and one of its migrations", async () => {
    const { url, folder } = await drizzleAppApplied(database);
    const ids = await withClient(url, async (c) => {
      const audit = async (runner: string, set: string, migrations: string[]) => {
        const id = await startAudit({ query: async (sql, params) => (await c.query(sql, params)).rows }, { toolVersion: "0.1.0", set, runner, parts: migrations.map(part) });
        await finishAudit({ query: async (sql, params) => (await c.query(sql, params)).rows }, id, "rolled-back", migrations.map(part));
        return id;
      };
      return {
        ours: await audit("drizzle", folder, ["0004_project_members"]),
        otherService: await audit("drizzle", "/srv/billing/drizzle", ["0000_billing_init"]),
        otherRunner: await audit("dbmate", "db/migrations", ["0004_project_members"]),
        oursFromElsewhere: await audit("drizzle", "/deploy/checkout/drizzle", ["0003_users_full_name", "0004_project_members"]),
      };
    });

    const run = await runCli(["status", folder, "--database-url", url, "--format", "json"], process.cwd());
    expect(run.stderr).toBe("");
    const status = JSON.parse(run.stdout) as { lastRollbacks: { id: string; runner: string; migration_set: string; migrations: { id: string }[] }[] };
    expect(status.lastRollbacks.map((r) => [r.id, r.runner, r.migration_set, r.migrations.map((m) => m.id)])).toEqual([
      [ids.oursFromElsewhere, "drizzle", "/deploy/checkout/drizzle", ["0003_users_full_name", "0004_project_members"]],
      [ids.ours, "drizzle", folder, ["0004_project_members"]],
    ]);

    const text = await runCli(["status", folder, "--database-url", url], process.cwd());
    const listed = text.stdout.slice(text.stdout.indexOf("last rollbacks:")).trim().split("\n");
    expect(listed.map((l) => /^ {2}#(\d+) /.exec(l)?.[1] ?? l)).toEqual(["last rollbacks:", ids.oursFromElsewhere, ids.ours]);

    // The other service sees its own row, and the dbmate folder its own.
    await withClient(url, async (c) => {
      const client = { query: async <R extends object>(sql: string, params?: unknown[]) => (await c.query(sql, params)).rows as R[] };
      expect((await lastRollbacks(client, { runner: "drizzle", migrationIds: ["0000_billing_init"] })).map((r) => r.id)).toEqual([ids.otherService]);
      expect((await lastRollbacks(client, { runner: "dbmate", migrationIds: ["0004_project_members"] })).map((r) => r.id)).toEqual([ids.otherRunner]);
      expect(await lastRollbacks(client, { runner: "drizzle", migrationIds: [] })).toEqual([]);
    });
  });
});

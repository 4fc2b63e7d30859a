/**
 * The engine suite on a real PostgreSQL server (see test/setup/postgres.ts for where it comes from), in a
 * throw-away database. Skipped, saying why, only when no server can be started.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { ServerEngine } from "../../src/verify/server.js";
import { VerifyUsageError } from "../../src/verify/errors.js";
import { startPostgres, type TestServer } from "../setup/postgres.js";
import { engineSuite } from "./engine-suite.js";

const server: TestServer = await startPostgres();
const url = "url" in server ? server.url : undefined;
if (!url) console.warn(`server engine tests skipped: ${"skip" in server ? server.skip : ""}`);

describe.skipIf(!url)("server engine", () => {
  let engine: ServerEngine | undefined;
  beforeAll(async () => {
    engine = await ServerEngine.create({ url: url! });
  });
  afterAll(async () => {
    await engine?.close();
    if ("stop" in server) await server.stop();
  });

  engineSuite(() => engine);

  describe("leaves nothing behind", () => {
    async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return await fn(c);
      } finally {
        await c.end();
      }
    }

    it("drops its throw-away database and the roles created during the run", async () => {
      const e = await ServerEngine.create({ url: url! });
      const db = e.description.match(/throw-away database (\S+)\)/)?.[1];
      expect(db).toMatch(/^migration_lint_/);
      await e.exec("CREATE ROLE mlv_test_leftover; CREATE TABLE t (a int)");
      await e.close();
      const left = await admin(async (c) => {
        const dbs = await c.query("SELECT 1 FROM pg_database WHERE datname = $1", [db]);
        const roles = await c.query("SELECT 1 FROM pg_roles WHERE rolname = 'mlv_test_leftover'");
        return dbs.rowCount! + roles.rowCount!;
      });
      expect(left).toBe(0);
    });

    it("in place: refuses a database with user tables unless allowed, and rolls everything back", async () => {
      await admin((c) => c.query("CREATE TABLE IF NOT EXISTS mlv_existing (a int)"));
      try {
        await expect(ServerEngine.create({ url: url!, inPlace: true })).rejects.toThrow(VerifyUsageError);
        await expect(ServerEngine.create({ url: url!, inPlace: true })).rejects.toThrow(/mlv_existing/);
        const e = await ServerEngine.create({ url: url!, inPlace: true, allowNonempty: true });
        await e.begin();
        await e.exec("CREATE TABLE mlv_created (a int)");
        await e.commit();
        await e.close();
        const created = await admin((c) => c.query("SELECT 1 FROM pg_class WHERE relname = 'mlv_created'"));
        expect(created.rowCount).toBe(0);
      } finally {
        await admin((c) => c.query("DROP TABLE IF EXISTS mlv_existing"));
      }
    });

    it("a bad URL is a clear usage error", async () => {
      await expect(ServerEngine.create({ url: "mysql://x" })).rejects.toThrow(/expected postgres:\/\//);
      await expect(ServerEngine.create({ url: "postgres://nobody:secret@127.0.0.1:1/db" })).rejects.toThrow(/cannot connect to postgres:\/\/nobody:\*\*\*@/);
    });
  });
});

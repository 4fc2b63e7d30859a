/** Shared by the verify tests: one PGlite per test file, migrations from SQL strings, and a reset between round-trip cases. */
import { afterAll, beforeAll } from "vitest";
import type { Migration } from "../../src/layout/types.js";
import { loadParser } from "../../src/parse/parse.js";
import type { Engine } from "../../src/verify/engine.js";
import { PgliteEngine } from "../../src/verify/pglite.js";
import { prepare, type PreparedScript } from "../../src/verify/script.js";

/**
 * One embedded PostgreSQL for the calling test file (it takes seconds to start): started before its
 * tests, with the parser loaded, and closed after them. Returns the engine's getter.
 */
export function sharedPglite(): () => PgliteEngine {
  let engine: PgliteEngine | undefined;
  beforeAll(async () => {
    await loadParser();
    engine = await PgliteEngine.create();
  });
  afterAll(async () => {
    await engine?.close();
  });
  return () => {
    if (!engine) throw new Error("the shared PGlite has not started");
    return engine;
  };
}

export function script(sql: string, path = "migration.sql"): Promise<PreparedScript> {
  return prepare({ path, text: sql });
}

export function migration(id: string, up: string, down?: string, extra: Partial<Migration> = {}): Migration {
  return {
    id,
    version: id.split("_")[0]!,
    name: id,
    up: { path: `${id}/up.sql`, text: up },
    ...(down === undefined ? {} : { down: { path: `${id}/down.sql`, text: down } }),
    expectsDown: true,
    downTarget: { kind: "file", path: `${id}/down.sql` },
    transactional: true,
    transactionReason: "test",
    ...extra,
  };
}

/**
 * Drops everything a round-trip case committed: every user schema (public is re-created as PostgreSQL
 * ships it), publications, extensions and the test roles, so the next case starts from an empty database.
 */
export async function resetDatabase(engine: Engine): Promise<void> {
  const schemas = await engine.query<{ n: string }>(
    `SELECT nspname AS n FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname NOT LIKE 'pg\\_%'`,
  );
  const pubs = await engine.query<{ n: string }>("SELECT pubname AS n FROM pg_publication");
  const exts = await engine.query<{ n: string }>("SELECT extname AS n FROM pg_extension WHERE extname <> 'plpgsql'");
  const sql = [
    ...pubs.map((p) => `DROP PUBLICATION "${p.n}"`),
    ...exts.map((x) => `DROP EXTENSION "${x.n}" CASCADE`),
    ...schemas.map((s) => `DROP SCHEMA "${s.n}" CASCADE`),
    "CREATE SCHEMA public",
    "ALTER SCHEMA public OWNER TO pg_database_owner",
    "GRANT USAGE ON SCHEMA public TO PUBLIC",
    "COMMENT ON SCHEMA public IS 'standard public schema'",
  ];
  for (const s of sql) await engine.exec(s);
  const roles = await engine.query<{ n: string }>("SELECT rolname AS n FROM pg_roles WHERE rolname LIKE 'mlv\\_test\\_%'");
  for (const r of roles) {
    await engine.exec(`DROP OWNED BY "${r.n}"`);
    await engine.exec(`DROP ROLE "${r.n}"`);
  }
}

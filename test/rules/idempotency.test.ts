import destructiveRequiresPreflight from "../../rules/destructive-requires-preflight.js";
import requireIdempotent from "../../rules/require-idempotent.js";
import { ruleTester } from "./tester.js";

const outside = { transactional: false };

ruleTester(requireIdempotent, {
  valid: [
    { name: "the runner wraps the migration", sql: "CREATE TABLE a (id int);\nCREATE INDEX a_i ON a (id);" },
    { name: "explicit transaction", ...outside, sql: "BEGIN;\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCOMMIT;" },
    { name: "single statement", ...outside, sql: "CREATE TABLE a (id int);" },
    { name: "single DO block", ...outside, sql: "DO $$ BEGIN ALTER TABLE a ADD COLUMN b int; ALTER TABLE a ADD COLUMN c int; END $$;" },
    { ...outside, sql: "CREATE TABLE IF NOT EXISTS a (id int);\nCREATE INDEX IF NOT EXISTS a_i ON a (id);\nALTER TABLE a ADD COLUMN IF NOT EXISTS b int;\nDROP TABLE IF EXISTS c;" },
    { ...outside, sql: "CREATE OR REPLACE VIEW v AS SELECT 1;\nCREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1';\nCREATE OR REPLACE TRIGGER t AFTER INSERT ON a FOR EACH ROW EXECUTE FUNCTION f();" },
    { name: "drizzle's duplicate_object guard", ...outside, sql: "DO $$ BEGIN CREATE TYPE s AS ENUM ('a'); EXCEPTION WHEN duplicate_object THEN null; END $$;\nDO $$ BEGIN ALTER TABLE t ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES b (id); EXCEPTION WHEN duplicate_object THEN null; END $$;" },
    { name: "IF NOT EXISTS guard", ...outside, sql: "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_type WHERE typname = 's') THEN CREATE TYPE s AS ENUM ('a'); END IF; END $$;\nCREATE TABLE IF NOT EXISTS t (a int);" },
    { name: "preceding DROP … IF EXISTS", ...outside, sql: "DROP POLICY IF EXISTS p ON t;\nCREATE POLICY p ON t USING (true);\nDROP TYPE IF EXISTS s;\nCREATE TYPE s AS ENUM ('a');\nALTER TABLE t DROP CONSTRAINT IF EXISTS c;\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);" },
    { name: "statements that succeed when re-run", ...outside, sql: "ALTER TABLE t ALTER COLUMN a TYPE bigint;\nALTER TABLE t ALTER COLUMN a SET NOT NULL;\nALTER TABLE t ALTER COLUMN a SET DEFAULT 0;" },
    { name: "unnamed constraint", ...outside, sql: "ALTER TABLE t ADD CHECK (a > 0);\nCREATE TABLE IF NOT EXISTS u (a int);" },
    { name: "CONCURRENTLY with IF NOT EXISTS", ...outside, sql: "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);" },
  ],
  invalid: [
    {
      ...outside,
      sql: "CREATE TABLE a (id int);\nCREATE INDEX a_i ON a (id);\nCREATE UNIQUE INDEX CONCURRENTLY a_j ON a (id);\nCREATE SEQUENCE s;\nCREATE SCHEMA app;\nCREATE EXTENSION pgcrypto;\nCREATE MATERIALIZED VIEW mv AS SELECT 1;",
      errors: ["ifNotExists", "ifNotExists", "ifNotExists", "ifNotExists", "ifNotExists", "ifNotExists", "ifNotExists"],
      output:
        "CREATE TABLE IF NOT EXISTS a (id int);\nCREATE INDEX IF NOT EXISTS a_i ON a (id);\nCREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS a_j ON a (id);\nCREATE SEQUENCE IF NOT EXISTS s;\nCREATE SCHEMA IF NOT EXISTS app;\nCREATE EXTENSION IF NOT EXISTS pgcrypto;\nCREATE MATERIALIZED VIEW IF NOT EXISTS mv AS SELECT 1;",
    },
    {
      ...outside,
      sql: "DROP TABLE a;\nDROP INDEX CONCURRENTLY i;\nDROP MATERIALIZED VIEW mv;\nDROP FUNCTION f(int);\nDROP TRIGGER t ON a;",
      errors: ["ifExists", "ifExists", "ifExists", "ifExists", "ifExists"],
      output: "DROP TABLE IF EXISTS a;\nDROP INDEX CONCURRENTLY IF EXISTS i;\nDROP MATERIALIZED VIEW IF EXISTS mv;\nDROP FUNCTION IF EXISTS f(int);\nDROP TRIGGER IF EXISTS t ON a;",
    },
    {
      ...outside,
      sql: "ALTER TABLE a ADD COLUMN b int, ADD c text;\nALTER TABLE a DROP COLUMN d;\nALTER TABLE a DROP CONSTRAINT k;",
      errors: ["ifNotExists", "ifNotExists", "ifExists", "ifExists"],
      output: "ALTER TABLE a ADD COLUMN IF NOT EXISTS b int, ADD IF NOT EXISTS c text;\nALTER TABLE a DROP COLUMN IF EXISTS d;\nALTER TABLE a DROP CONSTRAINT IF EXISTS k;",
    },
    {
      ...outside,
      sql: "CREATE VIEW v AS SELECT 1;\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1';\nCREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW EXECUTE FUNCTION f();\nALTER TYPE s ADD VALUE 'x';",
      errors: ["orReplace", "orReplace", "orReplace", "ifNotExists"],
      output: "CREATE OR REPLACE VIEW v AS SELECT 1;\nCREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1';\nCREATE OR REPLACE TRIGGER t AFTER INSERT ON a FOR EACH ROW EXECUTE FUNCTION f();\nALTER TYPE s ADD VALUE IF NOT EXISTS 'x';",
    },
    { name: "no OR REPLACE TRIGGER before PostgreSQL 14", ...outside, pgVersion: 13, sql: "CREATE TRIGGER t AFTER INSERT ON a FOR EACH ROW EXECUTE FUNCTION f();\nCREATE TABLE IF NOT EXISTS b (a int);", errors: ["needsGuard"] },
    { name: "objects without IF NOT EXISTS", ...outside, sql: "CREATE TYPE s AS ENUM ('a');\nCREATE POLICY p ON t USING (true);\nCREATE DOMAIN d AS int;\nALTER TABLE t ADD CONSTRAINT c CHECK (a > 0);", errors: ["needsGuard", "needsGuard", "needsGuard", "needsGuard"] },
    { name: "unnamed index", ...outside, sql: "CREATE INDEX ON t (a);\nCREATE TABLE IF NOT EXISTS u (a int);", errors: ["unnamedIndex"] },
    { name: "CONCURRENTLY even in a single-statement file", sql: "CREATE INDEX CONCURRENTLY i ON t (a);", ...outside, errors: ["ifNotExists"], output: "CREATE INDEX CONCURRENTLY IF NOT EXISTS i ON t (a);" },
    { name: "evenInTransaction option", options: { evenInTransaction: true }, sql: "CREATE TABLE a (id int);", errors: ["ifNotExists"] },
    { name: "guard for a different condition", ...outside, sql: "DO $$ BEGIN CREATE TYPE s AS ENUM ('a'); EXCEPTION WHEN undefined_object THEN null; END $$;\nCREATE TABLE IF NOT EXISTS t (a int);", errors: ["needsGuard"] },
  ],
});

ruleTester(destructiveRequiresPreflight, {
  valid: [
    "DO $$ BEGIN RAISE NOTICE 'legacy: % rows', (SELECT count(*) FROM legacy); END $$;\nDROP TABLE legacy;",
    "DO $$ DECLARE n bigint; BEGIN SELECT count(*) INTO n FROM sessions; IF n > 0 THEN RAISE EXCEPTION 'sessions not empty: %', n; END IF; END $$;\nTRUNCATE sessions;",
    { sql: "CREATE TABLE t (a int);\nDROP TABLE t;" },
    { name: "widening type change", history: ["CREATE TABLE t (a varchar(10));"], sql: "ALTER TABLE t ALTER COLUMN a TYPE text;" },
  ],
  invalid: [
    { sql: "DROP TABLE legacy;", errors: [{ messageId: "destructive", data: { table: "legacy" } }] },
    { sql: "ALTER TABLE users DROP COLUMN legacy_id;", errors: [{ messageId: "destructive", data: { what: "DROP COLUMN legacy_id" } }] },
    { sql: "DELETE FROM sessions WHERE expired;", errors: ["destructive"] },
    { name: "preflight on another table", sql: "DO $$ BEGIN RAISE NOTICE '%', (SELECT count(*) FROM other); END $$;\nTRUNCATE sessions;", errors: ["destructive"] },
    { name: "preflight after the drop", sql: "DROP TABLE legacy;\nDO $$ BEGIN RAISE NOTICE '%', (SELECT count(*) FROM legacy); END $$;", errors: ["destructive"] },
    { name: "narrowing type change", history: ["CREATE TABLE t (a varchar(100), b bigint);"], sql: "ALTER TABLE t ALTER COLUMN a TYPE varchar(10), ALTER COLUMN b TYPE int;", errors: ["destructive", "destructive"] },
  ],
});

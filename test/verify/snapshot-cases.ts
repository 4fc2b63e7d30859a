/**
 * One case per kind of difference the snapshot must catch, and cases where re-creating the same schema
 * must give the same snapshot. Run against every engine by `engine-suite.ts`.
 */

export interface DiffCase {
  name: string;
  /** Runs before the first snapshot. */
  setup: string;
  /** Runs between the two snapshots. */
  change: string;
  /** The path (joined with " › ") of a difference the diff must report, and its kind. */
  path: string;
  kind: "added" | "removed" | "changed";
}

export const DIFF_CASES: DiffCase[] = [
  { name: "schema", setup: "", change: "CREATE SCHEMA app", path: "schema app", kind: "added" },
  { name: "table", setup: "CREATE TABLE t (a int)", change: "DROP TABLE t", path: "table public.t", kind: "removed" },
  { name: "column", setup: "CREATE TABLE t (a int)", change: "ALTER TABLE t ADD COLUMN b text", path: "table public.t › column b", kind: "added" },
  { name: "column type", setup: "CREATE TABLE t (a int)", change: "ALTER TABLE t ALTER a TYPE bigint", path: "table public.t › column a › type", kind: "changed" },
  { name: "column not null", setup: "CREATE TABLE t (a int)", change: "ALTER TABLE t ALTER a SET NOT NULL", path: "table public.t › column a › not null", kind: "changed" },
  { name: "column default", setup: "CREATE TABLE t (a int)", change: "ALTER TABLE t ALTER a SET DEFAULT 1", path: "table public.t › column a › default", kind: "changed" },
  {
    name: "column identity",
    setup: "CREATE TABLE t (a int NOT NULL)",
    change: "ALTER TABLE t ALTER a ADD GENERATED ALWAYS AS IDENTITY",
    path: "table public.t › column a › identity",
    kind: "changed",
  },
  {
    name: "generated column",
    setup: "CREATE TABLE t (a int, b int GENERATED ALWAYS AS (a * 2) STORED)",
    change: "ALTER TABLE t DROP b; ALTER TABLE t ADD b int GENERATED ALWAYS AS (a * 3) STORED",
    path: "table public.t › column b › generated",
    kind: "changed",
  },
  {
    name: "column collation",
    setup: "CREATE TABLE t (a text)",
    change: `ALTER TABLE t ALTER a TYPE text COLLATE "C"`,
    path: "table public.t › column a › collation",
    kind: "changed",
  },
  {
    name: "check constraint",
    setup: "CREATE TABLE t (a int CONSTRAINT a_positive CHECK (a > 0))",
    change: "ALTER TABLE t DROP CONSTRAINT a_positive; ALTER TABLE t ADD CONSTRAINT a_positive CHECK (a >= 0)",
    path: "table public.t › constraint a_positive › definition",
    kind: "changed",
  },
  {
    name: "foreign key action",
    setup: "CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (p int REFERENCES p ON DELETE CASCADE)",
    change: "ALTER TABLE c DROP CONSTRAINT c_p_fkey; ALTER TABLE c ADD CONSTRAINT c_p_fkey FOREIGN KEY (p) REFERENCES p ON DELETE SET NULL",
    path: "table public.c › constraint c_p_fkey › definition",
    kind: "changed",
  },
  {
    name: "unique constraint",
    setup: "CREATE TABLE t (a int)",
    change: "ALTER TABLE t ADD CONSTRAINT t_a_key UNIQUE (a)",
    path: "table public.t › constraint t_a_key",
    kind: "added",
  },
  {
    name: "index",
    setup: "CREATE TABLE t (a int); CREATE INDEX t_a_idx ON t (a)",
    change: "DROP INDEX t_a_idx; CREATE INDEX t_a_idx ON t (a) WHERE a > 0",
    path: "index public.t_a_idx › definition",
    kind: "changed",
  },
  {
    name: "enum label",
    setup: "CREATE TYPE mood AS ENUM ('sad', 'happy')",
    change: "ALTER TYPE mood ADD VALUE 'meh' BEFORE 'happy'",
    path: "enum public.mood › labels",
    kind: "changed",
  },
  {
    name: "domain",
    setup: "CREATE DOMAIN positive AS int CHECK (VALUE > 0)",
    change: "ALTER DOMAIN positive SET DEFAULT 1",
    path: "domain public.positive › default",
    kind: "changed",
  },
  {
    name: "domain constraint",
    setup: "CREATE DOMAIN positive AS int CONSTRAINT positive_check CHECK (VALUE > 0)",
    change: "ALTER DOMAIN positive DROP CONSTRAINT positive_check; ALTER DOMAIN positive ADD CONSTRAINT positive_check CHECK (VALUE > 1)",
    path: "domain public.positive › constraint positive_check › definition",
    kind: "changed",
  },
  {
    name: "composite type",
    setup: "CREATE TYPE pair AS (x int)",
    change: "ALTER TYPE pair ADD ATTRIBUTE y text",
    path: "composite type public.pair › column y",
    kind: "added",
  },
  { name: "sequence", setup: "CREATE SEQUENCE s", change: "ALTER SEQUENCE s INCREMENT BY 2", path: "sequence public.s › increment", kind: "changed" },
  {
    name: "sequence owned by",
    setup: "CREATE TABLE t (a int); CREATE SEQUENCE s",
    change: "ALTER SEQUENCE s OWNED BY t.a",
    path: "sequence public.s › owned by",
    kind: "changed",
  },
  {
    name: "view",
    setup: "CREATE VIEW v AS SELECT 1 AS x",
    change: "CREATE OR REPLACE VIEW v AS SELECT 2 AS x",
    path: "view public.v › definition",
    kind: "changed",
  },
  {
    name: "materialized view",
    setup: "CREATE TABLE t (a int)",
    change: "CREATE MATERIALIZED VIEW m AS SELECT a FROM t",
    path: "materialized view public.m",
    kind: "added",
  },
  {
    name: "function",
    setup: "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    change: "CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 2'",
    path: "function public.f() › definition",
    kind: "changed",
  },
  {
    name: "trigger",
    setup:
      "CREATE TABLE t (a int); CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';" +
      " CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf()",
    change: "DROP TRIGGER tr ON t; CREATE TRIGGER tr BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION tf()",
    path: "table public.t › trigger tr › definition",
    kind: "changed",
  },
  {
    name: "trigger enabled",
    setup:
      "CREATE TABLE t (a int); CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';" +
      " CREATE TRIGGER tr BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf()",
    change: "ALTER TABLE t DISABLE TRIGGER tr",
    path: "table public.t › trigger tr › enabled",
    kind: "changed",
  },
  {
    name: "policy",
    setup: "CREATE TABLE t (a int); CREATE POLICY p ON t USING (true)",
    change: "ALTER POLICY p ON t USING (a > 0)",
    path: "table public.t › policy p › using",
    kind: "changed",
  },
  {
    name: "row level security",
    setup: "CREATE TABLE t (a int)",
    change: "ALTER TABLE t ENABLE ROW LEVEL SECURITY",
    path: "table public.t › row level security",
    kind: "changed",
  },
  {
    name: "force row level security",
    setup: "CREATE TABLE t (a int)",
    change: "ALTER TABLE t FORCE ROW LEVEL SECURITY",
    path: "table public.t › force row level security",
    kind: "changed",
  },
  { name: "table comment", setup: "CREATE TABLE t (a int)", change: "COMMENT ON TABLE t IS 'x'", path: "table public.t › comment", kind: "changed" },
  {
    name: "column comment",
    setup: "CREATE TABLE t (a int)",
    change: "COMMENT ON COLUMN t.a IS 'x'",
    path: "table public.t › column a › comment",
    kind: "changed",
  },
  {
    name: "function comment",
    setup: "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'",
    change: "COMMENT ON FUNCTION f() IS 'x'",
    path: "function public.f() › comment",
    kind: "changed",
  },
  {
    name: "table privileges",
    setup: "CREATE ROLE mlv_test_reader; CREATE TABLE t (a int)",
    change: "GRANT SELECT ON t TO mlv_test_reader",
    path: "table public.t › privileges",
    kind: "changed",
  },
  {
    name: "column privileges",
    setup: "CREATE ROLE mlv_test_reader; CREATE TABLE t (a int)",
    change: "GRANT SELECT (a) ON t TO mlv_test_reader",
    path: "table public.t › column a › privileges",
    kind: "changed",
  },
  {
    name: "schema privileges",
    setup: "CREATE ROLE mlv_test_reader",
    change: "GRANT USAGE ON SCHEMA public TO mlv_test_reader",
    path: "schema public › privileges",
    kind: "changed",
  },
  {
    name: "owner",
    setup: "CREATE ROLE mlv_test_owner; CREATE TABLE t (a int)",
    change: "ALTER TABLE t OWNER TO mlv_test_owner",
    path: "table public.t › owner",
    kind: "changed",
  },
  {
    name: "default privileges",
    setup: "CREATE ROLE mlv_test_reader",
    change: "ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT ON TABLES TO mlv_test_reader",
    path: "default privileges tables of",
    kind: "added",
  },
  { name: "extension", setup: "", change: "CREATE EXTENSION pgcrypto", path: "extension pgcrypto", kind: "added" },
  {
    name: "publication",
    setup: "CREATE TABLE t (a int); CREATE PUBLICATION pub",
    change: "ALTER PUBLICATION pub ADD TABLE t",
    path: "publication pub › tables",
    kind: "changed",
  },
  {
    name: "partition",
    setup: "CREATE TABLE p (a int) PARTITION BY RANGE (a); CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10)",
    change: "ALTER TABLE p DETACH PARTITION p1",
    path: "table public.p1 › partition bound",
    kind: "changed",
  },
  {
    name: "unlogged",
    setup: "CREATE TABLE t (a int)",
    change: "ALTER TABLE t SET UNLOGGED",
    path: "table public.t › unlogged",
    kind: "changed",
  },
  {
    name: "statistics object",
    setup: "CREATE TABLE t (a int, b int)",
    change: "CREATE STATISTICS st (dependencies) ON a, b FROM t",
    path: "statistics public.st",
    kind: "added",
  },
];

export interface SameCase {
  name: string;
  setup: string;
  /** After it, the snapshot must equal the one taken after setup. */
  change: string;
}

const FULL_TABLE = `
CREATE TABLE p (id bigserial PRIMARY KEY, email text NOT NULL DEFAULT '' UNIQUE, n int GENERATED BY DEFAULT AS IDENTITY);
CREATE TABLE c (id serial PRIMARY KEY, p_id bigint REFERENCES p (id) ON DELETE CASCADE, CHECK (id > 0));
CREATE INDEX c_p_id_idx ON c (p_id);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER c_touch BEFORE UPDATE ON c FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE c ENABLE ROW LEVEL SECURITY;
CREATE POLICY c_all ON c USING (p_id > 0);
COMMENT ON TABLE c IS 'children';`;

export const SAME_CASES: SameCase[] = [
  {
    name: "tables dropped and re-created with the same definition (new OIDs)",
    setup: FULL_TABLE,
    change: `DROP TABLE c; DROP TABLE p; DROP FUNCTION touch(); ${FULL_TABLE}`,
  },
  {
    name: "GRANT then REVOKE (explicit ACL equal to the default)",
    setup: "CREATE ROLE mlv_test_reader; CREATE TABLE t (a int)",
    change: "GRANT SELECT ON t TO mlv_test_reader; REVOKE SELECT ON t FROM mlv_test_reader",
  },
  {
    name: "NOT NULL dropped and set again on a renamed table (PostgreSQL 18 names the constraint anew)",
    setup: "CREATE TABLE t (a int NOT NULL); ALTER TABLE t RENAME TO u",
    change: "ALTER TABLE u ALTER a DROP NOT NULL; ALTER TABLE u ALTER a SET NOT NULL",
  },
  {
    name: "enum re-created with the same labels",
    setup: "CREATE TYPE mood AS ENUM ('a', 'b')",
    change: "DROP TYPE mood; CREATE TYPE mood AS ENUM ('a', 'b')",
  },
  {
    name: "view re-created",
    setup: "CREATE TABLE t (a int); CREATE VIEW v AS SELECT a FROM t",
    change: "DROP VIEW v; CREATE VIEW v AS SELECT a FROM t",
  },
  {
    name: "search_path changed by a migration",
    setup: "CREATE SCHEMA app; CREATE TABLE app.t (a int PRIMARY KEY); CREATE TABLE t (b int REFERENCES app.t (a) DEFERRABLE)",
    change: "SET search_path = app, public",
  },
];

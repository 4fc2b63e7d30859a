import addingAutoIncrementColumn from "../../rules/adding-auto-increment-column.js";
import addingFieldWithDefault from "../../rules/adding-field-with-default.js";
import addingNotNullableField from "../../rules/adding-not-nullable-field.js";
import addingRequiredField from "../../rules/adding-required-field.js";
import addingStoredGeneratedColumn from "../../rules/adding-stored-generated-column.js";
import banDropNotNull from "../../rules/ban-drop-not-null.js";
import changingColumnType from "../../rules/changing-column-type.js";
import { ruleTester } from "./tester.js";

const users = "CREATE TABLE users (id bigint PRIMARY KEY, email varchar(100), name text, score integer, seen_at timestamp, ip cidr, price numeric(10,2));";

ruleTester(addingFieldWithDefault, {
  valid: [
    "ALTER TABLE users ADD COLUMN created_at timestamptz DEFAULT now();",
    "ALTER TABLE users ADD COLUMN flags jsonb NOT NULL DEFAULT '{}'::jsonb;",
    "ALTER TABLE users ADD COLUMN n integer DEFAULT 2 + 2;",
    "ALTER TABLE users ADD COLUMN k bytea DEFAULT decode('00', 'hex');",
    "ALTER TABLE users ADD COLUMN s text DEFAULT -1;",
    "ALTER TABLE users ADD COLUMN d date DEFAULT CURRENT_DATE;",
    { name: "table created in the same migration", sql: "CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN token uuid DEFAULT gen_random_uuid();" },
    { name: "table created by a migration not applied yet", pending: ["CREATE TABLE t (id int);"], sql: "ALTER TABLE t ADD COLUMN token uuid DEFAULT gen_random_uuid();" },
    { name: "user function declared STABLE", history: ["CREATE FUNCTION tenant() RETURNS int LANGUAGE sql STABLE AS 'select 1';"], sql: "ALTER TABLE users ADD COLUMN tenant int DEFAULT tenant();" },
    { name: "inside a DO block, constant default", sql: "DO $$ BEGIN ALTER TABLE users ADD COLUMN a int DEFAULT 0; EXCEPTION WHEN duplicate_column THEN NULL; END $$;" },
  ],
  invalid: [
    { sql: "ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid();", errors: [{ messageId: "volatileDefault", at: "1:49", data: { fn: "gen_random_uuid", table: "users", column: "token" } }] },
    { sql: "ALTER TABLE users ADD COLUMN r float8 DEFAULT random() * 10;", errors: [{ messageId: "volatileDefault", data: { fn: "random" } }] },
    { sql: "ALTER TABLE users ADD COLUMN t timestamptz DEFAULT clock_timestamp();", errors: ["volatileDefault"] },
    { sql: 'CREATE EXTENSION IF NOT EXISTS "uuid-ossp";\nALTER TABLE users ADD COLUMN u uuid DEFAULT uuid_generate_v4();', errors: [{ messageId: "volatileDefault", data: { fn: "uuid_generate_v4" } }] },
    { name: "unknown function", sql: "ALTER TABLE users ADD COLUMN x jsonb DEFAULT my_json();", errors: [{ messageId: "unknownFunction", data: { fn: "my_json" } }] },
    { name: "user function without volatility is VOLATILE", history: ["CREATE FUNCTION tenant() RETURNS int LANGUAGE sql AS 'select 1';"], sql: "ALTER TABLE users ADD COLUMN tenant int DEFAULT tenant();", errors: ["volatileDefault"] },
    { name: "any default before PostgreSQL 11", pgVersion: 10, sql: "ALTER TABLE users ADD COLUMN active boolean DEFAULT true;", errors: [{ messageId: "defaultBeforePg11", at: "1:30" }] },
    { name: "table created by an applied migration", history: ["CREATE TABLE t (id int);"], sql: "ALTER TABLE t ADD COLUMN token uuid DEFAULT gen_random_uuid();", errors: ["volatileDefault"] },
    { name: "inside a DO block", sql: "DO $$ BEGIN ALTER TABLE users ADD COLUMN token uuid DEFAULT gen_random_uuid(); EXCEPTION WHEN duplicate_column THEN NULL; END $$;", errors: ["volatileDefault"] },
  ],
});

ruleTester(addingStoredGeneratedColumn, {
  valid: [
    "ALTER TABLE orders ADD COLUMN total numeric GENERATED ALWAYS AS (price * qty) VIRTUAL;",
    "CREATE TABLE orders (price numeric, qty int, total numeric GENERATED ALWAYS AS (price * qty) STORED);",
  ],
  invalid: [{ sql: "ALTER TABLE orders ADD COLUMN total numeric GENERATED ALWAYS AS (price * qty) STORED;", errors: [{ messageId: "stored", data: { column: "total", table: "orders" } }] }],
});

ruleTester(addingAutoIncrementColumn, {
  valid: ["CREATE TABLE events (id bigserial PRIMARY KEY);", { sql: "CREATE TABLE e (x int);\nALTER TABLE e ADD COLUMN id bigserial;" }, "ALTER TABLE events ADD COLUMN id bigint;"],
  invalid: [
    { sql: "ALTER TABLE events ADD COLUMN id bigserial;", errors: [{ messageId: "serial", at: "1:34", data: { type: "bigserial" } }] },
    { sql: "ALTER TABLE events ADD COLUMN id int GENERATED ALWAYS AS IDENTITY;", errors: ["identity"] },
  ],
});

ruleTester(addingRequiredField, {
  valid: [
    "ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL DEFAULT 0;",
    "ALTER TABLE users ADD COLUMN tenant_id bigint;",
    "ALTER TABLE users ADD COLUMN id bigint GENERATED ALWAYS AS IDENTITY NOT NULL;",
    "ALTER TABLE users ADD COLUMN id bigserial NOT NULL;",
    { sql: "CREATE TABLE t (id int);\nALTER TABLE t ADD COLUMN x int NOT NULL;" },
  ],
  invalid: [
    { sql: "ALTER TABLE users ADD COLUMN tenant_id bigint NOT NULL;", errors: [{ messageId: "required", at: "1:30" }] },
    { name: "renamed table is not new", history: ["CREATE TABLE a (id int);"], sql: "ALTER TABLE a RENAME TO b;\nALTER TABLE b ADD COLUMN x int NOT NULL;", errors: ["required"] },
  ],
});

ruleTester(addingNotNullableField, {
  valid: [
    { name: "recipe in one migration, each step committed", transactional: false, sql: "ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL) NOT VALID;\nALTER TABLE users VALIDATE CONSTRAINT c;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;" },
    { name: "recipe across migrations", history: [users, "ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL) NOT VALID;", "ALTER TABLE users VALIDATE CONSTRAINT c;"], sql: "ALTER TABLE users ALTER COLUMN email SET NOT NULL;" },
    { name: "valid check added earlier", history: [users, "ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL AND length(email) > 3);"], sql: "ALTER TABLE users ALTER COLUMN email SET NOT NULL;" },
    { name: "check NOT VALID in history, validated here", history: [users, "ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL) NOT VALID;"], sql: "ALTER TABLE users VALIDATE CONSTRAINT c;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;" },
    { name: "column already NOT NULL", history: ["CREATE TABLE t (a int NOT NULL);"], sql: "ALTER TABLE t ALTER COLUMN a SET NOT NULL;" },
    { sql: "CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a SET NOT NULL;" },
  ],
  invalid: [
    { sql: "ALTER TABLE users ALTER COLUMN email SET NOT NULL;", errors: [{ messageId: "setNotNull", data: { table: "users", column: "email" } }] },
    { name: "check not validated", history: [users, "ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL) NOT VALID;"], sql: "ALTER TABLE users ALTER COLUMN email SET NOT NULL;", errors: ["setNotNull"] },
    { name: "check on another column", history: [users, "ALTER TABLE users ADD CONSTRAINT c CHECK (name IS NOT NULL);"], sql: "ALTER TABLE users ALTER COLUMN email SET NOT NULL;", errors: ["setNotNull"] },
    { name: "OR does not prove", history: [users, "ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL OR name IS NOT NULL);"], sql: "ALTER TABLE users ALTER COLUMN email SET NOT NULL;", errors: ["setNotNull"] },
    { name: "recipe before PostgreSQL 12", pgVersion: 11, history: [users, "ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL);"], sql: "ALTER TABLE users ALTER COLUMN email SET NOT NULL;", errors: ["setNotNullBeforePg12"] },
    { name: "check dropped again", history: [users, "ALTER TABLE users ADD CONSTRAINT c CHECK (email IS NOT NULL);"], sql: "ALTER TABLE users DROP CONSTRAINT c;\nALTER TABLE users ALTER COLUMN email SET NOT NULL;", errors: ["setNotNull"] },
  ],
});

ruleTester(changingColumnType, {
  valid: [
    { name: "varchar(n) → text", history: [users], sql: "ALTER TABLE users ALTER COLUMN email TYPE text;" },
    { name: "varchar widening", history: [users], sql: "ALTER TABLE users ALTER COLUMN email TYPE varchar(200);" },
    { name: "varchar without limit", history: [users], sql: "ALTER TABLE users ALTER COLUMN email TYPE varchar;" },
    { name: "text → varchar (no limit)", history: [users], sql: "ALTER TABLE users ALTER COLUMN name TYPE varchar;" },
    { name: "numeric precision up, same scale", history: [users], sql: "ALTER TABLE users ALTER COLUMN price TYPE numeric(12,2);" },
    { name: "numeric unconstrained", history: [users], sql: "ALTER TABLE users ALTER COLUMN price TYPE numeric;" },
    { name: "cidr → inet", history: [users], sql: "ALTER TABLE users ALTER COLUMN ip TYPE inet;" },
    { name: "same type", history: [users], sql: "ALTER TABLE users ALTER COLUMN score TYPE int4;" },
    { name: "trivial USING", history: [users], sql: "ALTER TABLE users ALTER COLUMN email TYPE text USING email::text;" },
    { name: "timestamptz with a UTC session", history: [users], sql: "SET timezone = 'UTC';\nALTER TABLE users ALTER COLUMN seen_at TYPE timestamptz;" },
    { name: "table created in this migration", sql: "CREATE TABLE t (a int);\nALTER TABLE t ALTER COLUMN a TYPE bigint;" },
    { name: "collation change on an unindexed column", history: [users], sql: 'ALTER TABLE users ALTER COLUMN name TYPE text COLLATE "C";' },
  ],
  invalid: [
    { name: "int → bigint", history: [users], sql: "ALTER TABLE users ALTER COLUMN score TYPE bigint;", errors: [{ messageId: "rewrite", data: { from: "integer", to: "bigint" } }] },
    { name: "varchar shrink", history: [users], sql: "ALTER TABLE users ALTER COLUMN email TYPE varchar(50);", errors: [{ messageId: "rewrite", data: { reason: "the length limit shrinks" } }] },
    { name: "text → varchar(n)", history: [users], sql: "ALTER TABLE users ALTER COLUMN name TYPE varchar(20);", errors: ["rewrite"] },
    { name: "numeric scale change", history: [users], sql: "ALTER TABLE users ALTER COLUMN price TYPE numeric(12,3);", errors: ["rewrite"] },
    { name: "USING computes", history: [users], sql: "ALTER TABLE users ALTER COLUMN name TYPE text USING lower(name);", errors: [{ messageId: "rewrite", data: { reason: "the USING expression computes new values" } }] },
    { name: "timestamp → timestamptz without UTC", history: [users], sql: "ALTER TABLE users ALTER COLUMN seen_at TYPE timestamptz;", errors: ["timezone"] },
    { name: "timestamp → timestamptz before 12", pgVersion: 11, history: [users], sql: "ALTER TABLE users ALTER COLUMN seen_at TYPE timestamptz;", errors: ["rewrite"] },
    { name: "unknown current type", sql: "ALTER TABLE legacy ALTER COLUMN a TYPE bigint;", errors: ["unknownType"] },
    { name: "collation change rebuilds indexes", history: [users, "CREATE INDEX users_name_idx ON users (name);"], sql: 'ALTER TABLE users ALTER COLUMN name TYPE text COLLATE "C";', errors: [{ messageId: "collation", data: { indexes: "users_name_idx" } }] },
  ],
});

ruleTester(banDropNotNull, {
  valid: ["ALTER TABLE users ALTER COLUMN email SET DEFAULT '';", { sql: "CREATE TABLE t (a int NOT NULL);\nALTER TABLE t ALTER COLUMN a DROP NOT NULL;" }],
  invalid: [{ sql: "ALTER TABLE users ALTER COLUMN email DROP NOT NULL;", errors: [{ messageId: "dropNotNull", data: { column: "email" } }] }],
});

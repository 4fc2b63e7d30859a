import banDropColumn from "../../rules/ban-drop-column.js";
import banDropDatabase from "../../rules/ban-drop-database.js";
import banDropSchema from "../../rules/ban-drop-schema.js";
import banDropTable from "../../rules/ban-drop-table.js";
import banTruncateCascade from "../../rules/ban-truncate-cascade.js";
import dmlWithoutWhere from "../../rules/dml-without-where.js";
import renamingColumn from "../../rules/renaming-column.js";
import renamingTable from "../../rules/renaming-table.js";
import requireLockTimeout from "../../rules/require-lock-timeout.js";
import requireStatementTimeout from "../../rules/require-statement-timeout.js";
import setLoggedUnlogged from "../../rules/set-logged-unlogged.js";
import statementAfterAccessExclusive from "../../rules/statement-after-access-exclusive.js";
import vacuumFullOrCluster from "../../rules/vacuum-full-or-cluster.js";
import { ruleTester } from "./tester.js";

ruleTester(requireLockTimeout, {
  valid: [
    "SET lock_timeout = '2s';\nALTER TABLE users ADD COLUMN a text;",
    "SET LOCAL lock_timeout TO '2s';\nALTER TABLE users ADD COLUMN a text;",
    "SELECT set_config('lock_timeout', '2s', true);\nALTER TABLE users ADD COLUMN a text;",
    { name: "the runner sets it", timeoutsSetByRunner: true, sql: "ALTER TABLE users ADD COLUMN a text;" },
    { name: "only new tables", sql: "CREATE TABLE t (a int);\nCREATE INDEX ON t (a);\nALTER TABLE t ADD COLUMN b int;" },
    { name: "locks that block nobody", sql: "COMMENT ON TABLE users IS 'x';\nCREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'select 1';" },
    { name: "concurrent index", transactional: false, sql: "CREATE INDEX CONCURRENTLY i ON users (a);" },
  ],
  invalid: [
    { sql: "ALTER TABLE users ADD COLUMN a text;", errors: [{ messageId: "missing", at: "1:1", data: { mode: "ACCESS EXCLUSIVE", table: "users" } }], output: "SET LOCAL lock_timeout = '2s';\nALTER TABLE users ADD COLUMN a text;" },
    { name: "outside a transaction: SET", transactional: false, sql: "CREATE TABLE t (a int);\nCREATE INDEX i ON users (a);", errors: [{ messageId: "missing", at: "2:1", data: { mode: "SHARE" } }], output: "CREATE TABLE t (a int);\nSET lock_timeout = '2s';\nCREATE INDEX i ON users (a);" },
    { name: "a new table referencing an existing one", sql: "CREATE TABLE orders (user_id bigint REFERENCES users (id));", errors: [{ messageId: "missing", data: { mode: "SHARE ROW EXCLUSIVE", table: "users" } }] },
    { name: "zero means no timeout", sql: "SET lock_timeout = 0;\nALTER TABLE users ADD COLUMN a text;", errors: ["missing"] },
    { name: "SET LOCAL ends with its transaction", transactional: false, sql: "BEGIN;\nSET LOCAL lock_timeout = '1s';\nCOMMIT;\nALTER TABLE users ADD COLUMN a text;", errors: [{ messageId: "missing", at: "4:1" }] },
    { name: "reset", sql: "SET lock_timeout = '1s';\nRESET lock_timeout;\nDROP TABLE users;", errors: ["missing"] },
    { name: "renames lock too", sql: "ALTER TABLE users RENAME COLUMN a TO b;", errors: [{ messageId: "missing", data: { mode: "ACCESS EXCLUSIVE" } }] },
    { name: "drop index locks its table", history: ["CREATE TABLE t (a int);", "CREATE INDEX i ON t (a);"], sql: "DROP INDEX i;", errors: [{ messageId: "missing", data: { table: "public.t" } }] },
  ],
});

ruleTester(requireStatementTimeout, {
  valid: ["SET statement_timeout = '5min';\nCREATE INDEX i ON users (a);", { timeoutsSetByRunner: true, sql: "CREATE INDEX i ON users (a);" }],
  invalid: [{ sql: "CREATE INDEX i ON users (a);", errors: [{ messageId: "missing", data: { mode: "SHARE" } }], output: "SET LOCAL statement_timeout = '5s';\nCREATE INDEX i ON users (a);" }],
});

ruleTester(statementAfterAccessExclusive, {
  valid: [
    "ALTER TABLE orders ADD COLUMN a int;\nALTER TABLE orders ADD COLUMN b int;",
    { name: "separate transactions", transactional: false, sql: "ALTER TABLE orders ADD COLUMN a int;\nCREATE INDEX i ON orders (a);" },
    { name: "the slow step comes first", sql: "CREATE INDEX i ON orders (a);\nALTER TABLE orders ADD COLUMN b int;" },
    { name: "work on new tables", sql: "ALTER TABLE orders ADD COLUMN a int;\nCREATE TABLE t (a int);\nCREATE INDEX ON t (a);\nINSERT INTO t VALUES (1);" },
    { name: "lock on a new table only", sql: "CREATE TABLE t (a int);\nALTER TABLE t ADD COLUMN b int;\nCREATE INDEX ON orders (a);" },
  ],
  invalid: [
    { sql: "ALTER TABLE orders ADD COLUMN a int;\nCREATE INDEX i ON orders (a);", errors: [{ messageId: "slowWork", at: "2:1", data: { table: "orders", line: 1, reason: "builds an index" } }] },
    { name: "backfill after the lock", sql: "ALTER TABLE orders ADD COLUMN a int;\nUPDATE orders SET a = 1 WHERE a IS NULL;", errors: [{ messageId: "slowWork", data: { reason: "updates rows" } }] },
    { name: "a lock on another table", sql: "ALTER TABLE orders ADD COLUMN a int;\nALTER TABLE users ADD COLUMN b int;", errors: [{ messageId: "anotherLock", data: { other: "users", mode: "ACCESS EXCLUSIVE" } }] },
    { name: "validation after the lock", sql: "ALTER TABLE orders ALTER COLUMN a SET DEFAULT 0;\nALTER TABLE orders VALIDATE CONSTRAINT c;", errors: ["slowWork"] },
    { name: "reported once per transaction", sql: "ALTER TABLE orders ADD COLUMN a int;\nCREATE INDEX i ON orders (a);\nCREATE INDEX j ON orders (a);", errors: ["slowWork"] },
  ],
});

ruleTester(setLoggedUnlogged, {
  valid: ["CREATE UNLOGGED TABLE s (a int);", { sql: "CREATE TABLE t (a int);\nALTER TABLE t SET UNLOGGED;" }],
  invalid: [
    { sql: "ALTER TABLE page_views SET LOGGED;", errors: [{ messageId: "rewrite", data: { what: "SET LOGGED" } }] },
    { sql: "ALTER TABLE page_views SET UNLOGGED;", errors: [{ messageId: "rewrite", data: { what: "SET UNLOGGED" } }] },
    { sql: "ALTER TABLE page_views SET TABLESPACE fast;", errors: [{ messageId: "rewrite", data: { what: "SET TABLESPACE" } }] },
  ],
});

ruleTester(vacuumFullOrCluster, {
  valid: [{ sql: "VACUUM (ANALYZE) t;", transactional: false }, { sql: "CREATE TABLE t (a int);\nVACUUM FULL t;", transactional: false }],
  invalid: [
    { sql: "VACUUM FULL events;", transactional: false, errors: [{ messageId: "vacuumFull", data: { target: "events" } }] },
    { sql: "VACUUM (FULL, ANALYZE) events;", transactional: false, errors: ["vacuumFull"] },
    { sql: "CLUSTER events USING events_pkey;", errors: [{ messageId: "cluster", data: { target: "events" } }] },
  ],
});

ruleTester(dmlWithoutWhere, {
  valid: ["UPDATE users SET a = 1 WHERE id < 100;", "DELETE FROM users WHERE id = 1;", { sql: "CREATE TABLE t (a int);\nINSERT INTO t VALUES (1);\nUPDATE t SET a = 2;" }],
  invalid: [
    { sql: "UPDATE users SET newsletter = false;", errors: [{ messageId: "update", data: { table: "users" } }] },
    { sql: "DELETE FROM sessions;", errors: [{ messageId: "delete", data: { table: "sessions" } }] },
  ],
});

ruleTester(banDropColumn, {
  valid: [{ sql: "CREATE TABLE t (a int, b int);\nALTER TABLE t DROP COLUMN b;" }, { pending: ["CREATE TABLE t (a int, b int);"], sql: "ALTER TABLE t DROP COLUMN b;" }],
  invalid: [
    { sql: "ALTER TABLE users DROP COLUMN legacy_id;", errors: [{ messageId: "dropColumn", data: { table: "users", column: "legacy_id" } }] },
    { name: "applied table", history: ["CREATE TABLE t (a int, b int);"], sql: "ALTER TABLE t DROP COLUMN b;", errors: ["dropColumn"] },
  ],
});

ruleTester(banDropTable, {
  valid: [{ sql: "CREATE TABLE scratch (id int);\nDROP TABLE scratch;" }, "DROP VIEW v;"],
  invalid: [
    { sql: "DROP TABLE legacy_sessions;", errors: [{ messageId: "dropTable", data: { tables: "legacy_sessions" } }] },
    { name: "only the existing ones are named", sql: "CREATE TABLE a (id int);\nDROP TABLE a, b;", errors: [{ messageId: "dropTable", data: { tables: "b" } }] },
  ],
});

ruleTester(banDropDatabase, { valid: ["DROP SCHEMA s;"], invalid: [{ sql: "DROP DATABASE analytics;", transactional: false, errors: [{ messageId: "dropDatabase", data: { name: "analytics" } }] }] });

ruleTester(banDropSchema, {
  valid: ["DROP TABLE reporting.daily;"],
  invalid: [
    { sql: "DROP SCHEMA reporting CASCADE;", errors: [{ messageId: "dropSchema", data: { name: "reporting", cascade: " CASCADE" } }] },
    { sql: "DROP SCHEMA IF EXISTS reporting;", errors: [{ messageId: "dropSchema", data: { cascade: "" } }] },
  ],
});

ruleTester(banTruncateCascade, {
  valid: ["TRUNCATE users, orders;"],
  invalid: [{ sql: "TRUNCATE users CASCADE;", errors: [{ messageId: "cascade", data: { tables: "users" } }] }],
});

ruleTester(renamingColumn, {
  valid: [{ sql: "CREATE TABLE t (a int);\nALTER TABLE t RENAME COLUMN a TO b;" }, "ALTER TABLE users RENAME CONSTRAINT a TO b;"],
  invalid: [{ sql: "ALTER TABLE users RENAME COLUMN name TO full_name;", errors: [{ messageId: "rename", data: { from: "name", to: "full_name" } }] }],
});

ruleTester(renamingTable, {
  valid: [{ sql: "CREATE TABLE t (a int);\nALTER TABLE t RENAME TO u;" }, "ALTER INDEX i RENAME TO j;"],
  invalid: [{ sql: "ALTER TABLE users RENAME TO accounts;", errors: [{ messageId: "rename", data: { table: "users", to: "accounts" } }] }],
});

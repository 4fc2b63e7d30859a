import requireConcurrentIndexCreation from "../../rules/require-concurrent-index-creation.js";
import requireConcurrentIndexDeletion from "../../rules/require-concurrent-index-deletion.js";
import requireConcurrentPartitionDetach from "../../rules/require-concurrent-partition-detach.js";
import requireConcurrentRefresh from "../../rules/require-concurrent-refresh.js";
import requireConcurrentReindex from "../../rules/require-concurrent-reindex.js";
import { ruleTester } from "./tester.js";

ruleTester(requireConcurrentIndexCreation, {
  valid: [
    { sql: "CREATE INDEX CONCURRENTLY i ON users (email);", transactional: false },
    { name: "table created in the same migration", sql: "CREATE TABLE users (email text);\nCREATE INDEX i ON users (email);" },
    { name: "table created by a pending migration", pending: ["CREATE TABLE users (email text);"], sql: "CREATE INDEX i ON users (email);" },
    { name: "materialized view created in the same migration", sql: "CREATE MATERIALIZED VIEW mv AS SELECT 1 AS id;\nCREATE UNIQUE INDEX mv_id ON mv (id);" },
    { name: "temporary table", sql: "CREATE TEMP TABLE tmp (a int);\nCREATE INDEX ON tmp (a);" },
  ],
  invalid: [
    { sql: "CREATE INDEX users_email_idx ON users (email);", transactional: false, errors: [{ messageId: "notConcurrent", at: "1:1", data: { index: "users_email_idx", table: "users" } }], output: "CREATE INDEX CONCURRENTLY users_email_idx ON users (email);" },
    { name: "unique index, fix", sql: "create unique index i on users (email);", transactional: false, errors: ["notConcurrent"], output: "create unique index CONCURRENTLY i on users (email);" },
    {
      name: "no fix inside a transaction; the help says how to get out of it",
      sql: "CREATE INDEX i ON users (email);",
      errors: [{ messageId: "notConcurrent", data: { where: "; it cannot run in a transaction block, and the runner wraps this migration in a transaction (the runner wraps each migration in a transaction): give it its own migration that the runner does not wrap in a transaction" } }],
      output: "CREATE INDEX i ON users (email);",
    },
    { name: "outside a transaction, nothing to add", sql: "CREATE INDEX i ON users (email);", transactional: false, errors: [{ messageId: "notConcurrent", data: { where: "" } }] },
    { name: "table from an applied migration", history: ["CREATE TABLE users (email text);"], sql: "CREATE INDEX i ON users (email);", errors: ["notConcurrent"] },
    { name: "inside a DO block", sql: "DO $$ BEGIN CREATE INDEX i ON users (email); END $$;", errors: ["notConcurrent"] },
  ],
});

ruleTester(requireConcurrentIndexDeletion, {
  valid: [
    { sql: "DROP INDEX CONCURRENTLY i;", transactional: false },
    { name: "index created in the same migration", sql: "CREATE INDEX i ON users (email);\nDROP INDEX i;" },
    { name: "index on a table created in a pending migration", pending: ["CREATE TABLE t (a int);\nCREATE INDEX i ON t (a);"], sql: "DROP INDEX i;" },
  ],
  invalid: [
    { sql: "DROP INDEX users_email_idx;", transactional: false, errors: [{ messageId: "notConcurrent", data: { index: "users_email_idx" } }], output: "DROP INDEX CONCURRENTLY users_email_idx;" },
    { sql: "DROP INDEX IF EXISTS i;", transactional: false, errors: ["notConcurrent"], output: "DROP INDEX CONCURRENTLY IF EXISTS i;" },
    { name: "applied index", history: ["CREATE TABLE t (a int);", "CREATE INDEX i ON t (a);"], sql: "DROP INDEX i;", errors: ["notConcurrent"] },
  ],
});

ruleTester(requireConcurrentReindex, {
  valid: [{ sql: "REINDEX INDEX CONCURRENTLY i;", transactional: false }, { sql: "REINDEX INDEX i;", pgVersion: 11 }, "REINDEX SYSTEM app;"],
  invalid: [
    { sql: "REINDEX TABLE users;", transactional: false, errors: [{ messageId: "notConcurrent", data: { target: "TABLE users" } }], output: "REINDEX TABLE CONCURRENTLY users;" },
    { sql: "REINDEX INDEX users_email_idx;", errors: ["notConcurrent"] },
  ],
});

ruleTester(requireConcurrentPartitionDetach, {
  valid: [{ sql: "ALTER TABLE m DETACH PARTITION m_2020 CONCURRENTLY;", transactional: false }, { sql: "ALTER TABLE m DETACH PARTITION m_2020;", pgVersion: 13 }, "ALTER TABLE m DETACH PARTITION m_2020 FINALIZE;"],
  invalid: [
    { sql: "ALTER TABLE m DETACH PARTITION m_2020;", transactional: false, errors: [{ messageId: "notConcurrent", data: { partition: "m_2020", table: "m" } }], output: "ALTER TABLE m DETACH PARTITION m_2020 CONCURRENTLY;" },
  ],
});

ruleTester(requireConcurrentRefresh, {
  valid: [
    "REFRESH MATERIALIZED VIEW CONCURRENTLY daily;",
    { name: "view created in the same migration", sql: "CREATE MATERIALIZED VIEW daily AS SELECT 1 AS id WITH NO DATA;\nREFRESH MATERIALIZED VIEW daily;" },
    "REFRESH MATERIALIZED VIEW daily WITH NO DATA;",
  ],
  invalid: [{ sql: "REFRESH MATERIALIZED VIEW daily;", errors: [{ messageId: "notConcurrent", data: { view: "daily" } }], output: "REFRESH MATERIALIZED VIEW CONCURRENTLY daily;" }],
});

import concurrentlyInTransaction from "../../rules/concurrently-in-transaction.js";
import enumValueUsedInTransaction from "../../rules/enum-value-used-in-transaction.js";
import requireTransaction from "../../rules/require-transaction.js";
import transactionNesting from "../../rules/transaction-nesting.js";
import unclosedTransaction from "../../rules/unclosed-transaction.js";
import { ruleTester } from "./tester.js";

ruleTester(requireTransaction, {
  valid: [
    { name: "runner wraps", sql: "CREATE TABLE a (id int);\nCREATE TABLE b (id int);" },
    { name: "explicit block", sql: "BEGIN;\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCOMMIT;", transactional: false },
    { name: "one statement", sql: "CREATE TABLE a (id int);", transactional: false },
    { name: "SET does not count", sql: "SET lock_timeout = '1s';\nCREATE TABLE a (id int);", transactional: false },
    { name: "concurrent statements cannot be wrapped", sql: "CREATE INDEX CONCURRENTLY a_i ON a (id);\nCREATE INDEX CONCURRENTLY b_i ON b (id);", transactional: false },
    { name: "single-query runner: implicit transaction", sql: "CREATE TABLE a (id int);\nCREATE TABLE b (id int);", mode: "single-query" },
  ],
  invalid: [
    {
      sql: "CREATE TABLE a (id int);\nCREATE TABLE b (id int);\n",
      transactional: false,
      errors: [{ messageId: "outside", at: "1:1", data: { count: 2 } }],
      output: "BEGIN;\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCOMMIT;\n",
    },
    {
      name: "missing final semicolon",
      sql: "CREATE TABLE a (id int);\nCREATE TABLE b (id int)",
      transactional: false,
      errors: ["outside"],
      output: "BEGIN;\nCREATE TABLE a (id int);\nCREATE TABLE b (id int);\nCOMMIT;",
    },
    { name: "statements after the block", sql: "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\nCREATE TABLE b (id int);\nCREATE TABLE c (id int);", transactional: false, errors: [{ messageId: "outside", at: "4:1" }] },
    { name: "per-statement mode", sql: "CREATE TABLE a (id int);\nDROP TABLE b;", mode: "per-statement", errors: ["outside"] },
  ],
});

ruleTester(transactionNesting, {
  valid: [
    { sql: "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;", transactional: false },
    { name: "single-query: BEGIN makes the implicit block explicit", sql: "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;", mode: "single-query" },
    "CREATE TABLE a (id int);",
  ],
  invalid: [
    { name: "BEGIN in the runner's transaction (once for BEGIN…COMMIT)", sql: "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;", errors: [{ messageId: "beginInRunnerTransaction", at: "1:1" }] },
    { name: "COMMIT ending the runner's transaction", sql: "CREATE TABLE a (id int);\nCOMMIT;\nCREATE TABLE b (id int);", errors: [{ messageId: "commitEndsRunnerTransaction", at: "2:1" }] },
    { name: "nested BEGIN", sql: "BEGIN;\nBEGIN;\nCOMMIT;\nCOMMIT;", transactional: false, errors: [{ messageId: "beginNested", at: "2:1", data: { line: 1 } }, { messageId: "commitWithoutBegin", at: "4:1" }] },
    { name: "ROLLBACK without BEGIN", sql: "CREATE TABLE a (id int);\nROLLBACK;", transactional: false, errors: [{ messageId: "commitWithoutBegin", data: { keyword: "ROLLBACK" } }] },
  ],
});

ruleTester(unclosedTransaction, {
  valid: [{ sql: "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;", transactional: false }, "CREATE TABLE a (id int);"],
  invalid: [
    { sql: "BEGIN;\nCREATE TABLE a (id int);\n", transactional: false, errors: [{ messageId: "unclosed", at: "1:1" }], output: "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n" },
    { sql: "BEGIN;\nCREATE TABLE a (id int)", transactional: false, errors: ["unclosed"], output: "BEGIN;\nCREATE TABLE a (id int);\nCOMMIT;\n" },
    { name: "single-query mode", sql: "CREATE TABLE a (id int);\nBEGIN;\nCREATE TABLE b (id int);", mode: "single-query", errors: ["unclosed"] },
  ],
});

ruleTester(concurrentlyInTransaction, {
  valid: [
    { sql: "CREATE INDEX CONCURRENTLY i ON t (a);", transactional: false },
    { name: "single-query, alone in its file", sql: "CREATE INDEX CONCURRENTLY i ON t (a);", mode: "single-query" },
    "CREATE INDEX i ON t (a);",
    "ANALYZE t;",
  ],
  invalid: [
    { sql: "CREATE INDEX CONCURRENTLY i ON t (a);", errors: [{ messageId: "inTransaction", data: { what: "CREATE INDEX CONCURRENTLY" } }] },
    { sql: "DROP INDEX CONCURRENTLY i;", errors: [{ messageId: "inTransaction", data: { what: "DROP INDEX CONCURRENTLY" } }] },
    { sql: "REINDEX INDEX CONCURRENTLY i;", errors: [{ messageId: "inTransaction", data: { what: "REINDEX CONCURRENTLY" } }] },
    { sql: "ALTER TABLE p DETACH PARTITION c CONCURRENTLY;", errors: [{ messageId: "inTransaction", data: { what: "DETACH PARTITION CONCURRENTLY" } }] },
    { sql: "VACUUM t;", errors: [{ messageId: "inTransaction", data: { what: "VACUUM" } }] },
    { name: "single-query with two statements", sql: "CREATE TABLE t (a int);\nCREATE INDEX CONCURRENTLY i ON t (a);", mode: "single-query", errors: [{ messageId: "inTransaction", at: "2:1" }] },
    { name: "explicit BEGIN", sql: "BEGIN;\nCREATE INDEX CONCURRENTLY i ON t (a);\nCOMMIT;", transactional: false, errors: ["inTransaction"] },
    { name: "inside a DO block", sql: "DO $$ BEGIN EXECUTE 'CREATE INDEX CONCURRENTLY i ON t (a)'; END $$;", transactional: false, errors: ["inDoBlock"] },
  ],
});

ruleTester(enumValueUsedInTransaction, {
  valid: [
    "ALTER TYPE status ADD VALUE 'archived';",
    { name: "used after COMMIT", sql: "BEGIN;\nALTER TYPE status ADD VALUE 'archived';\nCOMMIT;\nUPDATE posts SET status = 'archived';", transactional: false },
    { name: "autocommit", sql: "ALTER TYPE status ADD VALUE 'archived';\nUPDATE posts SET status = 'archived';", transactional: false },
    { name: "another ADD VALUE referring to it", sql: "ALTER TYPE status ADD VALUE 'a';\nALTER TYPE status ADD VALUE 'b' AFTER 'a';" },
    { name: "pg 11, outside a transaction", sql: "ALTER TYPE status ADD VALUE 'a';", transactional: false, pgVersion: 11 },
    { name: "pg 11, type created in the same transaction", sql: "CREATE TYPE status AS ENUM ('x');\nALTER TYPE status ADD VALUE 'a';", pgVersion: 11 },
  ],
  invalid: [
    { sql: "ALTER TYPE status ADD VALUE 'archived';\nUPDATE posts SET status = 'archived' WHERE id = 1;", errors: [{ messageId: "usedInTransaction", at: "2:27", data: { line: 1, label: "archived" } }] },
    { name: "as a default", sql: "ALTER TYPE status ADD VALUE 'new';\nALTER TABLE posts ALTER COLUMN status SET DEFAULT 'new';", errors: ["usedInTransaction"] },
    { name: "single-query", sql: "ALTER TYPE status ADD VALUE 'new';\nINSERT INTO x VALUES ('new');", mode: "single-query", errors: ["usedInTransaction"] },
    { name: "pg 11", sql: "ALTER TYPE status ADD VALUE 'a';", pgVersion: 11, errors: ["addValueInTransaction"] },
  ],
});

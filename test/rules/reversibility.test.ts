/**
 * The rules that judge a hand-written down against the replay: `down-mismatch` compares in PostgreSQL's
 * stored form (what `verify` reads), and `irreversible-migration` stays quiet where the hand-written down
 * answers the statement.
 */
import downMismatch from "../../rules/down-mismatch.js";
import irreversibleMigration from "../../rules/irreversible-migration.js";
import { ruleTester } from "./tester.js";

ruleTester(downMismatch, {
  valid: [
    // The implicit cast PostgreSQL adds to a default, spelled out or not.
    { history: ["CREATE TABLE t (c varchar(20) DEFAULT 'x');"], sql: "ALTER TABLE t ALTER c SET DEFAULT 'y';", down: "ALTER TABLE t ALTER c SET DEFAULT 'x'::character varying;" },
    { history: ["CREATE TABLE t (c varchar(20) DEFAULT 'x'::varchar);"], sql: "ALTER TABLE t ALTER c SET DEFAULT 'y';", down: "ALTER TABLE t ALTER c SET DEFAULT 'x';" },
    { history: ["CREATE TYPE k AS ENUM ('a', 'b');", "CREATE TABLE t (c k DEFAULT 'a');"], sql: "ALTER TABLE t ALTER c SET DEFAULT 'b';", down: "ALTER TABLE t ALTER c SET DEFAULT 'a'::k;" },
    // PostgreSQL's default follows a label's rename; the replayed model keeps the old spelling.
    {
      history: ["CREATE TYPE k AS ENUM ('a', 'z');", "CREATE TABLE t (c k DEFAULT 'a');", "ALTER TYPE k RENAME VALUE 'a' TO 'b';"],
      sql: "ALTER TABLE t ALTER c SET DEFAULT 'z';",
      down: "ALTER TABLE t ALTER c SET DEFAULT 'b';",
    },
    // DEFAULT NULL is no default.
    { history: ["CREATE TABLE t (c text);"], sql: "ALTER TABLE t ALTER c SET DEFAULT 'y';", down: "ALTER TABLE t ALTER c SET DEFAULT NULL;" },
    { history: ["CREATE TABLE t (c text DEFAULT NULL);"], sql: "ALTER TABLE t ALTER c SET DEFAULT 'y';", down: "ALTER TABLE t ALTER c DROP DEFAULT;" },
    // An index re-created with the defaults spelled out, or with its predicate's literal cast.
    {
      history: ["CREATE TABLE t (a int, s text);", "CREATE INDEX t_a ON t (a) WHERE s = 'on';"],
      sql: "DROP INDEX t_a;",
      down: "CREATE INDEX t_a ON t USING BTREE (a ASC NULLS LAST) WHERE s = 'on'::text;",
    },
    // crates.io: an index on date(date) rebuilt by PostgreSQL after the column became a date is on (date).
    {
      history: ["CREATE TABLE v (date timestamp);", "CREATE INDEX v_date ON v (date(date));", "ALTER TABLE v ALTER COLUMN date TYPE date;"],
      sql: "DROP INDEX v_date;",
      down: "CREATE INDEX v_date ON v (date);",
    },
  ],
  invalid: [
    { history: ["CREATE TABLE t (c varchar(20) DEFAULT 'x');"], sql: "ALTER TABLE t ALTER c SET DEFAULT 'y';", down: "ALTER TABLE t ALTER c SET DEFAULT 'z';", errors: ["changed"] },
    { history: ["CREATE TABLE t (c text DEFAULT 'x');"], sql: "ALTER TABLE t ALTER c SET DEFAULT 'y';", down: "ALTER TABLE t ALTER c SET DEFAULT NULL;", errors: ["changed"] },
    // A cast to another type is not PostgreSQL's own coercion.
    { history: ["CREATE TABLE t (c text DEFAULT '1');"], sql: "ALTER TABLE t ALTER c SET DEFAULT 'y';", down: "ALTER TABLE t ALTER c SET DEFAULT '1'::int::text;", errors: ["changed"] },
    {
      history: ["CREATE TABLE t (a int, s text);", "CREATE INDEX t_a ON t (a);"],
      sql: "DROP INDEX t_a;",
      down: "CREATE INDEX t_a ON t (a DESC);",
      errors: ["redefined"],
    },
  ],
});

ruleTester(irreversibleMigration, {
  valid: [
    // INSERT … SELECT cannot be undone by the generator, but the hand-written down deletes what it added.
    {
      history: ["CREATE TABLE a (id int PRIMARY KEY);", "CREATE TABLE b (id int PRIMARY KEY);"],
      sql: "INSERT INTO b (id) SELECT id FROM a;",
      down: "DELETE FROM b WHERE id IN (SELECT id FROM a);",
    },
  ],
  invalid: [
    { history: ["CREATE TABLE a (id int PRIMARY KEY);", "CREATE TABLE b (id int PRIMARY KEY);"], sql: "INSERT INTO b (id) SELECT id FROM a;", errors: ["irreversible"] },
    // A down that writes elsewhere does not answer it.
    {
      history: ["CREATE TABLE a (id int PRIMARY KEY);", "CREATE TABLE b (id int PRIMARY KEY);"],
      sql: "INSERT INTO b (id) SELECT id FROM a;",
      down: "DELETE FROM a;",
      errors: ["irreversible"],
    },
    // A down that does not restore the schema proves nothing.
    {
      history: ["CREATE TABLE a (id int PRIMARY KEY);", "CREATE TABLE b (id int PRIMARY KEY);"],
      sql: "INSERT INTO b (id) SELECT id FROM a;\nALTER TABLE b ADD note text;",
      down: "DELETE FROM b;",
      errors: ["irreversible"],
    },
    // The table the history never created stays irreversible even with a down that re-creates it.
    { sql: "DROP TABLE legacy;", down: "CREATE TABLE legacy (id int);", errors: ["irreversible"] },
  ],
});

import addingExclusionConstraint from "../../rules/adding-exclusion-constraint.js";
import addingForeignKeyConstraint from "../../rules/adding-foreign-key-constraint.js";
import addingPrimaryKeyConstraint from "../../rules/adding-primary-key-constraint.js";
import banAlterDomainWithAddConstraint from "../../rules/ban-alter-domain-with-add-constraint.js";
import banCreateDomainWithConstraint from "../../rules/ban-create-domain-with-constraint.js";
import constraintMissingNotValid from "../../rules/constraint-missing-not-valid.js";
import disallowedUniqueConstraint from "../../rules/disallowed-unique-constraint.js";
import foreignKeyWithoutIndex from "../../rules/foreign-key-without-index.js";
import { ruleTester } from "./tester.js";

ruleTester(addingForeignKeyConstraint, {
  valid: [
    "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;",
    { name: "table created in the same migration", sql: "CREATE TABLE orders (id int, user_id int);\nALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);" },
    { name: "table created in a pending migration", pending: ["CREATE TABLE orders (id int, user_id int);"], sql: "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);" },
    "CREATE TABLE orders (id int, user_id int REFERENCES users (id));",
    { name: "NOT VALID inside drizzle's guard", sql: "DO $$ BEGIN ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID; EXCEPTION WHEN duplicate_object THEN null; END $$;" },
  ],
  invalid: [
    { sql: "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);", errors: [{ messageId: "withoutNotValid", at: "1:24", data: { name: "fk", table: "orders", referenced: "users" } }] },
    { sql: "ALTER TABLE orders ADD COLUMN user_id bigint REFERENCES users (id);", errors: [{ messageId: "inlineReference", data: { column: "user_id" } }] },
    { name: "table created by an applied migration", history: ["CREATE TABLE orders (id int, user_id int);"], sql: "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id);", errors: ["withoutNotValid"] },
    { name: "drizzle's DO-block guard", sql: "DO $$ BEGIN ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id); EXCEPTION WHEN duplicate_object THEN null; END $$;", errors: ["withoutNotValid"] },
  ],
});

ruleTester(constraintMissingNotValid, {
  valid: [
    "ALTER TABLE orders ADD CONSTRAINT c CHECK (total >= 0) NOT VALID;",
    { name: "NOT VALID then VALIDATE in a later transaction", transactional: false, sql: "ALTER TABLE orders ADD CONSTRAINT c CHECK (total >= 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT c;" },
    { name: "explicit transactions", transactional: false, sql: "BEGIN;\nALTER TABLE orders ADD CONSTRAINT c CHECK (total >= 0) NOT VALID;\nCOMMIT;\nBEGIN;\nALTER TABLE orders VALIDATE CONSTRAINT c;\nCOMMIT;" },
    { name: "VALIDATE of a constraint from an earlier migration", history: ["CREATE TABLE orders (total int);", "ALTER TABLE orders ADD CONSTRAINT c CHECK (total >= 0) NOT VALID;"], sql: "ALTER TABLE orders VALIDATE CONSTRAINT c;" },
    { sql: "CREATE TABLE orders (total int);\nALTER TABLE orders ADD CONSTRAINT c CHECK (total >= 0);" },
    "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES b (id);",
  ],
  invalid: [
    { sql: "ALTER TABLE orders ADD CONSTRAINT c CHECK (total >= 0);", errors: [{ messageId: "missingNotValid", at: "1:24", data: { kind: "CHECK", name: "c" } }] },
    { name: "NOT NULL constraint (PostgreSQL 18)", sql: "ALTER TABLE orders ADD CONSTRAINT nn NOT NULL total;", errors: [{ messageId: "missingNotValid", data: { kind: "NOT NULL" } }] },
    { name: "NOT VALID and VALIDATE in the runner's transaction", sql: "ALTER TABLE orders ADD CONSTRAINT c CHECK (total >= 0) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT c;", errors: [{ messageId: "validateInSameTransaction", at: "2:1", data: { line: 1 } }] },
    { name: "single-query runner", mode: "single-query", sql: "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (a) REFERENCES b (id) NOT VALID;\nALTER TABLE orders VALIDATE CONSTRAINT fk;", errors: ["validateInSameTransaction"] },
  ],
});

ruleTester(addingPrimaryKeyConstraint, {
  valid: [
    { name: "USING INDEX over NOT NULL columns", history: ["CREATE TABLE events (id bigint NOT NULL);", "CREATE UNIQUE INDEX events_id_idx ON events (id);"], sql: "ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_id_idx;" },
    { sql: "CREATE TABLE events (id bigint);\nALTER TABLE events ADD PRIMARY KEY (id);" },
  ],
  invalid: [
    { sql: "ALTER TABLE events ADD PRIMARY KEY (id);", errors: [{ messageId: "buildsIndex", at: "1:24" }] },
    { sql: "ALTER TABLE events ADD COLUMN id bigserial PRIMARY KEY;", errors: ["buildsIndex"] },
    { name: "USING INDEX over a nullable column", history: ["CREATE TABLE events (id bigint);", "CREATE UNIQUE INDEX events_id_idx ON events (id);"], sql: "ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_id_idx;", errors: [{ messageId: "nullableColumns", data: { columns: "id" } }] },
  ],
});

ruleTester(disallowedUniqueConstraint, {
  valid: [
    "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE USING INDEX users_email_idx;",
    { sql: "CREATE TABLE users (email text);\nALTER TABLE users ADD CONSTRAINT k UNIQUE (email);" },
  ],
  invalid: [
    { sql: "ALTER TABLE users ADD CONSTRAINT users_email_key UNIQUE (email);", errors: [{ messageId: "buildsIndex", data: { name: "users_email_key" } }] },
    { sql: "ALTER TABLE users ADD COLUMN handle text UNIQUE;", errors: ["buildsIndex"] },
  ],
});

ruleTester(addingExclusionConstraint, {
  valid: ["CREATE TABLE b (r int, d tstzrange, EXCLUDE USING gist (r WITH =, d WITH &&));"],
  invalid: [{ sql: "ALTER TABLE b ADD CONSTRAINT x EXCLUDE USING gist (r WITH =, d WITH &&);", errors: [{ messageId: "exclusion", data: { name: "x" } }] }],
});

ruleTester(foreignKeyWithoutIndex, {
  valid: [
    "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\nCREATE INDEX orders_user_idx ON orders (user_id);",
    { name: "index in an earlier migration", history: ["CREATE TABLE orders (id bigint, user_id bigint);", "CREATE INDEX ON orders (user_id, id);"], sql: "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;" },
    { name: "composite key in any order", sql: "CREATE TABLE m (a int, b int, PRIMARY KEY (b, a), FOREIGN KEY (a, b) REFERENCES p (x, y));" },
    { name: "the key column is the primary key", sql: "CREATE TABLE profile (user_id bigint PRIMARY KEY REFERENCES users (id));" },
    { name: "unique constraint", sql: "CREATE TABLE t (a int UNIQUE REFERENCES p (id));" },
  ],
  invalid: [
    { sql: "CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));", errors: [{ messageId: "noIndex", at: "1:60", data: { table: "orders", columns: "user_id", referenced: "users" } }] },
    { name: "index not leading with the column", sql: "CREATE TABLE orders (id bigint, user_id bigint REFERENCES users (id));\nCREATE INDEX ON orders (id, user_id);", errors: ["noIndex"] },
    { name: "ALTER TABLE", history: ["CREATE TABLE orders (id bigint, user_id bigint);"], sql: "ALTER TABLE orders ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES users (id) NOT VALID;", errors: ["noIndex"] },
  ],
});

ruleTester(banCreateDomainWithConstraint, {
  valid: ["CREATE DOMAIN email AS text;", "CREATE DOMAIN email AS text NOT NULL;"],
  invalid: [{ sql: "CREATE DOMAIN positive AS integer CHECK (VALUE > 0);", errors: [{ messageId: "domainCheck", at: "1:35", data: { domain: "positive" } }] }],
});

ruleTester(banAlterDomainWithAddConstraint, {
  valid: ["ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0) NOT VALID;", { sql: "CREATE DOMAIN d AS int;\nALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0);" }, "ALTER DOMAIN d DROP CONSTRAINT c;"],
  invalid: [{ sql: "ALTER DOMAIN d ADD CONSTRAINT c CHECK (VALUE > 0);", errors: [{ messageId: "addConstraint", data: { domain: "d" } }] }],
});

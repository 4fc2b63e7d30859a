import { describe, expect, it } from "vitest";
import { facts, onlySet } from "./helpers.js";

const pairTree = (extra: Record<string, string> = {}) => ({
  "db/migrations/20240101000000_init.up.sql": "CREATE TABLE a (id int);",
  "db/migrations/20240101000000_init.down.sql": "DROP TABLE a;",
  "db/migrations/20240201000000_index.up.sql": "-- no-transaction\nCREATE INDEX CONCURRENTLY i ON a (id);",
  "db/migrations/20240201000000_index.down.sql": "-- no-transaction\nDROP INDEX CONCURRENTLY i;",
  "db/migrations/20240301000000_col.up.sql": "ALTER TABLE a ADD COLUMN b int;",
  ...extra,
});

describe("golang-migrate / sqlx / concourse (the <version>_<name>.up.sql family)", () => {
  it("sqlx: a Rust project; each migration in a transaction unless the file starts with -- no-transaction", async () => {
    const set = await onlySet(pairTree({ "Cargo.toml": '[dependencies]\nsqlx = { version = "0.8", features = ["postgres"] }' }));
    expect(set.layout).toBe("sqlx");
    const target = (f: string) => ({ kind: "file", path: `db/migrations/${f}` });
    expect(set.migrations.map(facts)).toEqual([
      { id: "20240101000000_init", version: "20240101000000", up: "db/migrations/20240101000000_init.up.sql", down: "db/migrations/20240101000000_init.down.sql", expectsDown: true, target: target("20240101000000_init.down.sql"), transactional: true, mode: "per-migration" },
      { id: "20240201000000_index", version: "20240201000000", up: "db/migrations/20240201000000_index.up.sql", down: "db/migrations/20240201000000_index.down.sql", expectsDown: true, target: target("20240201000000_index.down.sql"), transactional: false, mode: "single-query" },
      { id: "20240301000000_col", version: "20240301000000", up: "db/migrations/20240301000000_col.up.sql", down: undefined, expectsDown: true, target: target("20240301000000_col.down.sql"), transactional: true, mode: "per-migration" },
    ]);
  });

  it("golang-migrate: a Go project requiring golang-migrate; the runner wraps nothing", async () => {
    const set = await onlySet(pairTree({ "go.mod": "module example.com/app\n\nrequire github.com/golang-migrate/migrate/v4 v4.17.0\n" }));
    expect(set.layout).toBe("golang-migrate");
    expect(set.migrations.map((m) => [m.id, m.transactional, m.transactionMode])).toEqual([
      ["20240101000000_init", false, "single-query"],
      ["20240201000000_index", false, "single-query"],
      ["20240301000000_col", false, "single-query"],
    ]);
  });

  it("without a manifest, sqlx's `-- no-transaction` header decides even beside a package.json", async () => {
    expect((await onlySet(pairTree())).layout).toBe("sqlx");
    expect((await onlySet(pairTree({ "package.json": "{}" }))).layout).toBe("sqlx");
  });

  it("with no other evidence: 14-digit timestamps and no manifest lean to sqlx; any non-Rust manifest means golang-migrate", async () => {
    const bare = { "m/20240101000000_a.up.sql": "SELECT 1;", "m/20240101000000_a.down.sql": "SELECT 1;" };
    const sqlxSet = await onlySet(bare);
    expect(sqlxSet.layout).toBe("sqlx");
    expect(sqlxSet.detection?.evidence).toContain("no project manifest found; 14-digit timestamp versions are sqlx's default (tie-break)");
    expect((await onlySet({ ...bare, "package.json": "{}" })).layout).toBe("golang-migrate");
    expect((await onlySet({ "m/000001_a.up.sql": "SELECT 1;" })).layout).toBe("golang-migrate");
  });

  it("orders versions as integers, not as text", async () => {
    const set = await onlySet({
      "m/10_ten.up.sql": "SELECT 10;",
      "m/9_nine.up.sql": "SELECT 9;",
      "m/100_hundred.up.sql": "SELECT 100;",
    });
    expect(set.layout).toBe("golang-migrate");
    expect(set.migrations.map((m) => m.id)).toEqual(["9_nine", "10_ten", "100_hundred"]);
  });

  it("golang-migrate refuses a duplicate version: the second file is a stray", async () => {
    const set = await onlySet({ "go.mod": "module x", "m/1_a.up.sql": "SELECT 1;", "m/1_b.up.sql": "SELECT 2;" });
    expect(set.migrations.map((m) => m.id)).toEqual(["1_a"]);
    expect(set.stray).toEqual(["m/1_b.up.sql"]);
  });

  it("concourse: a lone down means the up is Go code; ups pair with downs by version; every migration is transactional", async () => {
    const set = await onlySet({
      "migrations/1510262030_initial_schema.up.sql": "CREATE TABLE a (id int);",
      "migrations/1510262030_initial_schema.down.sql": "DROP TABLE a;",
      "migrations/1522178770_add_job_tags.down.sql": "ALTER TABLE a DROP COLUMN tags;",
      "migrations/1554469235_add_new_inputs_to_jobs.up.sql": "ALTER TABLE a ADD COLUMN i int;",
      "migrations/1554469235_add_new_inputs_to_job.down.sql": "ALTER TABLE a DROP COLUMN i;",
      "migrations/1626194317_add_pipeline_pauses_table.up.sql": "CREATE TABLE p (id int);",
      "migrations/1626194317_add_pipeline_pauses_table.down.sql": "DROP TABLE p;",
      "migrations/1626194317_add_job_pauses_table.up.sql": "CREATE TABLE j (id int);",
      "migrations/1626194317_add_job_pauses_table.down.sql": "DROP TABLE j;",
    });
    expect(set.layout).toBe("concourse");
    expect(set.migrations.map((m) => [m.id, m.up.path, m.down?.path, m.external, m.transactional, m.transactionMode])).toEqual([
      ["1510262030_initial_schema", "migrations/1510262030_initial_schema.up.sql", "migrations/1510262030_initial_schema.down.sql", undefined, true, "per-migration"],
      ["1522178770_add_job_tags", "migrations/1522178770_add_job_tags.up.go", "migrations/1522178770_add_job_tags.down.sql", "up", true, "per-migration"],
      ["1554469235_add_new_inputs_to_jobs", "migrations/1554469235_add_new_inputs_to_jobs.up.sql", "migrations/1554469235_add_new_inputs_to_job.down.sql", undefined, true, "per-migration"],
      ["1626194317_add_job_pauses_table", "migrations/1626194317_add_job_pauses_table.up.sql", "migrations/1626194317_add_job_pauses_table.down.sql", undefined, true, "per-migration"],
      ["1626194317_add_pipeline_pauses_table", "migrations/1626194317_add_pipeline_pauses_table.up.sql", "migrations/1626194317_add_pipeline_pauses_table.down.sql", undefined, true, "per-migration"],
    ]);
    expect(set.migrations[1]!.up.text).toBe("");
    expect(set.stray).toEqual([]);
  });

  it("concourse: Go migrations in the folder are the strongest evidence", async () => {
    const set = await onlySet({
      "go.mod": "module example.com/ci\nrequire github.com/golang-migrate/migrate/v4 v4.0.0",
      "m/1_a.up.sql": "SELECT 1;",
      "m/2_b.up.go": "package migrations",
      "m/2_b.down.go": "package migrations",
      "m/migrations.go": "package migrations",
    });
    expect(set.layout).toBe("concourse");
    expect(set.detection?.evidence).toContain("Go migrations (`<version>_<name>.up.go`) beside the SQL ones");
  });
});

/**
 * The TypeScript/JavaScript layouts on small in-memory trees: which layout claims a folder, the order
 * each runner applies its modules in, and the transaction model each one documents.
 */
import { describe, expect, it } from "vitest";
import { onlySet } from "./helpers.js";

const typeormClass = (name: string, extra = "") =>
  `import { MigrationInterface, QueryRunner } from "typeorm";\nexport class ${name} implements MigrationInterface {${extra}\n  async up(queryRunner: QueryRunner) { await queryRunner.query("SELECT 1"); }\n  async down(queryRunner: QueryRunner) {}\n}\n`;

describe("TypeScript layouts", () => {
  it("typeorm: ordered by the class name's 13-digit timestamp, all pending in one transaction; transaction = false: none", async () => {
    const set = await onlySet({
      "src/migrations/1700000002000-B.ts": typeormClass("B1700000002000"),
      // The file name says 1800…, the class says 1600…: TypeORM sorts by the class.
      "src/migrations/1800000000000-A.ts": typeormClass("A1600000000000", "\n  transaction = false;"),
      "src/migrations/index.ts": "export * from './1700000002000-B';\n",
    });
    expect(set.layout).toBe("typeorm");
    expect(set.migrations.map((m) => [m.id, m.version, m.name, m.transactionMode])).toEqual([
      ["1800000000000-A", "1600000000000", "A", "per-statement"],
      ["1700000002000-B", "1700000002000", "B", "all-pending"],
    ]);
    expect(set.migrations[0]!.downTarget).toEqual({ kind: "module", path: "src/migrations/1800000000000-A.ts", style: "typeorm" });
  });

  it("mikro-orm: Migration<ts>.ts in name order, one master transaction; isTransactional() false: none", async () => {
    const cls = (n: string, extra = "") => `import { Migration } from '@mikro-orm/migrations';\nexport class ${n} extends Migration {\n  async up() { this.addSql('select 1'); }${extra}\n}\n`;
    const set = await onlySet({
      "migrations/Migration20240102000000.ts": cls("Migration20240102000000", "\n  isTransactional() { return false; }"),
      "migrations/Migration20240101000000.ts": cls("Migration20240101000000"),
    });
    expect(set.layout).toBe("mikro-orm");
    expect(set.migrations.map((m) => [m.id, m.transactionMode, !!m.down])).toEqual([
      ["Migration20240101000000", "all-pending", false],
      ["Migration20240102000000", "per-statement", false],
    ]);
  });

  it("knex: name order; the batch in one transaction until a module exports config = { transaction: false }", async () => {
    const mod = (sql: string, extra = "") => `import type { Knex } from "knex";\n${extra}export async function up(knex: Knex) { await knex.raw("${sql}"); }\nexport async function down(knex: Knex) {}\n`;
    const plain = await onlySet({ "db/migrations/20240101000000_a.ts": mod("SELECT 1"), "db/migrations/20240102000000_b.ts": mod("SELECT 2") });
    expect(plain.layout).toBe("knex");
    expect(plain.migrations.map((m) => m.transactionMode)).toEqual(["all-pending", "all-pending"]);
    const mixed = await onlySet({
      "db/migrations/20240101000000_a.ts": mod("SELECT 1"),
      "db/migrations/20240102000000_b.ts": mod("CREATE INDEX CONCURRENTLY i ON t (a)", "export const config = { transaction: false };\n"),
    });
    expect(mixed.migrations.map((m) => [m.id, m.transactionMode])).toEqual([
      ["20240101000000_a", "per-migration"],
      ["20240102000000_b", "per-statement"],
    ]);
  });

  it("node-pg-migrate: numeric prefix order across modules and SQL files; pgm.noTransaction() breaks out", async () => {
    const set = await onlySet({
      "migrations/10_c.js": "exports.up = (pgm) => { pgm.noTransaction(); pgm.sql('CREATE INDEX CONCURRENTLY i ON t (a)'); };\n",
      "migrations/9_b.sql": "-- Up Migration\nCREATE TABLE t (a int);\n-- Down Migration\nDROP TABLE t;\n",
      "migrations/1_a.js": "exports.up = (pgm) => { pgm.sql('SELECT 1'); };\nexports.down = false;\n",
    });
    expect(set.layout).toBe("node-pg-migrate");
    expect(set.migrations.map((m) => [m.id, m.transactionMode])).toEqual([
      ["1_a", "all-pending"],
      ["9_b", "all-pending"],
      ["10_c", "per-statement"],
    ]);
    const sql = set.migrations[1]!;
    expect(sql.up.text.slice(sql.up.regions![0]!.start, sql.up.regions![0]!.end)).toBe("-- Up Migration\nCREATE TABLE t (a int);\n");
    expect(sql.down!.text.slice(sql.down!.regions![0]!.start, sql.down!.regions![0]!.end)).toBe("-- Down Migration\nDROP TABLE t;\n");
  });

  it("kysely and plain-ts: modules exporting up/down in name order; Payload's runs each in its own transaction", async () => {
    const kysely = await onlySet({
      "src/db/migrations/002_b.ts": "import { Kysely, sql } from 'kysely';\nexport async function up(db: Kysely<any>) { await sql`SELECT 2`.execute(db); }\n",
      "src/db/migrations/001_a.ts": "import { Kysely, sql } from 'kysely';\nexport async function up(db: Kysely<any>) { await sql`SELECT 1`.execute(db); }\n",
      "src/db/migrations/index.ts": "export * as _001 from './001_a';\n",
    });
    expect(kysely.layout).toBe("kysely");
    expect(kysely.migrations.map((m) => [m.id, m.transactionMode])).toEqual([
      ["001_a", "all-pending"],
      ["002_b", "all-pending"],
    ]);
    const payload = await onlySet({
      "src/migrations/20240101_000000.ts": "import { MigrateUpArgs, sql } from '@payloadcms/db-postgres';\nexport async function up({ db }: MigrateUpArgs) { await db.execute(sql`CREATE TABLE a ()`); }\n",
    });
    expect(payload.layout).toBe("plain-ts");
    expect(payload.migrations.map((m) => [m.id, m.transactionMode, m.down])).toEqual([["20240101_000000", "per-migration", undefined]]);
  });

  it("--layout forces a TypeScript layout", async () => {
    const set = await onlySet({ "migrations/1_a.ts": "export async function up(db) { await db.query('SELECT 1'); }\n" }, ["."], { layout: "plain-ts" });
    expect(set.layout).toBe("plain-ts");
    expect(set.detection?.by).toBe("forced");
  });
});

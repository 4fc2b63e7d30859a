/**
 * TypeORM's migrationsTransactionMode read from the project's data source (fixtures/ts/typeorm-modes: a
 * `new DataSource({…})` stating `each`, an ormconfig.json stating `none`, a mode computed at run time),
 * and what it makes of each migration's transaction, with a class's own `transaction` on top.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { discover } from "../../src/layout/index.js";
import { transactionModeOf } from "../../src/layout/typeorm-data-source.js";
import { onlySet } from "./helpers.js";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/ts/typeorm-modes");

async function modes(project: string) {
  const sets = await discover(["."], { cwd: path.join(FIXTURES, project) });
  expect(sets.map((s) => s.set.layout)).toEqual(["typeorm"]);
  return sets[0]!.set.migrations.map((m) => [m.id, m.transactionMode, m.transactionReason]);
}

describe("TypeORM migrationsTransactionMode from the data source", () => {
  it("`each` in src/data-source.ts: each migration in its own transaction, `transaction = false` in none", async () => {
    expect(await modes("each")).toEqual([
      ["1700000000000-CreateUsers", "per-migration", 'migrationsTransactionMode "each" in src/data-source.ts: each migration in its own transaction'],
      ["1700000001000-IndexUsersEmail", "per-statement", 'migrationsTransactionMode "each" in src/data-source.ts, and the class sets `transaction = false`: no transaction'],
    ]);
  });

  it("`none` in ormconfig.json: no transaction, `transaction = true` gets its own", async () => {
    expect(await modes("none-ormconfig")).toEqual([
      ["1700000000000-CreateOrders", "per-statement", 'migrationsTransactionMode "none" in ormconfig.json: no transaction'],
      ["1700000001000-AddOrdersStatus", "per-migration", 'migrationsTransactionMode "none" in ormconfig.json, and the class sets `transaction = true`: its own transaction'],
    ]);
  });

  it("the config's `transaction` key still decides over the data source", async () => {
    const sets = await discover(["."], { cwd: path.join(FIXTURES, "each"), transaction: { "src/migrations/1700000000000-*.ts": false } });
    expect(sets[0]!.set.migrations.map((m) => [m.id, m.transactionMode, m.transactionReason])).toEqual([
      ["1700000000000-CreateUsers", "single-query", 'config "transaction": "src/migrations/1700000000000-*.ts" is false'],
      ["1700000001000-IndexUsersEmail", "per-statement", 'migrationsTransactionMode "each" in src/data-source.ts, and the class sets `transaction = false`: no transaction'],
    ]);
  });

  it("a mode computed at run time is not read: TypeORM's default `all`", async () => {
    expect(await modes("computed")).toEqual([
      ["1700000000000-CreateUsers", "all-pending", "TypeORM's default migrationsTransactionMode `all`: one transaction around every pending migration"],
    ]);
  });

  it("reads the literal from the forms a data source is written in", () => {
    const cases: [string, string, string | undefined][] = [
      ["data-source.ts", `export default new DataSource({ type: "postgres", migrationsTransactionMode: 'each' as const });`, "each"],
      ["data-source.js", "module.exports.ds = new DataSource({ 'migrationsTransactionMode': `none` });", "none"],
      ["ormconfig.js", `module.exports = { type: "postgres", migrationsTransactionMode: "all" };`, "all"],
      ["ormconfig.json", `[{ "name": "default", "migrationsTransactionMode": "each" }]`, "each"],
      // Not a mode, not a literal, not TypeORM's options object.
      ["data-source.ts", `new DataSource({ migrationsTransactionMode: "sometimes" })`, undefined],
      ["data-source.ts", "new DataSource({ migrationsTransactionMode: `${mode}` })", undefined],
      ["data-source.ts", `const other = { migrationsTransactionMode: "each" }; new DataSource({ type: "postgres" });`, undefined],
      ["ormconfig.json", "{ not json", undefined],
    ];
    for (const [file, text, mode] of cases) expect(transactionModeOf(file, text), text).toBe(mode);
  });

  it("the search stops at the project's package.json", async () => {
    const set = await onlySet({
      "data-source.ts": `new DataSource({ migrationsTransactionMode: "none" })`,
      "app/package.json": `{ "dependencies": { "typeorm": "0.3.20" } }`,
      "app/migrations/1700000000000-Init.ts": "export class Init1700000000000 implements MigrationInterface { async up(queryRunner: QueryRunner) { await queryRunner.query(`SELECT 1`); } async down() {} }",
    });
    expect(set.migrations.map((m) => m.transactionMode)).toEqual(["all-pending"]);
  });
});

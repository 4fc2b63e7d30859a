/**
 * TypeORM's own MigrationExecutor (DataSource.runMigrations / undoLastMigration) runs fixtures/ts/typeorm
 * on PGlite (typeorm-pglite): the statements it sends are exactly the SQL migration-lint extracted, and
 * the down that `--fix` wrote into the empty `down()` restores the catalog when TypeORM undoes it.
 */
import path from "node:path";
import "reflect-metadata";
import { DataSource, type Logger } from "typeorm";
import { getPGliteInstance, PGliteDriver } from "typeorm-pglite";
import { afterAll, expect, it } from "vitest";
import { readSnapshot } from "../../../src/verify/snapshot.js";
import { copyFixture, expectRoundTrip, fixThenExtract, isRunnerBookkeeping, queryable } from "./helpers.js";

const project = copyFixture("typeorm");
const sent: string[] = [];
const logger: Logger = {
  logQuery: (query) => void sent.push(query),
  logQueryError: () => {},
  logQuerySlow: () => {},
  logSchemaBuild: () => {},
  logMigration: () => {},
  log: () => {},
};
const sources: DataSource[] = [];
afterAll(async () => {
  for (const s of sources.reverse()) await s.destroy().catch(() => {});
  project.remove();
});
const ours = () => sent.splice(0).filter((q) => !isRunnerBookkeeping(q, /"migrations"|\bmigrations\b.*"timestamp"|typeorm_metadata/i));

it("extracts, fixes, and agrees with what TypeORM's MigrationExecutor runs", { timeout: 60_000 }, async () => {
  const [first, second] = await fixThenExtract(project, {
    layout: "typeorm",
    actions: [
      ["1700000000000-CreateUsers.ts", "skipped"],
      ["1700000001000-AddProfile.ts", "written"],
    ],
    written: ["1700000001000-AddProfile.ts", "await queryRunner.query(`DROP TABLE IF EXISTS profiles`);"],
  });

  const classes: (new () => unknown)[] = [];
  for (const file of ["1700000000000-CreateUsers.ts", "1700000001000-AddProfile.ts"]) {
    const mod = (await import(/* @vite-ignore */ path.join(project.migrations, file))) as Record<string, new () => unknown>;
    classes.push(...Object.values(mod));
  }
  const dataSource = async (migrations: unknown[]) => {
    const ds = new DataSource({ type: "postgres", driver: new PGliteDriver().driver, migrations: migrations as never, logging: true, logger });
    await ds.initialize();
    sources.push(ds);
    return ds;
  };
  const pg = await getPGliteInstance();
  const snapshot = () => readSnapshot(queryable((sql, params) => pg.query(sql, params)));

  // Each release is a DataSource of its own, in TypeORM's default transaction mode `all`.
  const release = async (migrations: unknown[]) => {
    const ds = await dataSource(migrations);
    sent.splice(0);
    return ds;
  };
  const early = await release(classes.slice(0, 1));
  let later: DataSource | undefined;
  await expectRoundTrip(
    {
      upFirst: async () => expect((await early.runMigrations()).map((m) => m.name)).toEqual(["CreateUsers1700000000000"]),
      upRest: async () => {
        later ??= await release(classes);
        expect((await later.runMigrations()).map((m) => m.name)).toEqual(["AddProfile1700000001000"]);
      },
      downLast: () => later!.undoLastMigration(),
      sent: ours,
      snapshot,
    },
    first!,
    second!,
  );
  expect(Object.keys((await snapshot()).relations)).toContain("public.profiles");
});

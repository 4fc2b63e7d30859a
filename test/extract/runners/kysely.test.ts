/**
 * Kysely's own Migrator runs fixtures/ts/kysely on PGlite: the statements it sends are exactly the SQL
 * migration-lint extracted, and the down that `--fix` wrote into the empty `down()` is run by Kysely's
 * migrateDown and restores the catalog; migrateToLatest then re-applies it. The third migration is all
 * `db.schema` builder chains: the SQL migration-lint mapped them to is the SQL Kysely sent.
 */
import { PGlite } from "@electric-sql/pglite";
import { Kysely, Migrator, type Migration } from "kysely";
import { KyselyPGlite } from "kysely-pglite";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { readSnapshot } from "../../../src/verify/snapshot.js";
import { copyFixture, fixThenExtract, isRunnerBookkeeping, queryable } from "./helpers.js";

const project = copyFixture("kysely");
const pg = new PGlite();
const sent: string[] = [];
let db: Kysely<unknown>;

beforeAll(async () => {
  db = new Kysely<unknown>({
    dialect: new KyselyPGlite(pg).dialect,
    log: (event) => {
      if (event.level === "query") sent.push(event.query.sql);
    },
  });
});
afterAll(async () => {
  await db.destroy();
  project.remove();
});

const names = ["0001_create_pets", "0002_add_species", "0003_add_owners"];
const migrator = () =>
  new Migrator({
    db,
    provider: {
      // The modules as Kysely's FileMigrationProvider would key them (file name without extension).
      getMigrations: async () => {
        const out: Record<string, Migration> = {};
        for (const n of names) out[n] = (await import(/* @vite-ignore */ path.join(project.migrations, `${n}.ts`))) as Migration;
        return out;
      },
    },
  });
const snapshot = () => readSnapshot(queryable((sql, params) => pg.query(sql, params)));
const ours = () => sent.splice(0).filter((q) => !isRunnerBookkeeping(q, /kysely_migration/));

it("extracts, fixes, and agrees with what Kysely's Migrator runs", { timeout: 60_000 }, async () => {
  const [first, second, third] = await fixThenExtract(project, {
    layout: "kysely",
    actions: [
      ["0001_create_pets.ts", "skipped"],
      ["0002_add_species.ts", "written"],
      ["0003_add_owners.ts", "skipped"],
    ],
    written: ["0002_add_species.ts", "await sql`DROP INDEX IF EXISTS pet_species_idx`.execute(db);"],
  });
  // The third is all db.schema builder chains: mapped, none left dynamic.
  expect(third!.dynamic).toBe(0);
  expect(third!.up).toHaveLength(6);
  expect(third!.down).toHaveLength(6);

  const empty = await snapshot();
  expect((await migrator().migrateTo("0001_create_pets")).error).toBeUndefined();
  expect(ours()).toEqual(first!.up);
  const afterFirst = await snapshot();

  expect((await migrator().migrateTo("0002_add_species")).error).toBeUndefined();
  expect(ours()).toEqual(second!.up);
  const afterSecond = await snapshot();
  expect(afterSecond).not.toEqual(afterFirst);

  // The builder migration: what migration-lint mapped is what Kysely sent, and its down restores.
  expect((await migrator().migrateToLatest()).error).toBeUndefined();
  expect(ours()).toEqual(third!.up);
  const afterThird = await snapshot();
  expect((await migrator().migrateDown()).error).toBeUndefined();
  expect(ours()).toEqual(third!.down);
  expect(await snapshot()).toEqual(afterSecond);

  // The generated down, run by Kysely itself, restores the catalog of the first migration.
  expect((await migrator().migrateDown()).error).toBeUndefined();
  expect(ours()).toEqual(second!.down);
  expect(await snapshot()).toEqual(afterFirst);

  // …and the library re-applies the migrations.
  expect((await migrator().migrateToLatest()).error).toBeUndefined();
  expect(await snapshot()).toEqual(afterThird);
  expect(afterFirst).not.toEqual(empty);
});

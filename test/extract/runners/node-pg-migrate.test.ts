/**
 * node-pg-migrate's own runner runs fixtures/ts/node-pg-migrate (two JS modules and one SQL file with
 * `-- Up Migration` / `-- Down Migration`) on a real PostgreSQL server: the statements it sends are the
 * SQL migration-lint extracted, and the downs `--fix` wrote (into an empty `down()` and under the SQL
 * file's `-- Down Migration`) restore the catalog when node-pg-migrate runs them. The fourth module is all
 * `pgm.*` builder calls: the steps migration-lint mapped them to are the queries node-pg-migrate sent.
 */
import { runner } from "node-pg-migrate";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { catalogReader, fixThenExtract, isRunnerBookkeeping, onServer } from "./helpers.js";

const env = onServer("node-pg-migrate", "pgm");
const { project } = env;
let client: pg.Client | undefined;
const sent: string[] = [];

beforeAll(async () => {
  if (env.skip) return;
  client = new pg.Client({ connectionString: env.url });
  await client.connect();
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  // Every statement the runner sends goes through its client: record it.
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const q = args[0];
    sent.push(typeof q === "string" ? q : (q as { text: string }).text);
    return query(...args);
  };
});
afterAll(async () => {
  await client?.end();
});
const ours = () => sent.splice(0).filter((q) => !isRunnerBookkeeping(q, /pgmigrations/));
/** node-pg-migrate's pgm.sql appends a semicolon unless the text's last character is one. */
const asSent = (sql: string) => (sql.endsWith(";") ? sql : `${sql};`);

it("extracts, fixes, and agrees with what node-pg-migrate runs", { timeout: 120_000 }, async (ctx) => {
  if (env.skip) return ctx.skip(env.skip);
  const [books, isbn, year, authors] = await fixThenExtract(project, {
    layout: "node-pg-migrate",
    actions: [
      ["1700000000000_create-books.js", "skipped"],
      ["1700000001000_add-isbn.sql", "written"],
      ["1700000002000_add-year.js", "written"],
      ["1700000003000_add-authors.js", "skipped"],
    ],
    written: ["1700000001000_add-isbn.sql", /-- Down Migration\n-- Down migration for 1700000001000_add-isbn/],
  });
  // The fourth is all pgm.* builder calls: mapped, none left dynamic.
  expect(authors!.dynamic).toBe(0);
  expect(authors!.up).toHaveLength(5);
  const run = (direction: "up" | "down", count: number) =>
    runner({ dbClient: client!, dir: project.migrations, direction, count, migrationsTable: "pgmigrations", log: () => {}, singleTransaction: true });
  const reader = await catalogReader(env.url);
  const snapshot = reader.snapshot;
  try {
    await run("up", 1);
    expect(ours()).toEqual(books!.up.map(asSent));
    const afterBooks = await snapshot();

    await run("up", 2);
    expect(ours()).toEqual([...isbn!.up, ...year!.up].map(asSent));
    const afterAll = await snapshot();

    // The builder migration: what migration-lint mapped is what node-pg-migrate sent, and its down restores.
    await run("up", 1);
    expect(ours()).toEqual(authors!.up.map(asSent));
    const afterAuthors = await snapshot();
    await run("down", 1);
    expect(ours()).toEqual(authors!.down.map(asSent));
    expect(await snapshot()).toEqual(afterAll);

    // The generated downs, run by node-pg-migrate itself, restore the catalog exactly…
    await run("down", 2);
    expect(ours()).toEqual([...year!.down, ...isbn!.down].map(asSent));
    expect(await snapshot()).toEqual(afterBooks);

    // …and node-pg-migrate re-applies them.
    await run("up", Infinity);
    expect(await snapshot()).toEqual(afterAuthors);
  } finally {
    await reader.end();
  }
});

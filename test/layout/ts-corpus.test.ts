/**
 * Kind E of the corpus (../shared/corpus/MANIFEST.md, section E): every TypeScript/JavaScript migration
 * history is found with its runner's layout, every migration module is seen exactly once, and the
 * transaction facts the runners document hold.
 */
import path from "node:path";
import { globbySync } from "globby";
import { beforeAll, expect, it } from "vitest";
import { discover, type DiscoveredSet } from "../../src/layout/index.js";

const REPO = path.resolve(import.meta.dirname, "../..");
const CORPUS_ABS = path.resolve(REPO, "../shared/corpus");
const CORPUS = path.relative(REPO, CORPUS_ABS).split(path.sep).join("/");
const KIND_E = ["FlowiseAI__Flowise", "medusajs__medusa", "bluesky-social__atproto", "datalens-tech__datalens-us", "payloadcms__payload"];

let sets: DiscoveredSet[];
beforeAll(async () => {
  sets = await discover(KIND_E.map((r) => `${CORPUS}/${r}`), { cwd: REPO });
});
const count = (repo: string, layout: string) => {
  const found = sets.filter((s) => s.set.root.startsWith(`${CORPUS}/${repo}/`));
  expect(new Set(found.map((s) => s.set.layout))).toEqual(new Set([layout]));
  return { sets: found.length, migrations: found.reduce((n, s) => n + s.set.migrations.length, 0) };
};

it("finds each history with its runner's layout and the manifest's number of migrations", () => {
  expect(count("FlowiseAI__Flowise", "typeorm")).toEqual({ sets: 1, migrations: 48 });
  expect(count("medusajs__medusa", "mikro-orm")).toEqual({ sets: 23, migrations: 61 });
  expect(count("bluesky-social__atproto", "kysely")).toEqual({ sets: 3, migrations: 107 });
  expect(count("datalens-tech__datalens-us", "knex")).toEqual({ sets: 1, migrations: 160 });
  expect(count("payloadcms__payload", "plain-ts")).toEqual({ sets: 7, migrations: 10 });
});

it("sees every migration module exactly once; index.ts files are not migrations", () => {
  const onDisk = globbySync(KIND_E.map((r) => `${r}/**/*.ts`), { cwd: CORPUS_ABS })
    .filter((f) => !f.endsWith("/index.ts"))
    .map((f) => `${CORPUS}/${f}`);
  const seen = sets.flatMap((s) => s.set.migrations.map((m) => m.up.path));
  expect(new Set(seen).size).toBe(seen.length);
  // Payload's templates/_data/migrations/initial.ts (no leading digit) is seen too: it sits in a `migrations` folder.
  expect(seen.sort()).toEqual(onDisk.sort());
  expect(seen).toHaveLength(48 + 61 + 107 + 160 + 10);
});

it("runner transaction facts: TypeORM and Kysely wrap the whole run; knex's config = { transaction: false } files run outside one", () => {
  const flowise = sets.find((s) => s.set.layout === "typeorm")!.set;
  expect(flowise.migrations.every((m) => m.transactionMode === "all-pending")).toBe(true);
  const datalens = sets.find((s) => s.set.layout === "knex")!.set;
  const off = datalens.migrations.filter((m) => !m.transactional);
  expect(off).toHaveLength(25); // MANIFEST: 25 files export config = { transaction: false }
  expect(off.every((m) => m.transactionMode === "per-statement")).toBe(true);
  expect(datalens.migrations.filter((m) => m.transactional).every((m) => m.transactionMode === "per-migration")).toBe(true);
  expect(sets.filter((s) => s.set.layout === "kysely").every((s) => s.set.migrations.every((m) => m.transactionMode === "all-pending"))).toBe(true);
});

/**
 * The real corpus (../shared/corpus, see its MANIFEST.md): every repo detected with the right layout,
 * the right number of migrations, every SQL file used exactly once, and the transaction facts the
 * runners document.
 */
import path from "node:path";
import { globbySync } from "globby";
import { beforeAll, describe, expect, it } from "vitest";
import { discover, type DiscoveredSet } from "../../src/layout/index.js";
import type { MigrationSet } from "../../src/layout/types.js";

const REPO = path.resolve(import.meta.dirname, "../..");
const CORPUS_ABS = path.resolve(REPO, "../shared/corpus");
const CORPUS = path.relative(REPO, CORPUS_ABS).split(path.sep).join("/");

/** crates.io keeps `run_in_transaction = false` in these migrations' metadata.toml, which the corpus did not copy (MANIFEST). */
const CRATES_NO_TRANSACTION = [
  "2024-02-12-120203_remove_unused_index",
  "2024-03-05-120032_add-crate-downloads-index",
  "2024-05-27-142004_add-versions-id-yanked-index",
  "2024-10-25-112826_make-unique-version-unique",
  "2025-09-22-090805_add_background_jobs_priority_id_index",
  "2025-09-29-161354_add_index_trustpub_configs_github_repo",
  "2026-07-30-140000-0000_add_users_username_index",
];

let sets: DiscoveredSet[];
/** Kind E (TypeScript/JavaScript modules) has its own test: test/layout/ts-corpus.test.ts. */
const TS_LAYOUTS = new Set(["typeorm", "mikro-orm", "kysely", "knex", "node-pg-migrate", "plain-ts"]);
const byRepo = (repo: string): MigrationSet[] => sets.filter((s) => s.set.root.startsWith(`${CORPUS}/${repo}/`)).map((s) => s.set);
const one = (repo: string): MigrationSet => {
  const found = byRepo(repo);
  expect(found).toHaveLength(1);
  return found[0]!;
};

beforeAll(async () => {
  sets = await discover([CORPUS], { cwd: REPO });
});

describe("the corpus", () => {
  it("gives one set per migrations folder, each with the right layout and number of migrations", () => {
    const summary = sets.filter(({ set }) => !TS_LAYOUTS.has(set.layout)).map(({ set }) => [set.root.slice(CORPUS.length + 1), set.layout, set.migrations.filter((m) => !m.prelude).length]);
    expect(summary).toEqual([
      ["Mail-0__Zero/packages/db/migrations", "drizzle", 26],
      ["authelia__authelia/internal/storage/migrations/postgres", "authelia", 26],
      ["chirpstack__chirpstack/chirpstack/migrations_postgres", "diesel", 31],
      ["chirpstack__chirpstack/chirpstack/src/integration/postgresql/migrations", "diesel", 1],
      ["concourse__concourse/atc/db/migration/migrations", "concourse", 151],
      ["dittofeed__dittofeed/packages/backend-lib/drizzle", "drizzle", 11],
      ["mckaywrigley__chatbot-ui/supabase/migrations", "supabase", 25],
      ["onlook-dev__onlook/apps/backend/supabase/migrations", "drizzle", 20],
      ["ory__kratos/persistence/sql/migrations/sql", "pop", 300],
      ["rust-lang__crates.io/migrations", "diesel", 285],
      ["rust-lang__docs.rs/crates/lib/docs_rs_database/migrations", "sqlx", 33],
      ["supabase__storage/migrations/multitenant", "postgres-migrations", 28],
      ["supabase__storage/migrations/tenant", "postgres-migrations", 63],
      ["svix__svix-webhooks/server/svix-server/migrations", "sqlx", 16],
      ["triggerdotdev__trigger.dev/internal-packages/database/prisma/migrations", "prisma", 820],
      ["umami-software__umami/prisma/migrations", "prisma", 19],
      ["usebasejump__basejump/supabase/migrations", "supabase", 4],
      ["vercel__ai-chatbot/lib/db/migrations", "drizzle", 9],
      ["vercel__nextjs-subscription-payments/supabase/migrations", "supabase", 1],
    ]);
  });

  it("uses every one of the 2,710 SQL files exactly once as an up or a down; the one leftover is a file drizzle never runs", () => {
    const onDisk = globbySync("**/*.sql", { cwd: CORPUS_ABS, ignore: ["ory__kratos/prelude/**"] }).map((f) => `${CORPUS}/${f}`);
    expect(onDisk).toHaveLength(2710);
    const used: string[] = [];
    const stray: string[] = [];
    for (const { set } of sets) {
      if (TS_LAYOUTS.has(set.layout)) continue;
      stray.push(...set.stray);
      for (const m of set.migrations) {
        if (m.prelude) continue;
        if (m.external !== "up") used.push(m.up.path);
        if (m.down) used.push(m.down.path);
      }
    }
    expect(new Set(used).size).toBe(used.length);
    // 0025_far_echo.sql shares its number with the journaled 0025_nervous_paper_doll; the journal
    // (which is what drizzle-kit migrate reads) does not list it, so it is reported as a stray.
    expect(stray).toEqual([`${CORPUS}/Mail-0__Zero/packages/db/migrations/0025_far_echo.sql`]);
    expect([...used, ...stray].sort()).toEqual(onDisk.sort());
    expect(used).toHaveLength(2709);
  });

  it("is detected the same when each repo is linted on its own", async () => {
    for (const repo of ["ory__kratos", "rust-lang__docs.rs", "svix__svix-webhooks", "concourse__concourse", "supabase__storage", "onlook-dev__onlook"]) {
      const alone = await discover([`${CORPUS}/${repo}`], { cwd: REPO });
      expect(alone.map((s) => [s.set.root, s.set.layout, s.set.migrations.length])).toEqual(
        byRepo(repo).map((s) => [s.root, s.layout, s.migrations.length]),
      );
    }
  });
});

describe("corpus transaction facts", () => {
  it("kratos: the 10 `.autocommit.` migrations run outside a transaction, the other 290 inside one", () => {
    const set = one("ory__kratos");
    const own = set.migrations.filter((m) => !m.prelude);
    const auto = own.filter((m) => m.up.path.includes(".autocommit."));
    expect(auto).toHaveLength(10);
    expect(auto.every((m) => !m.transactional && m.transactionMode === "per-statement")).toBe(true);
    expect(own.filter((m) => !auto.includes(m)).every((m) => m.transactional && m.transactionMode === "per-migration")).toBe(true);
  });

  it("kratos: the 46 prelude ups replay first, before the oldest of the 300 versions", () => {
    const set = one("ory__kratos");
    const prelude = set.migrations.filter((m) => m.prelude);
    expect(prelude).toHaveLength(46);
    expect(set.migrations.slice(0, 46)).toEqual(prelude);
    expect(prelude.every((m) => m.up.path.startsWith(`${CORPUS}/ory__kratos/prelude/`) && m.version < "20200605111551000002")).toBe(true);
    expect(set.migrations[46]!.id).toBe("20200605111551000002_messages");
    expect(sets.find((s) => s.set === set)!.selected).toBeUndefined();
  });

  it("crates.io: all 285 wrap by default; the config override names the 7 run_in_transaction = false ones", async () => {
    expect(one("rust-lang__crates.io").migrations.every((m) => m.transactional)).toBe(true);
    const transaction = Object.fromEntries(CRATES_NO_TRANSACTION.map((dir) => [`${CORPUS}/rust-lang__crates.io/migrations/${dir}`, false]));
    const [withConfig] = await discover([`${CORPUS}/rust-lang__crates.io`], { cwd: REPO, configDir: REPO, transaction });
    const off = withConfig!.set.migrations.filter((m) => !m.transactional);
    expect(off.map((m) => m.id)).toEqual(CRATES_NO_TRANSACTION);
    expect(off.every((m) => m.transactionMode === "single-query" && m.transactionReason.startsWith('config "transaction"'))).toBe(true);
  });

  it("supabase/storage: exactly the files with `-- postgres-migrations disable-transaction` run outside a transaction", () => {
    const off = byRepo("supabase__storage").flatMap((s) => s.migrations.filter((m) => !m.transactional).map((m) => m.up.path.slice(`${CORPUS}/supabase__storage/`.length)));
    expect(off).toEqual([
      "migrations/multitenant/0023-iceberg-catalog-id.sql",
      "migrations/tenant/0028-object-bucket-name-sorting.sql",
      "migrations/tenant/0029-create-prefixes.sql",
      "migrations/tenant/0030-update-object-levels.sql",
      "migrations/tenant/0031-objects-level-index.sql",
      "migrations/tenant/0032-backward-compatible-index-on-objects.sql",
      "migrations/tenant/0033-backward-compatible-index-on-prefixes.sql",
      "migrations/tenant/0051-index-backward-compatible-search.sql",
      "migrations/tenant/0053-drop-index-lower-name.sql",
      "migrations/tenant/0054-drop-index-object-level.sql",
    ]);
    const tenant = byRepo("supabase__storage").find((s) => s.root.endsWith("/tenant"))!;
    expect(tenant.migrations.slice(8, 11).map((m) => m.id)).toEqual(["0009-fix-search-function", "00010-search-files-search-function", "0011-add-trigger-to-auto-update-updated_at-column"]);
  });

  it("each runner's model: sqlx/diesel/concourse/supabase wrap each migration, drizzle/authelia the whole run, prisma sends one query", () => {
    const modes = Object.fromEntries(sets.filter(({ set }) => !TS_LAYOUTS.has(set.layout)).map(({ set }) => [set.root.slice(CORPUS.length + 1).split("/")[0] + (set.root.endsWith("tenant") ? `/${path.posix.basename(set.root)}` : ""), [...new Set(set.migrations.filter((m) => !m.prelude).map((m) => m.transactionMode))].sort()]));
    expect(modes).toEqual({
      "Mail-0__Zero": ["all-pending"],
      authelia__authelia: ["all-pending"],
      chirpstack__chirpstack: ["per-migration"],
      concourse__concourse: ["per-migration"],
      dittofeed__dittofeed: ["all-pending"],
      "mckaywrigley__chatbot-ui": ["per-migration"],
      "onlook-dev__onlook": ["all-pending"],
      ory__kratos: ["per-migration", "per-statement"],
      "rust-lang__crates.io": ["per-migration"],
      "rust-lang__docs.rs": ["per-migration"],
      "supabase__storage/multitenant": ["per-migration", "single-query"],
      "supabase__storage/tenant": ["per-migration", "single-query"],
      "svix__svix-webhooks": ["per-migration"],
      "triggerdotdev__trigger.dev": ["single-query"],
      "umami-software__umami": ["single-query"],
      usebasejump__basejump: ["per-migration"],
      "vercel__ai-chatbot": ["all-pending"],
      "vercel__nextjs-subscription-payments": ["per-migration"],
    });
  });

  it("concourse: versions with only a down.sql have their up in Go; the mismatched-name version still pairs", () => {
    const set = one("concourse__concourse");
    expect(set.migrations.filter((m) => m.external).map((m) => [m.id, m.external, m.up.path.slice(set.root.length + 1)])).toEqual([
      ["1522178770_add_job_tags", "up", "1522178770_add_job_tags.up.go"],
      ["1561558376_add_type_to_resources", "up", "1561558376_add_type_to_resources.up.go"],
    ]);
    const m = set.migrations.find((x) => x.version === "1554469235")!;
    expect([m.up.path.slice(set.root.length + 1), m.down?.path.slice(set.root.length + 1)]).toEqual(["1554469235_add_new_inputs_to_jobs.up.sql", "1554469235_add_new_inputs_to_job.down.sql"]);
  });
});

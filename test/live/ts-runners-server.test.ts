/**
 * `status` and `rollback` between two runs of the real TypeScript runners on PostgreSQL: TypeORM's
 * MigrationExecutor, MikroORM's Migrator, Kysely's Migrator, knex's migrator and node-pg-migrate's runner
 * each apply a copy of their fixture project (fixtures/ts/<lib>) to a fresh database, then a third
 * migration added to it; `migration-lint rollback --steps 1 --yes` (the real command line) rolls the newest
 * back; the journal must then hold exactly the earlier rows, the catalog must be the one the runner left
 * before the newest migration, and the runner's own migrate must re-apply exactly that one and end on the
 * catalog it had before the rollback.
 *
 * The added migrations' downs cover both sources: four are written with two calls each (run as extracted,
 * one statement per call), TypeORM's builds a table name at run time (`${table}`), so `--downs written`
 * refuses it and the default runs the generated down instead, saying why.
 */
import "reflect-metadata";
import { MikroORM } from "@mikro-orm/postgresql";
import { Migrator as MikroMigrator } from "@mikro-orm/migrations";
import knexFactory from "knex";
import { Kysely, Migrator as KyselyMigrator, PostgresDialect, type Migration as KyselyMigration } from "kysely";
import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { runner as pgmRunner } from "node-pg-migrate";
import pg from "pg";
import { DataSource } from "typeorm";
import { afterAll, describe, expect, it } from "vitest";
import { journalFor } from "../../src/layout/journals.js";
import type { LayoutId } from "../../src/layout/types.js";
import { canonicalJson } from "../../src/verify/diff.js";
import { runCli } from "../e2e/in-process.js";
import { copyFixture, fixDowns } from "../extract/runners/helpers.js";
import { NO_SERVER, SERVER_URL, serverDatabase, type TestDatabase } from "../journal/harness.js";
import { knexJournal } from "../../src/layout/knex-journal.js";
import { nodePgMigrateJournal } from "../../src/layout/node-pg-migrate-journal.js";
import { describeLock, locksFor, releaseLocks, takeLocks } from "../../src/live/lock.js";
import { dropDatabase, freshDatabase, liveSnapshot, withClient } from "./helpers.js";

const cleanups: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

interface Project {
  dir: string;
  migrations: string;
  url: string;
}

interface RunnerCase {
  /** The library, its fixture (fixtures/ts/<lib>) and the layout migration-lint must find. */
  lib: LayoutId;
  /** The migration added after the fixture's: file name → text. */
  added: { file: string; text: string };
  /** The journal's rows as the runner orders them (what identifies each migration). */
  journal: string;
  /** The tables the runner keeps its journal and lock in. */
  tables: string[];
  /** The fixture's migrations then the added one, as the runner records them. */
  recorded: string[];
  /** Which down the added migration's rollback must run. */
  down: "written" | "generated";
  /** What the project needs before the runner can read it. */
  prepare?(project: Project): Promise<void>;
  /** More checks on the migrated project, before the rollback. */
  check?(project: Project): Promise<void>;
  /** What the rollback's report must also say. */
  says?: string[];
  /** Applies every pending migration with the real library; what it applied, as it names them. */
  migrate(project: Project): Promise<string[]>;
}

const ts = (file: string) => file.endsWith(".ts");
/** The added migration's id in migration-lint: its file name without the extension, in every module layout. */
const addedId = (c: RunnerCase) => c.added.file.replace(/\.[^.]+$/, "");
const modules = (project: Project, keep: (f: string) => boolean) => readdirSync(project.migrations).filter(keep).sort();
const load = async (project: Project, file: string) => (await import(/* @vite-ignore */ path.join(project.migrations, file))) as Record<string, unknown>;

const typeorm: RunnerCase = {
  lib: "typeorm",
  added: {
    file: "1700000002000-AddTags.ts",
    text: `import type { MigrationInterface, QueryRunner } from "typeorm";

export class AddTags1700000002000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`CREATE TABLE "tags" ("id" bigint PRIMARY KEY, "label" text NOT NULL)\`);
    await queryRunner.query(\`CREATE INDEX "tags_label_idx" ON "tags" ("label")\`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const table = "tags";
    await queryRunner.query(\`DROP INDEX "tags_label_idx"\`);
    await queryRunner.query(\`DROP TABLE "\${table}"\`);
  }
}
`,
  },
  journal: `SELECT name FROM migrations ORDER BY id`,
  tables: ["migrations"],
  recorded: ["CreateUsers1700000000000", "AddProfile1700000001000", "AddTags1700000002000"],
  down: "generated",
  // The down() builds a table name at run time: never run as written, and --downs written says why.
  async check(project) {
    const args = ["rollback", project.dir, "--database-url", project.url, "--steps", "1", "--yes", "--allow-lossy", "--no-audit", "--downs", "written"];
    const written = await runCli(args, project.dir);
    expect(written.code).toBe(2);
    expect(written.stderr.trim().split("\n")).toHaveLength(1);
    expect(written.stderr).toContain("1700000002000-AddTags: the written down() builds SQL at run time (${table} at ");
    expect(written.stderr).toContain("1700000002000-AddTags.ts:12:44)");
  },
  says: ["the written down() builds SQL at run time (${table} at ", "using the generated down"],
  async migrate(project) {
    const classes = [];
    for (const file of modules(project, ts)) classes.push(...Object.values(await load(project, file)));
    const ds = new DataSource({ type: "postgres", url: project.url, migrations: classes as never, logging: false });
    await ds.initialize();
    try {
      return (await ds.runMigrations()).map((m) => m.name);
    } finally {
      await ds.destroy();
    }
  },
};

const mikroOrm: RunnerCase = {
  lib: "mikro-orm",
  added: {
    file: "Migration20240103000000.ts",
    text: `import { Migration } from "@mikro-orm/migrations";

export class Migration20240103000000 extends Migration {
  async up(): Promise<void> {
    this.addSql('create table "book" ("id" bigint primary key, "author_id" bigint not null references "author" ("id"));');
    this.addSql('create index "book_author_id_index" on "book" ("author_id");');
  }

  async down(): Promise<void> {
    this.addSql('drop index "book_author_id_index";');
    this.addSql('drop table "book";');
  }
}
`,
  },
  journal: `select name from mikro_orm_migrations order by id`,
  tables: ["mikro_orm_migrations"],
  recorded: ["Migration20240101000000", "Migration20240102000000", "Migration20240103000000"],
  down: "written",
  async migrate(project) {
    const migrationsList = [];
    for (const file of modules(project, ts)) {
      const name = file.replace(/\.ts$/, "");
      migrationsList.push({ name, class: (await load(project, file))[name] as never });
    }
    const orm = await MikroORM.init({
      clientUrl: project.url,
      entities: [],
      discovery: { warnWhenNoEntities: false },
      extensions: [MikroMigrator],
      migrations: { migrationsList, snapshot: false },
      debug: false,
    });
    try {
      return (await orm.getMigrator().up()).map((m) => m.name);
    } finally {
      await orm.close(true);
    }
  },
};

const kysely: RunnerCase = {
  lib: "kysely",
  added: {
    file: "0004_add_keeper.ts",
    text: `import { sql, type Kysely } from "kysely";

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql\`CREATE TABLE keeper (id bigint PRIMARY KEY, name text NOT NULL)\`.execute(db);
  await sql\`ALTER TABLE pet ADD COLUMN keeper_id bigint REFERENCES keeper (id)\`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql\`ALTER TABLE pet DROP COLUMN keeper_id\`.execute(db);
  await sql\`DROP TABLE keeper\`.execute(db);
}
`,
  },
  journal: `select name from kysely_migration order by "timestamp", name`,
  tables: ["kysely_migration", "kysely_migration_lock"],
  recorded: ["0001_create_pets", "0002_add_species", "0003_add_owners", "0004_add_keeper"],
  down: "written",
  async migrate(project) {
    const db = new Kysely<unknown>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: project.url, max: 1 }) }) });
    try {
      const migrator = new KyselyMigrator({
        db,
        provider: {
          // Keyed as Kysely's FileMigrationProvider keys them: the file name without its extension.
          getMigrations: async () => {
            const out: Record<string, KyselyMigration> = {};
            for (const file of modules(project, ts)) out[file.replace(/\.ts$/, "")] = (await load(project, file)) as unknown as KyselyMigration;
            return out;
          },
        },
      });
      const { error, results } = await migrator.migrateToLatest();
      if (error) throw error;
      return (results ?? []).map((r) => r.migrationName);
    } finally {
      await db.destroy();
    }
  },
};

const knex: RunnerCase = {
  lib: "knex",
  added: {
    file: "20240105000000_add_notes.js",
    text: `exports.up = async (knex) => {
  await knex.raw("CREATE TABLE order_notes (id bigint PRIMARY KEY, order_id bigint NOT NULL REFERENCES orders (id), body text)");
  await knex.raw("CREATE INDEX order_notes_order_id_idx ON order_notes (order_id)");
};

exports.down = async (knex) => {
  await knex.raw("DROP INDEX order_notes_order_id_idx");
  await knex.raw("DROP TABLE order_notes");
};
`,
  },
  journal: `select name from knex_migrations order by id`,
  tables: ["knex_migrations", "knex_migrations_lock"],
  recorded: ["20240101000000_create_orders.js", "20240102000000_add_status.js", "20240103000000_create_customers.js", "20240104000000_customer_tier.js", "20240105000000_add_notes.js"],
  down: "written",
  // knex refuses a folder with a module that has no down: the fixture's second one gets its own from --fix first.
  prepare: async (project) => void (await fixDowns(project.dir)),
  async migrate(project) {
    const k = knexFactory({ client: "pg", connection: project.url, migrations: { directory: project.migrations } });
    try {
      const [, applied] = (await k.migrate.latest()) as [number, string[]];
      return applied;
    } finally {
      await k.destroy();
    }
  },
};

const nodePgMigrate: RunnerCase = {
  lib: "node-pg-migrate",
  added: {
    file: "1700000004000_add-shelf.js",
    text: `/** @param {import("node-pg-migrate").MigrationBuilder} pgm */
exports.up = (pgm) => {
  pgm.sql("CREATE TABLE shelves (id bigint PRIMARY KEY, label text)");
  pgm.sql("ALTER TABLE books ADD COLUMN shelf_id bigint REFERENCES shelves (id)");
};

/** @param {import("node-pg-migrate").MigrationBuilder} pgm */
exports.down = (pgm) => {
  pgm.sql("ALTER TABLE books DROP COLUMN shelf_id");
  pgm.sql("DROP TABLE shelves");
};
`,
  },
  journal: `SELECT name FROM pgmigrations ORDER BY run_on, id`,
  tables: ["pgmigrations"],
  recorded: ["1700000000000_create-books", "1700000001000_add-isbn", "1700000002000_add-year", "1700000003000_add-authors", "1700000004000_add-shelf"],
  down: "written",
  async migrate(project) {
    const run = await pgmRunner({ databaseUrl: project.url, dir: project.migrations, direction: "up", migrationsTable: "pgmigrations", log: () => {}, singleTransaction: true });
    return run.map((m) => m.name);
  },
};

const CASES = [typeorm, mikroOrm, kysely, knex, nodePgMigrate];

/** Columns, constraints and defaults of every table in `schema`, to compare the runner's journal tables with ours. */
async function tablesOf(url: string, schema: string): Promise<unknown[]> {
  return withClient(url, async (c) => {
    const columns = await c.query(
      `SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, regexp_replace(column_default, '^nextval\\(.*', 'nextval') AS column_default
         FROM information_schema.columns WHERE table_schema = $1 ORDER BY table_name, ordinal_position`,
      [schema],
    );
    const keys = await c.query(
      `SELECT cl.relname AS table_name, pg_get_constraintdef(co.oid) AS def FROM pg_constraint co JOIN pg_class cl ON cl.oid = co.conrelid
         JOIN pg_namespace n ON n.oid = cl.relnamespace WHERE n.nspname = $1 ORDER BY 1, 2`,
      [schema],
    );
    return [...columns.rows, ...keys.rows];
  });
}

/** The journal tables the real runner made (in public, its default) are the ones our createSql makes. */
async function sameJournalDdl(url: string, layout: LayoutId, journalTables: readonly string[]): Promise<void> {
  const journal = journalFor(layout, {})!;
  await withClient(url, async (c) => {
    await c.query("CREATE SCHEMA ours");
    for (const sql of journal.createSql({ schema: "ours" })) await c.query(sql);
  });
  const theirs = (await tablesOf(url, "public")).filter((r) => journalTables.includes((r as { table_name: string }).table_name));
  expect(theirs.length).toBeGreaterThan(2);
  expect(await tablesOf(url, "ours")).toEqual(theirs);
  await withClient(url, (c) => c.query("DROP SCHEMA ours CASCADE"));
}

async function journalNames(url: string, sql: string): Promise<string[]> {
  return withClient(url, async (c) => (await c.query<{ name: string }>(sql)).rows.map((r) => r.name));
}

const schemaOf = async (url: string) => canonicalJson(await liveSnapshot(url));

interface StatusJson {
  runner: string;
  journal: { table: string; exists: boolean };
  migrations: { id: string; state: string; rollback?: { down: string } }[];
}

async function status(project: Project): Promise<StatusJson> {
  const run = await runCli(["status", project.dir, "--database-url", project.url, "--format", "json"], project.dir);
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout) as StatusJson;
}

describe.skipIf(!SERVER_URL)(`rollback between two runs of the real TypeScript runners${SERVER_URL ? "" : ` (skipped: ${NO_SERVER})`}`, () => {
  for (const c of CASES) {
    it(`${c.lib}: migrate, rollback --steps 1 --yes, migrate re-applies exactly that one`, { timeout: 60_000 }, async () => {
      const copy = copyFixture(c.lib);
      const url = await freshDatabase(SERVER_URL!, "mlts");
      cleanups.push(copy.remove, () => dropDatabase(SERVER_URL!, url));
      const project: Project = { dir: copy.dir, migrations: copy.migrations, url };
      const earlier = c.recorded.slice(0, -1);
      await c.prepare?.(project);

      // The fixture's migrations (a first release), then the added one (the next release).
      expect(await c.migrate(project)).toEqual(earlier);
      await sameJournalDdl(url, c.lib, c.tables);
      const before = await schemaOf(url);
      writeFileSync(path.join(project.migrations, c.added.file), c.added.text);
      expect(await c.migrate(project)).toEqual(c.recorded.slice(-1));
      const full = await schemaOf(url);
      expect(full).not.toBe(before);
      expect(await journalNames(url, c.journal)).toEqual(c.recorded);

      const applied = await status(project);
      expect(applied.runner).toBe(c.lib);
      expect(applied.journal.exists).toBe(true);
      expect(applied.migrations.map((m) => m.state)).toEqual(c.recorded.map(() => "applied"));
      expect(applied.migrations.at(-1)).toMatchObject({ id: addedId(c), rollback: { down: c.down } });

      await c.check?.(project);
      expect(await journalNames(url, c.journal)).toEqual(c.recorded);
      const run = await runCli(["rollback", project.dir, "--database-url", url, "--steps", "1", "--yes", "--allow-lossy", "--no-audit"], project.dir);
      expect(run.stderr).toBe("");
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`/migrations (${c.lib}) on database `);
      expect(run.stdout).toContain(`1. ${addedId(c)}`);
      expect(run.stdout).toContain(c.down === "written" ? `(written down ` : "(generated down");
      expect(run.stdout).toContain(`rolled back ${addedId(c)}`);
      for (const text of c.says ?? []) expect(run.stdout).toContain(text);

      expect(await journalNames(url, c.journal)).toEqual(earlier);
      expect(await schemaOf(url)).toBe(before);
      const after = await status(project);
      expect(after.migrations.map((m) => m.state)).toEqual([...earlier.map(() => "applied"), "pending"]);

      // The runner itself now sees exactly that migration pending, applies it, and the catalog is back.
      expect(await c.migrate(project)).toEqual(c.recorded.slice(-1));
      expect(await schemaOf(url)).toBe(full);
      expect(await journalNames(url, c.journal)).toEqual(c.recorded);
    });
  }

});

/** A database of its own where the runner applied its fixture's migrations, the added one written but pending. */
async function pendingAdded(c: RunnerCase, label: string): Promise<{ db: TestDatabase; project: Project }> {
  const copy = copyFixture(c.lib);
  const db = await serverDatabase(label);
  cleanups.push(copy.remove, () => db.close());
  const project: Project = { dir: copy.dir, migrations: copy.migrations, url: db.url! };
  await c.prepare?.(project);
  await c.migrate(project);
  writeFileSync(path.join(project.migrations, c.added.file), c.added.text);
  return { db, project };
}

describe.skipIf(!SERVER_URL)(`the runner's own lock, held by rollback, stops the real runner${SERVER_URL ? "" : ` (skipped: ${NO_SERVER})`}`, () => {
  it("knex: the lock row is taken as knex takes it; knex's migrate fails meanwhile and runs once it is released", { timeout: 60_000 }, async () => {
    const { db, project } = await pendingAdded(knex, "tslock_knex");
    // A second session on the same database, as a second rollback would have.
    const other = new pg.Client({ connectionString: db.url });
    await other.connect();
    cleanups.push(() => other.end());

    const locks = locksFor(knexJournal, db.name, knexJournal.location({}));
    expect(locks.map(describeLock)[1]).toContain(`update "public"."knex_migrations_lock" set "is_locked" = 1 where "is_locked" = 0`);
    const held = await takeLocks(db.client, locks, 1_000);
    expect(held).toHaveLength(2);
    await expect(knex.migrate(project)).rejects.toThrow("Migration table is already locked");
    // A second rollback waits for the row, then gives up with a message naming it.
    const otherClient = { query: async <R extends object>(text: string, params?: unknown[]) => (await other.query(text, params)).rows as R[] };
    await expect(takeLocks(otherClient, locks.slice(1), 300)).rejects.toThrow(/lock row in public\.knex_migrations_lock is taken .*waited 0s \(--lock-wait\); nothing was rolled back/);
    await releaseLocks(db.client, held);
    expect(await db.client.query("SELECT is_locked FROM knex_migrations_lock")).toEqual([{ is_locked: 0 }]);
    expect(await knex.migrate(project)).toEqual(["20240105000000_add_notes.js"]);
  });

  it("node-pg-migrate: its advisory key is held; node-pg-migrate's runner fails meanwhile and runs once it is released", { timeout: 60_000 }, async () => {
    const { db, project } = await pendingAdded(nodePgMigrate, "tslock_pgm");
    const held = await takeLocks(db.client, locksFor(nodePgMigrateJournal, db.name, nodePgMigrateJournal.location({})), 1_000);
    await expect(nodePgMigrate.migrate(project)).rejects.toThrow("Another migration is already running");
    await releaseLocks(db.client, held);
    expect(await nodePgMigrate.migrate(project)).toEqual(["1700000004000_add-shelf"]);
  });
});

/**
 * The knex builder mapper against the real knex: each snippet of the corpus is written once, put in a
 * migration module and read by the extractor, and evaluated with the real knex (pg client, no
 * connection) whose `toSQL()` is the SQL knex sends. The two must be equal, statement for statement.
 * Chains the mapper does not map must be `dynamic-sql` (unmapped-call) with the reason, never partial.
 */
import fc from "fast-check";
import knexFactory from "knex";
import { describe, expect, it } from "vitest";
import type { BuilderContext } from "../../../src/extract/builders/builder.js";
import { knexBuilder } from "../../../src/extract/builders/knex.js";
import { extractModule } from "../../../src/extract/extract.js";
import { children, parseModule, type JsNode } from "../../../src/extract/module.js";
import { expectUnmapped } from "./expect-unmapped.js";

const realKnex = knexFactory({ client: "pg", log: { warn() {}, deprecate() {}, debug() {}, error() {} } });

/** Module-level constants some snippets read (the extractor resolves `const` strings). */
const PRELUDE = `const TABLE = "accounts";\nconst COLUMN = 'owner_id';\n`;

/** What knex itself compiles the snippet to. */
function knexSql(snippet: string): string[] {
  const builder = new Function("knex", `${PRELUDE}return ${snippet};`)(realKnex) as { toSQL(): { sql: string; bindings: unknown[] }[] };
  const compiled = builder.toSQL();
  for (const q of compiled) expect(q.bindings).toEqual([]);
  return compiled.map((q) => q.sql);
}

function extracted(snippet: string, style: "esm" | "cjs" = "esm") {
  const text = style === "esm" ? `import type { Knex } from "knex";\n${PRELUDE}export async function up(knex: Knex): Promise<void> {\n  await ${snippet};\n}\n` : `${PRELUDE}exports.up = function (knex) {\n  return ${snippet};\n};\n`;
  const up = extractModule(style === "esm" ? "20240101_x.ts" : "20240101_x.js", text).up!;
  return { sql: up.sql.map((s) => s.sql.text), builders: up.sql.map((s) => s.builder), dynamic: up.dynamic };
}

const CORPUS: string[] = [
  // schema-level calls
  `knex.schema.dropTable('users')`,
  `knex.schema.dropTableIfExists('users')`,
  `knex.schema.withSchema('app').dropTableIfExists('users')`,
  `knex.schema.renameTable('users', 'people')`,
  `knex.schema.withSchema('app').renameTable('users', 'people')`,
  `knex.schema.createSchema('app')`,
  `knex.schema.createSchemaIfNotExists('app')`,
  `knex.schema.dropSchema('app')`,
  `knex.schema.dropSchema('app', true)`,
  `knex.schema.dropSchemaIfExists('app', true)`,
  `knex.schema.createExtensionIfNotExists('pg_trgm')`,
  `knex.schema.dropExtension('pg_trgm')`,
  `knex.schema.dropTable('a').dropTable('b').renameTable('c', 'd')`,
  `knex.schema.dropTableIfExists(TABLE)`,
  `knex.schema.raw('SELECT 1').dropTable('x')`,
  `knex.schema.dropTable('x').raw('SELECT 2')`,
  // createTable: the example and each column type
  `knex.schema.createTable('users', (t) => { t.increments('id'); t.string('email', 320).notNullable().unique(); })`,
  `knex.schema.createTable('t', (t) => { t.increments(); })`,
  `knex.schema.createTable('t', (t) => { t.bigIncrements('id'); t.text('body'); })`,
  `knex.schema.createTable('t', (t) => { t.increments('id', { primaryKey: false }); })`,
  `knex.schema.createTable('t', (t) => { t.integer('a'); t.bigInteger('b'); t.bigint('c'); t.smallint('d'); t.tinyint('e'); t.mediumint('f'); })`,
  `knex.schema.createTable('t', (t) => { t.string('a'); t.string('b', 40); t.varchar('c', 12); t.text('d', 'longtext'); })`,
  `knex.schema.createTable('t', (t) => { t.boolean('a'); t.bool('b'); t.date('c'); t.time('d'); })`,
  `knex.schema.createTable('t', (t) => { t.datetime('a'); t.dateTime('b', { useTz: false }); t.timestamp('c'); t.timestamp('d', { precision: 3 }); t.timestamp('e', true); t.datetime('f', { useTz: false, precision: 6 }); })`,
  `knex.schema.createTable('t', (t) => { t.timestamps(); })`,
  `knex.schema.createTable('t', (t) => { t.timestamps(true, true); })`,
  `knex.schema.createTable('t', (t) => { t.timestamps(false, true, true); })`,
  `knex.schema.createTable('t', (t) => { t.timestamps({ useTimestamps: true, defaultToNow: true, useCamelCase: true }); })`,
  `knex.schema.createTable('t', (t) => { t.decimal('a'); t.decimal('b', 10, 4); t.decimal('c', null); t.float('d'); t.float('e', 5, 2); t.double('f'); })`,
  `knex.schema.createTable('t', (t) => { t.uuid('id').primary(); t.uuid('other'); })`,
  `knex.schema.createTable('t', (t) => { t.uuid('id', { primaryKey: true }); })`,
  `knex.schema.createTable('t', (t) => { t.uuid('id', { primaryKey: true }).defaultTo(knex.fn.uuid()); })`,
  `knex.schema.createTable('t', (t) => { t.json('a'); t.jsonb('b'); t.jsonb('c').defaultTo('{}'); t.json('d').defaultTo({ k: [1, 2] }); })`,
  `knex.schema.createTable('t', (t) => { t.enu('status', ['new', 'paid']); t.enum('kind', ['a', 'b', 'c']).notNullable().defaultTo('a'); })`,
  `knex.schema.createTable('t', (t) => { t.enu('status', ['new', 'paid'], { useNative: true, enumName: 'order_status' }); t.enu('mood', ['ok'], { useNative: true, enumName: 'mood' }); })`,
  `knex.schema.withSchema('app').createTable('t', (t) => { t.enu('status', ['new'], { useNative: true, enumName: 'st' }); t.enu('s2', null, { useNative: true, existingType: true, enumName: 'st' }); })`,
  `knex.schema.createTable('t', (t) => { t.enu('status', ['x'], { useNative: true, enumName: 'st', schemaName: 'types' }); })`,
  `knex.schema.createTable('t', (t) => { t.specificType('geom', 'geometry(Point, 4326)'); t.specificType('tags', 'text[]').notNullable(); })`,
  `knex.schema.createTable('t', (t) => { t.binary('blob'); t.binary('b2', 16); })`,
  // modifiers
  `knex.schema.createTable('t', (t) => { t.string('a').nullable(); t.string('b').notNullable(); t.string('c').notNull(); t.string('d').nullable(false); })`,
  `knex.schema.createTable('t', (t) => { t.integer('a').defaultTo(0); t.integer('b').defaultTo(-1); t.string('c').defaultTo("it's"); t.text('d').defaultTo('back\\\\slash'); t.string('e').defaultTo(null); })`,
  `knex.schema.createTable('t', (t) => { t.boolean('a').defaultTo(true); t.boolean('b').defaultTo(false); t.boolean('c').defaultTo('false'); t.string('d').defaultTo(true); })`,
  `knex.schema.createTable('t', (t) => { t.timestamp('a').defaultTo(knex.fn.now()); t.timestamp('b', { precision: 6 }).defaultTo(knex.fn.now(6)); t.string('c').defaultTo(knex.raw("'x'::text")); t.integer('d').default(5); t.integer('e').defaultsTo(6); })`,
  `knex.schema.createTable('t', (t) => { t.increments('id').comment('the key'); t.string('name').comment("it's ok").notNullable(); t.string('empty').comment(''); t.comment('the table'); })`,
  `knex.schema.createTable('t', (t) => { t.integer('a').unsigned().notNullable(); t.string('b').collate('C'); })`,
  `knex.schema.createTable('t', (t) => { t.increments('id').primary(); t.integer('a').index(); t.integer('b').index('b_idx'); t.integer('c').unique('c_uq'); })`,
  `knex.schema.createTable('t', (t) => { t.integer('a'); t.integer('b'); t.primary(['a', 'b']); })`,
  `knex.schema.createTable('t', (t) => { t.increments('id'); t.integer('a'); t.primary(['a'], 'my_pk'); })`,
  `knex.schema.createTable('t', (t) => { t.integer('a').primary({ constraintName: 'pk_a', deferrable: 'deferred' }); })`,
  `knex.schema.createTable('t', (t) => { t.string('a'); t.string('b'); t.unique(['a', 'b']); t.index(['b', 'a'], 'ba_idx', 'gin'); t.index('a', undefined, { indexType: 'unique', storageEngineIndexType: 'btree' }); })`,
  `knex.schema.createTable('t', (t) => { t.string('a'); t.unique(['a'], { indexName: 'a_uq', useConstraint: false }); t.unique('a', { indexName: 'a_uq2', deferrable: 'immediate' }); })`,
  // foreign keys
  `knex.schema.createTable('posts', (t) => { t.increments(); t.integer('user_id').unsigned().references('id').inTable('users').onDelete('CASCADE'); })`,
  `knex.schema.createTable('posts', (t) => { t.integer('user_id').references('users.id').onDelete('SET NULL').onUpdate('CASCADE').notNullable(); })`,
  `knex.schema.createTable('posts', (t) => { t.integer('user_id').notNullable().references('id').on('users').withKeyName('posts_user_fk'); })`,
  `knex.schema.createTable('posts', (t) => { t.integer('user_id'); t.foreign('user_id').references('id').inTable('app.users').onDelete('RESTRICT'); })`,
  `knex.schema.createTable('posts', (t) => { t.integer('a'); t.integer('b'); t.foreign(['a', 'b'], 'ab_fk').references(['x', 'y']).inTable('other').deferrable('deferred'); })`,
  `knex.schema.createTable('posts', (t) => { t.integer('a'); t.foreign('a').references('other.id').withKeyName('named_fk'); })`,
  `knex.schema.createTableIfNotExists('t', (t) => { t.increments(); t.string('a').unique(); })`,
  `knex.schema.withSchema('app').createTable('t', (t) => { t.increments(); t.string('a').unique().comment('x'); t.comment('y'); })`,
  `knex.schema.createTable(TABLE, (t) => { t.integer(COLUMN).references('id').inTable('users'); })`,
  `knex.schema.createTable('t', function (table) { table.increments(); table.string('name'); })`,
  `knex.schema.createTable('t', function () { this.increments(); this.string('name'); })`,
  `knex.schema.createTable('t', (t) => t.increments())`,
  `knex.schema.createTable('a', (t) => { t.increments(); }).createTable('b', (t) => { t.integer('a_id').references('a.id'); })`,
  // alterTable / table
  `knex.schema.alterTable('users', (t) => { t.string('nickname', 50); t.integer('age').notNullable().defaultTo(0); })`,
  `knex.schema.table('users', (t) => { t.dropColumn('nickname'); })`,
  `knex.schema.table('users', (t) => { t.dropColumns('a', 'b'); t.dropColumn(['c', 'd']); })`,
  `knex.schema.table('users', (t) => { t.renameColumn('a', 'b'); })`,
  `knex.schema.withSchema('app').alterTable('users', (t) => { t.string('a').comment('added'); t.dropIndex('a'); t.dropIndex(['a', 'b'], 'named_idx'); })`,
  `knex.schema.table('users', (t) => { t.dropForeign('user_id'); t.dropForeign(['a', 'b'], 'ab_fk'); t.dropUnique(['email']); t.dropUnique('x', 'x_uq'); t.dropPrimary(); t.dropPrimary('my_pk'); })`,
  `knex.schema.table('users', (t) => { t.dropForeignIfExists('user_id'); t.dropUniqueIfExists('email'); t.dropPrimaryIfExists(); })`,
  `knex.schema.table('users', (t) => { t.dropTimestamps(); })`,
  `knex.schema.table('users', (t) => { t.dropTimestamps(true); })`,
  `knex.schema.table('users', (t) => { t.setNullable('email'); t.dropNullable('name'); })`,
  `knex.schema.table('users', (t) => { t.string('email', 400).notNullable().alter(); })`,
  `knex.schema.table('users', (t) => { t.integer('age').defaultTo(1).alter({ alterNullable: false }); })`,
  `knex.schema.table('users', (t) => { t.text('bio').nullable().alter({ alterType: false }); t.string('x').alter(); })`,
  `knex.schema.table('users', (t) => { t.enu('status', ['a', 'b']).alter(); t.string('z'); })`,
  `knex.schema.table('users', (t) => { t.primary(['id']); t.primary('id', 'users_pk2'); t.unique('email'); t.index('email'); t.comment('people'); })`,
  `knex.schema.table('users', (t) => { t.increments('id'); t.integer('org_id').references('orgs.id').onDelete('CASCADE'); })`,
  `knex.schema.table('users', (t) => { t.uuid('u', { primaryKey: true }); t.bigIncrements('n', { primaryKey: false }); })`,
  `knex.schema.table('users', (t) => { t.enu('a', ['x'], { useNative: true, enumName: 'e_a' }); t.enu('b', ['y'], { useNative: true, enumName: 'e_b' }).alter(); })`,
  `knex.schema.createTable('t', (t) => { t.integer('x').references('id'); t.integer('y').references('id').inTable('users').notNullable().index(); })`,
  `knex.schema.createTable('t', (t) => { t.decimal('p', 12, 2).defaultTo(1.5); t.float('f').defaultTo(0.1); t.enu('n', [1, 2, 3]); })`,
  `knex.schema.createTable('app.users', (t) => { t.increments(); t.string('email').unique(); t.integer('org').references('orgs.id'); })`,
  `knex.schema.table('app.users', (t) => { t.dropIndex('a'); t.unique('b'); t.string('c').index().unique(); })`,
  `knex.schema.table('users', (t) => { t.string('a').primary(); t.string('b').comment("x").alter(); })`,
  `knex.schema.createTable('my-table', (t) => { t.string('Mixed Case').unique(); t.string('quo"te'); })`,
];

describe("knex builder calls compile to what the real knex emits (pg)", () => {
  it("holds a corpus of at least 60 calls", () => expect(CORPUS.length).toBeGreaterThanOrEqual(60));
  it.each(CORPUS)("%s", (snippet) => {
    const want = knexSql(snippet);
    const got = extracted(snippet);
    expect(got.dynamic).toEqual([]);
    expect(got.sql).toEqual(want);
    expect(got.builders.every((b) => b === "knex")).toBe(true);
  });
  it("reads a typed table parameter (TypeScript) like an untyped one", () => {
    const snippet = `knex.schema.createTable('t', (t) => { t.increments(); t.string('a').notNullable(); })`;
    expect(extracted(snippet.replace("(t) =>", "(t: Knex.CreateTableBuilder): void =>")).sql).toEqual(knexSql(snippet));
  });
  it("reads CommonJS modules returning the chain the same way", () => {
    const snippet = CORPUS[15]!;
    expect(extracted(snippet, "cjs").sql).toEqual(knexSql(snippet));
  });
});

/** Random table callbacks built from the mapped vocabulary: the mapper and knex must still agree. */
const name = fc.constantFrom("a", "b", "user_id", "Mixed", "x.y");
const lit = fc.oneof(fc.constantFrom("''", `"it's"`, "'a\\\\b'", "0", "-3", "1.5", "true", "false", "null", "'false'", "knex.fn.now()", "knex.raw('now()')"));
const columnType = fc.oneof(
  fc.constantFrom("increments", "bigIncrements", "integer", "bigInteger", "smallint", "text", "boolean", "date", "datetime", "timestamp", "uuid", "json", "jsonb", "float", "double", "binary"),
  fc.constantFrom("string", "decimal", "enu", "nativeEnum", "specificType"),
);
const columnArgs = fc.tuple(columnType, name, fc.constantFrom("", ", 40", ", 10, 3", ", { useTz: false }", ", { primaryKey: true }")).map(([t, n, extra]) => {
  const fits = (t === "string" && extra === ", 40") || (t === "decimal" && extra === ", 10, 3") || (["datetime", "timestamp"].includes(t) && extra === ", { useTz: false }") || (["increments", "bigIncrements", "uuid"].includes(t) && extra === ", { primaryKey: true }");
  if (t === "enu") return `enu('${n}', ['p', "q's"])`;
  if (t === "nativeEnum") return `enu('${n}', ['p', 'q'], { useNative: true, enumName: 'e_${n}' })`;
  if (t === "specificType") return `specificType('${n}', 'int4range')`;
  return `${t}('${n}'${fits ? extra : ""})`;
});
const modifier = fc.oneof(
  fc.constantFrom(".notNullable()", ".nullable()", ".unique()", ".index()", ".primary()", ".comment('c')", ".unsigned()", ".references('other.id')", ".references('id').inTable('other').onDelete('CASCADE')"),
  lit.map((v) => `.defaultTo(${v})`),
);
const column = fc.tuple(columnArgs, fc.array(modifier, { maxLength: 3 })).map(([c, ms]) => `t.${c}${ms.join("")};`);
const tableCall = fc.oneof(
  fc.constantFrom("t.timestamps(true, true);", "t.comment('tbl');", "t.unique(['a', 'b']);", "t.index('a', 'a_idx', 'hash');", "t.primary(['a']);", "t.foreign('b').references('id').inTable('z');"),
);
const alterOnly = fc.oneof(
  fc.constantFrom("t.dropColumn('a');", "t.renameColumn('a', 'b');", "t.dropIndex('a');", "t.dropForeign('b');", "t.setNullable('a');", "t.dropTimestamps();"),
  fc.tuple(column, fc.constantFrom(".alter()", ".alter({ alterNullable: false })", ".alter({ alterType: false })")).map(([c, a]) => c.replace(/;$/, `${a};`)),
);

describe("random table callbacks compile like the real knex", () => {
  it("createTable and alterTable, 300 cases", () => {
    const body = (alter: boolean) => fc.array(fc.oneof({ weight: 4, arbitrary: column }, { weight: 1, arbitrary: tableCall }, { weight: alter ? 2 : 0, arbitrary: alterOnly }), { minLength: 1, maxLength: 6 });
    const snippet = fc.oneof(
      body(false).map((b) => `knex.schema.createTable('t', (t) => { ${b.join(" ")} })`),
      body(true).map((b) => `knex.schema.withSchema('s').table('t', (t) => { ${b.join(" ")} })`),
    );
    // Both shapes and the alter-only calls do occur in what is generated.
    const sample = fc.sample(snippet, { numRuns: 200, seed: 1 });
    expect(sample.some((s) => s.includes(".alter(")) && sample.some((s) => s.includes("createTable")) && sample.some((s) => s.includes("useNative"))).toBe(true);
    fc.assert(
      fc.property(snippet, (s) => {
        const got = extracted(s);
        expect(got.dynamic).toEqual([]);
        expect(got.sql).toEqual(knexSql(s));
      }),
      { numRuns: 300 },
    );
  });
});

/** Calls knex has but the mapper does not map, or values it cannot know: dynamic with the reason. */
const UNMAPPED: [string, string][] = [
  [`knex.schema.createTable('t', (t) => { t.increments(); t.string('a').checkIn(['x']); })`, "`t.varchar().checkIn()` is not mapped"],
  [`knex.schema.createTable('t', (t) => { t.increments(); t.check('?? > 0', ['a']); })`, "`t.check()` is not mapped"],
  [`knex.schema.createTable('t', (t) => { t.increments(); if (flag) t.string('a'); })`, "the table callback holds `if (flag) t.string('a');`, not only builder calls"],
  [`knex.schema.createTable('t', (t) => { for (const c of cols) t.string(c); })`, "not only builder calls"],
  [`knex.schema.createTable('t', (t) => { addAudit(t); })`, "not only calls on its table"],
  [`knex.schema.createTable('t', (t) => { const c = t.string('a'); c.notNullable(); })`, "not only builder calls"],
  [`knex.schema.createTable('t', (t) => { t.string(name); })`, "`name` is not known statically"],
  [`knex.schema.createTable('t', (t) => { t.integer('a').defaultTo(limit); })`, "`limit` is not known statically"],
  [`knex.schema.createTable('t', (t) => { t.string('a').defaultTo(knex.raw('?', ['x'])); })`, "has bindings"],
  [`knex.schema.createTable('t', async (t) => { t.increments(); })`, "the table callback is async"],
  [`knex.schema.createTable('t', buildColumns)`, "is not a function written here"],
  [`knex.schema.createTable(tableName, (t) => { t.increments(); })`, "`tableName` is not known statically"],
  [`knex.schema.hasTable('t')`, "`.hasTable()` is a query whose answer decides what runs"],
  [`knex.schema.createView('v', (v) => { v.as(knex.select('*').from('t')); })`, "`.createView()` is not mapped"],
  [`knex.schema.createTable('t', (t) => { t.increments(); }).then(() => log('done'))`, "`.then()` runs code after the statements"],
  [`knex.schema.createTable('t', (t) => { t.dropColumn('a'); })`, "exists only in alterTable / table"],
  [`knex.schema.createTable('t', (t) => { t.specificType('g', 'geometry').index(null, { indexType: 'GIST', predicate: knex.whereNotNull('g') }); })`, "not known statically"],
  [`knex.schema.table('t', (t) => { t.string('a').dropColumn('b'); })`, "`t.varchar().dropColumn()` is not mapped"],
];

describe("knex builder calls the mapper does not map", () => {
  it.each(UNMAPPED)("%s", (snippet, reason) => {
    expectUnmapped(extracted(snippet), reason);
  });

  it("leaves another library's `db.schema` chain (Kysely) to that library's mapper", () => {
    const text = `export async function up(db) {\n  await db.schema.createTable('t').addColumn('id', 'integer').execute();\n}\n`;
    const call = outermostCall(parseModule("1.ts", text).program)!;
    const ctx: BuilderContext = { text, runner: new Set(["db"]), stringOf: (n) => (n.type === "Literal" && typeof n.value === "string" ? n.value : undefined) };
    expect(text.slice(call.start, call.end)).toBe("db.schema.createTable('t').addColumn('id', 'integer').execute()");
    expect(knexBuilder.compile(call, ctx)).toBeUndefined();
  });

  it("never reads a Kysely module's `db.schema` as knex, even a chain of names knex has too", () => {
    const text = `import { Kysely } from 'kysely'\nexport async function down(db: Kysely<unknown>): Promise<void> {\n  await db.schema.dropTable('member')\n}\n`;
    const call = outermostCall(parseModule("1.ts", text).program)!;
    const ctx: BuilderContext = { text, runner: new Set(["db"]), stringOf: (n) => (n.type === "Literal" && typeof n.value === "string" ? n.value : undefined) };
    expect(knexBuilder.compile(call, ctx)).toBeUndefined();
    expect(knexBuilder.compile(call, { ...ctx, text: text.replace("import { Kysely } from 'kysely'", "import type { Knex } from 'knex'") })).toEqual({ sql: ['drop table "member"'] });
  });

  it("the knex layout wins over the guess: a knex migration that also imports Kysely's types is read as knex", () => {
    const text = `import type { Knex } from "knex";\nimport type { Kysely } from "kysely";\nexport async function up(knex: Knex): Promise<void> {\n  await knex.schema.renameTable('users', 'people');\n}\n`;
    const read = (layout?: "knex" | "plain-ts") => {
      const up = extractModule("20240101_x.ts", text, layout).up!;
      return { sql: up.sql.map((s) => [s.sql.text, s.builder]), dynamic: up.dynamic.map((d) => d.expression) };
    };
    // Guessed from the text alone, the Kysely import makes the chain Kysely's (which has no renameTable).
    expect(read()).toEqual({ sql: [], dynamic: [expect.stringMatching(/\(Kysely's db\.schema\.renameTable\(\) is not mapped\)$/)] });
    expect(read("plain-ts")).toEqual(read());
    expect(read("knex")).toEqual({ sql: [[knexSql(`knex.schema.renameTable('users', 'people')`)[0], "knex"]], dynamic: [] });
  });

  it("under the knex layout a method knex's SchemaBuilder lacks is an unmapped knex call, not another library's", () => {
    const text = `exports.up = function (knex) {\n  return knex.schema.dropTable('t').ifExists();\n};\n`;
    const dynamic = (layout?: "knex") => extractModule("20240101_x.js", text, layout).up!.dynamic.map((d) => d.expression);
    expect(dynamic()).toEqual(["knex.schema.dropTable('t').ifExists()"]);
    expect(dynamic("knex")).toEqual(["knex.schema.dropTable('t').ifExists() (`.ifExists()` is not mapped)"]);
  });

  it("maps a chain only on the runner parameter", () => {
    const text = `export async function up(knex) {\n  const other = make();\n  await other.schema.dropTable('t');\n}\n`;
    expect(extractModule("1.ts", text).up!.sql).toEqual([]);
  });
});

function outermostCall(node: JsNode): JsNode | undefined {
  if (node.type === "CallExpression") return node;
  for (const c of children(node)) {
    const found = outermostCall(c);
    if (found) return found;
  }
  return undefined;
}

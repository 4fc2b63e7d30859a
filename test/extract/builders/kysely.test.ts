/**
 * Kysely's schema builder read statically: for each snippet of the corpus, the SQL migration-lint maps
 * the chain to is exactly what the real Kysely (its PostgreSQL compiler, no database) compiles the same
 * snippet text to. Snippets the mapper cannot read are `dynamic-sql` with the reason, never a partial
 * statement, and the real library shows why where it can (it rejects the call, or the SQL is not static).
 */
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { extractModule } from "../../../src/extract/extract.js";
import { expectUnmapped } from "./expect-unmapped.js";

const db = new Kysely<unknown>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});

/** The snippet as the real library compiles it (`db` and `sql` in scope, as in a migration). */
function realSql(snippet: string): string {
  const build = new Function("db", "sql", `return ${snippet};`) as (d: unknown, s: unknown) => { compile(): { sql: string; parameters: readonly unknown[] } };
  const compiled = build(db, sql).compile();
  expect(compiled.parameters).toEqual([]);
  return compiled.sql;
}

function module(body: string): string {
  return `import { Kysely, sql } from "kysely";\nexport async function up(db: Kysely<any>): Promise<void> {\n${body}\n}\n`;
}

/** The up() the extractor reads from `await <snippet>.execute()`. */
const upOf = (snippet: string) => extractModule("0001_m.ts", module(`  await ${snippet}.execute();`)).up!;

/** What the extractor makes of `await <snippet>.execute()` in up(). */
function mapped(snippet: string) {
  const up = upOf(snippet);
  return { sql: up.sql.map((s) => s.sql.text), builder: up.sql.map((s) => s.builder), dynamic: up.dynamic.map((d) => `${d.kind}: ${d.expression}`) };
}

const corpus = [
  // createTable: columns, types, modifiers in any call order
  `db.schema.createTable('pet').addColumn('id', 'serial', (col) => col.primaryKey()).addColumn('name', 'varchar(255)', (col) => col.notNull().unique())`,
  `db.schema.createTable('t').ifNotExists().addColumn('id', 'uuid', (col) => col.primaryKey().defaultTo(sql\`gen_random_uuid()\`))`,
  `db.schema.createTable('t').addColumn('a', 'integer', (col) => col.defaultTo(-1)).addColumn('b', 'text', (col) => col.defaultTo("it's")).addColumn('c', 'jsonb', (col) => col.defaultTo(sql\`'{}'::jsonb\`))`,
  `db.schema.createTable('t').addColumn('flag', 'boolean', (col) => col.defaultTo(false).notNull()).addColumn('n', 'bigint', (col) => col.notNull().defaultTo(0))`,
  `db.schema.createTable('t').addColumn('x', 'int4', (col) => col.defaultTo(null)).addColumn('y', 'real', (col) => col.defaultTo(1.5))`,
  `db.schema.createTable('t').addColumn('at', 'timestamptz', (col) => col.defaultTo(sql\`now()\`).notNull())`,
  `db.schema.createTable('t').addColumn('owner', 'integer', (col) => col.references('owner.id').onDelete('cascade').onUpdate('set null'))`,
  `db.schema.createTable('t').addColumn('owner', 'integer', (col) => col.notNull().references('app.owner.id').onDelete('restrict'))`,
  `db.schema.createTable('t').addColumn('n', 'integer', (col) => col.check(sql\`n > 0\`))`,
  `db.schema.createTable('t').addColumn('id', 'bigint', (col) => col.generatedAlwaysAsIdentity().primaryKey())`,
  `db.schema.createTable('t').addColumn('id', 'bigint', (col) => col.generatedByDefaultAsIdentity())`,
  `db.schema.createTable('t').addColumn('a', 'timestamp').addColumn('b', 'timestamp').addColumn('s', 'varchar', (col) => col.generatedAlwaysAs(sql\`least("a", "b")\`).stored())`,
  `db.schema.createTable('t').addColumn('amount', sql\`numeric(10,2)\`).addColumn('tags', sql\`text[]\`, (col) => col.notNull().defaultTo(sql\`'{}'\`))`,
  `db.schema.createTable('t').addColumn('price', 'numeric(10, 2)').addColumn('code', 'char(3)').addColumn('at', 'timestamptz(3)')`,
  `db.schema.createTable('t').addColumn('a', 'text', (col) => col.unique().nullsNotDistinct())`,
  `db.schema.createTable('t').addColumn('a', 'text', (col) => col.modifyEnd(sql\`collate "C"\`))`,
  `db.schema.createTable('t').addColumn('a', 'text', (col) => { return col.notNull(); })`,
  `db.schema.createTable('we"ird').addColumn('co"l', 'text')`,
  `db.schema.createTable('app.t').addColumn('a', 'date').addColumn('b', 'bytea').addColumn('c', 'double precision')`,
  `db.schema.withSchema('app').createTable('t').addColumn('o', 'integer', (col) => col.references('owner.id'))`,
  `db.schema.createTable('t').temporary().addColumn('a', 'text').onCommit('drop')`,
  // table constraints in createTable
  `db.schema.createTable('t').addColumn('a', 'text').addColumn('b', 'text').addPrimaryKeyConstraint('t_pkey', ['a', 'b'])`,
  `db.schema.createTable('t').addColumn('a', 'text').addUniqueConstraint('t_a_key', ['a'], (c) => c.nullsNotDistinct())`,
  `db.schema.createTable('t').addColumn('a', 'integer').addCheckConstraint('t_a_check', sql\`a > 0\`)`,
  `db.schema.createTable('t').addColumn('o', 'integer').addForeignKeyConstraint('t_o_fkey', ['o'], 'owner', ['id'], (c) => c.onDelete('cascade').onUpdate('restrict').deferrable().initiallyDeferred())`,
  `db.schema.withSchema('app').createTable('t').addColumn('o', 'integer').addForeignKeyConstraint('t_o_fkey', ['o'], 'owner', ['id'])`,
  `db.schema.createTable('t').addColumn('a', 'text').addPrimaryKeyConstraint('t_pkey', ['a'], (c) => c.notDeferrable().initiallyImmediate())`,
  // dropTable
  `db.schema.dropTable('t')`,
  `db.schema.dropTable('t').ifExists().cascade()`,
  `db.schema.withSchema('app').dropTable('t')`,
  // alterTable
  `db.schema.alterTable('t').addColumn('a', 'text')`,
  `db.schema.alterTable('t').addColumn('a', 'int4', (col) => col.ifNotExists().notNull().defaultTo(0)).addColumn('b', 'text')`,
  `db.schema.alterTable('t').dropColumn('a').dropColumn('b')`,
  `db.schema.alterTable('t').renameColumn('a', 'b')`,
  `db.schema.alterTable('t').alterColumn('a', (col) => col.setDataType('text')).alterColumn('b', (col) => col.setDefault('q')).alterColumn('c', (col) => col.dropDefault())`,
  `db.schema.alterTable('t').alterColumn('a', (col) => col.setNotNull()).alterColumn('b', (col) => col.dropNotNull())`,
  `db.schema.alterTable('t').alterColumn('a', (col) => col.setDataType(sql\`varchar(10)\`)).dropColumn('b').renameColumn('c', 'd')`,
  `db.schema.alterTable('t').alterColumn('a', (col) => col.setDefault(sql\`now()\`))`,
  `db.schema.alterTable('t').renameTo('u')`,
  `db.schema.alterTable('t').setSchema('archive')`,
  `db.schema.alterTable('t').addUniqueConstraint('t_a_key', ['a', 'b'])`,
  `db.schema.alterTable('t').addPrimaryKeyConstraint('t_pkey', ['a'])`,
  `db.schema.alterTable('t').addCheckConstraint('t_a_check', sql\`a <> ''\`)`,
  `db.schema.alterTable('t').addForeignKeyConstraint('t_o_fkey', ['o'], 'owner', ['id']).onDelete('cascade')`,
  `db.schema.alterTable('t').dropConstraint('t_a_key')`,
  `db.schema.alterTable('t').dropConstraint('t_a_key').ifExists().cascade()`,
  `db.schema.alterTable('t').renameConstraint('a', 'b')`,
  `db.schema.withSchema('app').alterTable('t').addColumn('o', 'integer', (col) => col.references('owner.id'))`,
  // indexes
  `db.schema.createIndex('t_a_idx').on('t').column('a')`,
  `db.schema.createIndex('t_ab_idx').ifNotExists().unique().on('t').columns(['a', 'b desc']).using('btree').where(sql\`a > 0\`)`,
  `db.schema.createIndex('t_a_idx').on('app.t').column('a asc').column('b')`,
  `db.schema.createIndex('t_trgm_idx').on('t').using('gist').expression(sql\`"name" gist_trgm_ops\`)`,
  `db.schema.createIndex('t_a_idx').on('t').column('a').nullsNotDistinct()`,
  `db.schema.withSchema('app').createIndex('t_a_idx').on('t').column('a')`,
  `db.schema.dropIndex('t_a_idx')`,
  `db.schema.dropIndex('t_a_idx').ifExists().cascade()`,
  `db.schema.withSchema('app').dropIndex('t_a_idx')`,
  // types, schemas, views
  `db.schema.createType('mood').asEnum(['sad', 'ok', "it's"])`,
  `db.schema.withSchema('app').createType('mood').asEnum(['a'])`,
  `db.schema.dropType('mood').ifExists()`,
  `db.schema.createSchema('app').ifNotExists()`,
  `db.schema.dropSchema('app').ifExists().cascade()`,
  `db.schema.createView('v').orReplace().as(sql\`select 1 as one\`)`,
  `db.schema.createView('v').materialized().ifNotExists().columns(['one']).as(sql\`select 1\`)`,
  `db.schema.dropView('v').ifExists()`,
  `db.schema.dropView('v').materialized().cascade()`,
];

describe("Kysely schema builder, mapped statically = compiled by the real Kysely", () => {
  it(`has a corpus of ${corpus.length} calls`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
  });
  for (const snippet of corpus) {
    it(snippet, () => {
      expect(mapped(snippet)).toEqual({ sql: [realSql(snippet)], builder: ["kysely"], dynamic: [] });
    });
  }
});

describe("what is not mapped is dynamic, with the reason, and no SQL", () => {
  const cases: [string, RegExp, "rejects" | "compiles"][] = [
    [`db.schema.createTable('t').addColumn('a', 'text[]')`, /Kysely rejects the data type "text\[\]"/, "rejects"],
    [`db.schema.createTable('t').addColumn('a', 'numeric(10,2)')`, /Kysely rejects the data type/, "rejects"],
    [`db.schema.createTable('t').addColumn('a', 'integer', (col) => col.onDelete('cascade'))`, /onDelete before references/, "rejects"],
    [`db.schema.createTable('t').addColumn('a', 'integer', (col) => col.references('id'))`, /Kysely rejects references\('id'\)/, "rejects"],
    [`db.schema.createIndex('i').on('t').column('a').where('a', '>', 1)`, /index where\(\) other than sql/, "compiles"],
    [`db.schema.createTable('t').addColumn('a', 'integer', (col) => col.autoIncrement())`, /\.autoIncrement\(\) is not mapped/, "compiles"],
    [`db.schema.createTable('t').addColumn('a', sql\`varchar(\${10})\`)`, /sql template with \$\{\}/, "compiles"],
    [`db.schema.createView('v').as(db.selectFrom('t').selectAll())`, /view query is not a sql`…` literal/, "compiles"],
    [`db.schema.createTable('t').addColumn('a', 'text').$call((b) => b)`, /\.\$call\(\) is not mapped/, "compiles"],
  ];
  for (const [snippet, reason, real] of cases) {
    it(snippet, () => {
      expectUnmapped(upOf(snippet), reason);
      // The real library: it throws before sending anything, or it compiles (with parameters or a query) to something not static.
      if (real === "rejects") expect(() => realSql(snippet)).toThrow();
    });
  }

  it("a variable argument, a spread, or a helper makes the whole call dynamic", () => {
    const text = module(`  const cols = ['a'];\n  await db.schema.createIndex('i').on('t').columns(cols).execute();\n  await db.schema.createTable(name).addColumn('a', 'text').execute();\n  await db.schema.createType('e').asEnum([...values]).execute();`);
    const up = extractModule("0001_m.ts", text).up!;
    expect(up.sql).toEqual([]);
    expect(up.dynamic.map((d) => d.expression)).toEqual([
      expect.stringMatching(/columns is not an array literal: cols\)$/),
      expect.stringMatching(/table name is not a static string: name\)$/),
      expect.stringMatching(/enum values has a spread: \.\.\.values\)$/),
    ]);
  });

  it("a chain without .execute() sends nothing: reported as not executed, nothing recorded", () => {
    const text = module(`  const q = db.schema.createTable('t').addColumn('a', 'text');\n  console.log(db.schema.dropTable('t').compile().sql);`);
    const up = extractModule("0001_m.ts", text).up!;
    expect(up.sql).toEqual([]);
    expect(up.dynamic.map((d) => d.expression)).toEqual([expect.stringMatching(/not executed here/), expect.stringMatching(/not executed here/)]);
  });

  it("the kysely layout wins over the guess: an unexecuted chain in a module not naming Kysely is not read as knex", () => {
    const text = `exports.down = async (db) => {\n  await db.schema.dropTable('member');\n};\n`;
    // Guessed from the text alone, names knex has too and no Kysely import make it knex's statement.
    expect(extractModule("0001_m.js", text).down!.sql.map((s) => [s.sql.text, s.builder])).toEqual([['drop table "member"', "knex"]]);
    const down = extractModule("0001_m.js", text, "kysely").down!;
    expect(down.sql).toEqual([]);
    expect(down.dynamic.map((d) => d.expression)).toEqual([expect.stringMatching(/not executed here/)]);
  });

  it("statements keep their order among sql`…` sinks, and each maps to the call's position", () => {
    const text = module(`  await db.schema.createTable('t').addColumn('a', 'text').execute();\n  await sql\`CREATE INDEX t_a ON t (a)\`.execute(db);\n  await db.schema.dropTable('u').execute();`);
    const up = extractModule("0001_m.ts", text).up!;
    expect(up.sql.map((s) => [s.sql.text, s.sink])).toEqual([
      ['create table "t" ("a" text)', "kysely builder"],
      ["CREATE INDEX t_a ON t (a)", "sql.execute"],
      ['drop table "u"', "kysely builder"],
    ]);
    expect(text.slice(up.sql[0]!.sql.map[0], up.sql[0]!.sql.map[0]! + 9)).toBe("db.schema");
  });

  it("db.selectFrom(…) and other query builders are not the schema module: left to the extractor", () => {
    const up = extractModule("0001_m.ts", module(`  await db.insertInto('t').values({ a: 1 }).execute();`)).up!;
    expect(up.sql).toEqual([]);
    expect(up.dynamic).toEqual([expect.objectContaining({ kind: "unmapped-call", expression: "db.insertInto('t').values({ a: 1 }).execute()" })]);
  });
});

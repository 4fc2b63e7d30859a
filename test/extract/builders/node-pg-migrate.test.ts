/**
 * node-pg-migrate's `pgm.*` operations read statically: for each snippet of the corpus, the steps
 * migration-lint maps the call to are exactly the steps the real node-pg-migrate MigrationBuilder
 * collects for the same snippet text (`getSqlSteps()`, what its runner sends one query each, with the
 * runner's default options). Calls the mapper cannot read are `dynamic-sql` with the reason.
 */
import { MigrationBuilder } from "node-pg-migrate";
import { describe, expect, it } from "vitest";
import { extractModule } from "../../../src/extract/extract.js";
import { expectUnmapped } from "./expect-unmapped.js";

/** The steps the real MigrationBuilder collects for the snippet (`pgm` in scope, as in a migration). */
function realSteps(snippet: string): string[] {
  const noDb = { query: () => Promise.reject(new Error("no database")), select: () => Promise.reject(new Error("no database")) };
  const pgm = new MigrationBuilder(noDb as never, undefined, false, console);
  (new Function("pgm", snippet) as (p: unknown) => void)(pgm);
  return pgm.getSqlSteps();
}

/** The up() the extractor reads from a module calling the snippet on a runner named `param`. */
function upOf(snippet: string, param = "pgm", header = "") {
  const text = `${header}exports.up = (${param}) => {\n  ${param === "pgm" ? snippet : snippet.replace(/\bpgm\b/g, param)}\n};\n`;
  return extractModule("1700000000000_m.js", text).up!;
}

function mapped(snippet: string, param = "pgm", header = "") {
  const up = upOf(snippet, param, header);
  return { sql: up.sql.map((s) => s.sql.text), builder: [...new Set(up.sql.map((s) => s.builder))], dynamic: up.dynamic.map((d) => `${d.kind}: ${d.expression}`) };
}

const corpus = [
  // createTable: shorthands, column options, table options
  `pgm.createTable('books', { id: 'id', title: { type: 'text', notNull: true } })`,
  `pgm.createTable('t', { id: { type: 'id' }, n: 'int', s: 'string', f: 'float', d: 'double', at: 'datetime', b: 'bool' })`,
  `pgm.createTable('t', { name: { type: 'varchar(100)', notNull: true, default: 'x', unique: true } })`,
  `pgm.createTable('t', { at: { type: 'timestamptz', notNull: true, default: pgm.func('current_timestamp') } })`,
  `pgm.createTable('t', { n: { type: 'integer', default: 0, check: 'n >= 0' }, m: { type: 'numeric', default: -1.5 }, ok: { type: 'boolean', default: false } })`,
  `pgm.createTable('t', { tags: { type: 'text', array: true, default: pgm.func("'{}'") }, grid: { type: 'integer', array: 2 } })`,
  `pgm.createTable('t', { note: { type: 'text', default: null } })`,
  `pgm.createTable('t', { s: { type: 'text', default: 'has $pga$ in it' } })`,
  `pgm.createTable('t', { owner: { type: 'integer', references: 'users', onDelete: 'CASCADE', onUpdate: 'NO ACTION' } })`,
  `pgm.createTable('t', { owner: { type: 'integer', references: '"users"(id)', referencesConstraintName: 't_owner_fk', notNull: true } })`,
  `pgm.createTable('t', { owner: { type: 'integer', references: { schema: 'app', name: 'users' }, match: 'FULL', deferrable: true, deferred: true } })`,
  `pgm.createTable('t', { a: { type: 'text', primaryKey: true }, b: { type: 'text', primaryKey: true } })`,
  `pgm.createTable('t', { a: { type: 'text', collation: '"C"' }, c: { type: 'text', comment: 'a comment' } }, { comment: 'the table' })`,
  `pgm.createTable('t', { id: { type: 'integer', sequenceGenerated: { precedence: 'ALWAYS' } } })`,
  `pgm.createTable('t', { id: { type: 'bigint', primaryKey: true, sequenceGenerated: { precedence: 'BY DEFAULT', start: 100, increment: 2 } } })`,
  `pgm.createTable('t', { a: 'integer', b: { type: 'integer', expressionGenerated: 'a * 2' } })`,
  `pgm.createTable({ schema: 'app', name: 't' }, { id: 'id' }, { ifNotExists: true })`,
  `pgm.createTable('t', { id: 'id' }, { temporary: true })`,
  `pgm.createTable('t', { id: 'id' }, { unlogged: true, inherits: 'base' })`,
  `pgm.createTable('t', { a: 'text', b: 'text' }, { constraints: { unique: ['a', 'b'], check: 'a <> b' } })`,
  `pgm.createTable('t', { a: 'text', b: 'text', c: 'text' }, { constraints: { unique: [['a'], ['b', 'c']], check: ['a <> b', 'b <> c'], primaryKey: 'a' } })`,
  `pgm.createTable('t', { o: 'integer' }, { constraints: { foreignKeys: { columns: 'o', references: 'owner(id)', onDelete: 'SET NULL' }, deferrable: true } })`,
  `pgm.createTable('t', { o: 'integer', p: 'integer' }, { constraints: { foreignKeys: [{ columns: ['o', 'p'], references: 'owner', referencesConstraintName: 'fk_op' }] } })`,
  `pgm.createTable('t', { r: 'tstzrange' }, { constraints: { exclude: 'USING gist (r WITH &&)' } })`,
  // drops and renames
  `pgm.dropTable('t')`,
  `pgm.dropTable('t', { ifExists: true, cascade: true })`,
  `pgm.dropTable({ schema: 'app', name: 't' })`,
  `pgm.renameTable('t', 'u')`,
  // columns
  `pgm.addColumns('t', { a: { type: 'text', notNull: true, default: '' }, b: 'int' })`,
  `pgm.addColumn('t', { c: { type: 'text', comment: 'why' } }, { ifNotExists: true })`,
  `pgm.addColumns('t', { owner: { type: 'integer', references: 'owner', onDelete: 'CASCADE' } })`,
  `pgm.dropColumns('t', ['a', 'b'])`,
  `pgm.dropColumn('t', 'a', { ifExists: true, cascade: true })`,
  `pgm.dropColumns('t', { a: 'text', b: 'int' })`,
  `pgm.renameColumn('t', 'a', 'b')`,
  `pgm.alterColumn('t', 'a', { type: 'varchar(20)', notNull: true })`,
  `pgm.alterColumn('t', 'a', { default: null, allowNull: true })`,
  `pgm.alterColumn('t', 'a', { default: pgm.func('now()'), notNull: false })`,
  `pgm.alterColumn('t', 'a', { type: 'int', using: 'a::integer', collation: '"C"' })`,
  `pgm.alterColumn('t', 'a', { comment: 'hello' })`,
  `pgm.alterColumn('t', 'a', { default: 'x', comment: null })`,
  `pgm.alterColumn('t', 'id', { sequenceGenerated: { precedence: 'ALWAYS' } })`,
  `pgm.alterColumn('t', 'id', { sequenceGenerated: false })`,
  // constraints
  `pgm.addConstraint('t', 't_a_check', 'CHECK (a > 0)')`,
  `pgm.addConstraint('t', null, 'UNIQUE (a)')`,
  `pgm.addConstraint('t', 't_a_key', { unique: 'a' })`,
  `pgm.addConstraint('t', 't_o_fkey', { foreignKeys: { columns: 'o', references: 'owner(id)', onDelete: 'CASCADE' } })`,
  `pgm.addConstraint('t', 't_pk', { primaryKey: ['a', 'b'], comment: 'pk' })`,
  `pgm.createConstraint('t', undefined, { check: 'a > 0' })`,
  `pgm.dropConstraint('t', 't_a_key')`,
  `pgm.dropConstraint('t', 't_a_key', { ifExists: true, ifTableExists: true, cascade: true })`,
  `pgm.renameConstraint('t', 'a', 'b')`,
  // indexes
  `pgm.createIndex('t', 'a')`,
  `pgm.createIndex('t', ['a', 'b'], { unique: true, ifNotExists: true })`,
  `pgm.createIndex('t', 'a', { name: 't_a', concurrently: true, method: 'btree', where: 'a IS NOT NULL', include: ['b'] })`,
  `pgm.createIndex('t', ['lower(name)'], { name: 't_lower_name' })`,
  `pgm.createIndex('t', [{ name: 'a', sort: 'DESC' }, { name: 'b', opclass: 'text_pattern_ops' }])`,
  `pgm.createIndex('t', 'a', { unique: true, nulls: 'not distinct' })`,
  `pgm.createIndex({ schema: 'app', name: 't' }, 'a')`,
  `pgm.addIndex('t', 'a desc')`,
  `pgm.dropIndex('t', 'a')`,
  `pgm.dropIndex('t', ['a', 'b'], { unique: true, ifExists: true, cascade: true })`,
  `pgm.dropIndex('t', 'a', { name: 't_a', concurrently: true })`,
  `pgm.dropIndex({ schema: 'app', name: 't' }, 'a')`,
  // types
  `pgm.createType('mood', ['sad', 'ok', "it's"])`,
  `pgm.createType('pair', { a: 'int', b: { type: 'text' } })`,
  `pgm.dropType('mood', { ifExists: true, cascade: true })`,
  `pgm.addTypeValue('mood', 'happy', { after: 'ok', ifNotExists: true })`,
  `pgm.addTypeValue('mood', 'meh', { before: 'ok' })`,
  `pgm.renameTypeValue('mood', 'ok', 'fine')`,
  `pgm.renameType('mood', 'feeling')`,
  // extensions, schemas, views, sequences
  `pgm.createExtension('pg_trgm', { ifNotExists: true, schema: 'public' })`,
  `pgm.createExtension(['pgcrypto', 'citext'])`,
  `pgm.dropExtension('pg_trgm', { ifExists: true, cascade: true })`,
  `pgm.createSchema('app', { ifNotExists: true, authorization: 'CURRENT_USER' })`,
  `pgm.dropSchema('app', { ifExists: true, cascade: true })`,
  `pgm.createView('v', {}, 'SELECT 1 AS one')`,
  `pgm.createView('v', { replace: true, columns: ['one'], checkOption: 'LOCAL' }, 'SELECT 1')`,
  `pgm.dropView('v', { ifExists: true })`,
  `pgm.createSequence('s', { type: 'bigint', increment: 5, start: 10, minvalue: 1, maxvalue: null, cache: 20, cycle: false })`,
  `pgm.createSequence('s', { ifNotExists: true, owner: 't.id' })`,
  `pgm.dropSequence('s', { ifExists: true })`,
];

describe("node-pg-migrate operations, mapped statically = collected by the real MigrationBuilder", () => {
  it(`has a corpus of ${corpus.length} calls`, () => {
    expect(corpus.length).toBeGreaterThanOrEqual(40);
  });
  for (const snippet of corpus) {
    it(snippet, () => {
      expect(mapped(snippet)).toEqual({ sql: realSteps(snippet), builder: ["node-pg-migrate"], dynamic: [] });
    });
  }
});

describe("what is not mapped is dynamic, with the reason, and no SQL", () => {
  const cases: [string, RegExp, boolean][] = [
    [`pgm.createTable('t', { ...base, id: 'id' })`, /has a spread or computed key/, false],
    [`pgm.createTable(name, { id: 'id' })`, /not a static value: name/, false],
    [`pgm.createTable('t', { id: 'id' }, { like: 'other' })`, /createTable option "like" is not mapped/, true],
    [`pgm.createTable('t', { a: { type: 'text', referencesConstraintComment: 'x', references: 'u' } })`, /column option "referencesConstraintComment" is not mapped/, true],
    [`pgm.createIndex('t', 'a', { nulls: 'distinct' })`, /rejects "nulls" without unique/, true],
    [`pgm.createFunction('f', [], { returns: 'int', language: 'sql' }, 'SELECT 1')`, /pgm\.createFunction\(\) is not mapped/, true],
    [`pgm.createTable('t', { id: 'id' }, helper())`, /not a static value: helper\(\)/, false],
    [`pgm.addColumns('t', cols)`, /not a static value: cols/, false],
  ];
  for (const [snippet, reason, realRuns] of cases) {
    it(snippet, () => {
      expectUnmapped(upOf(snippet), reason);
      if (realRuns && /rejects/.test(reason.source)) expect(() => realSteps(snippet)).toThrow();
    });
  }

  it("a module declaring type shorthands makes its column-bearing calls dynamic (the runner applies them)", () => {
    const text = `exports.shorthands = { email: { type: 'citext', notNull: true } };\nexports.up = (pgm) => {\n  pgm.createTable('u', { id: 'id', mail: 'email' });\n  pgm.dropTable('v');\n};\n`;
    const up = extractModule("1700000000000_m.js", text).up!;
    expect(up.sql.map((s) => s.sql.text)).toEqual(['DROP TABLE "v";']);
    expect(up.dynamic.map((d) => d.expression)).toEqual([expect.stringMatching(/declares type shorthands/)]);
  });

  it("pgm.sql stays a sink and pgm.noTransaction a flag, in order with the mapped steps", () => {
    const text = `exports.up = (pgm) => {\n  pgm.noTransaction();\n  pgm.createTable('t', { id: 'id' });\n  pgm.sql('INSERT INTO t DEFAULT VALUES');\n  pgm.dropTable('u');\n};\n`;
    const up = extractModule("1700000000000_m.js", text).up!;
    expect(up.flags).toEqual(["noTransaction"]);
    expect(up.sql.map((s) => [s.sql.text, s.sink])).toEqual([
      ['CREATE TABLE "t" (\n  "id" serial PRIMARY KEY\n);', "node-pg-migrate builder"],
      ["INSERT INTO t DEFAULT VALUES", "pgm.sql"],
      ['DROP TABLE "u";', "node-pg-migrate builder"],
    ]);
    expect(up.dynamic).toEqual([]);
  });

  it("a runner not named pgm is taken for node-pg-migrate's only when the module names it", () => {
    const typed = mapped(`pgm.dropTable('t')`, "m", `/** @param {import("node-pg-migrate").MigrationBuilder} m */\n`);
    expect(typed.sql).toEqual(['DROP TABLE "t";']);
    // TypeORM's queryRunner.dropTable('t') also drops the table's foreign keys and indices first: not guessed.
    const other = mapped(`pgm.dropTable('t')`, "queryRunner");
    expect(other.sql).toEqual([]);
    expect(other.dynamic).toEqual(["unmapped-call: queryRunner.dropTable('t')"]);
  });

  it("the layout wins over the guess: node-pg-migrate's runner by any name, and TypeORM's never read as pgm", () => {
    const text = (param: string) => `exports.up = (${param}) => {\n  ${param}.dropTable('t');\n};\n`;
    const read = (param: string, layout?: "node-pg-migrate" | "typeorm") => {
      const up = extractModule("1700000000000_m.js", text(param), layout).up!;
      return { sql: up.sql.map((s) => s.sql.text), dynamic: up.dynamic.map((d) => `${d.kind}: ${d.expression}`) };
    };
    expect(read("m")).toEqual({ sql: [], dynamic: ["unmapped-call: m.dropTable('t')"] });
    expect(read("m", "node-pg-migrate")).toEqual({ sql: realSteps(`pgm.dropTable('t')`), dynamic: [] });
    expect(read("pgm")).toEqual({ sql: ['DROP TABLE "t";'], dynamic: [] });
    expect(read("pgm", "typeorm")).toEqual({ sql: [], dynamic: ["unmapped-call: pgm.dropTable('t')"] });
  });
});

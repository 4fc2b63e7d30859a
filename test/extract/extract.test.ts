/**
 * Static extraction: the SQL of each sink call in up()/down(), in call order, with every character
 * mapped back into the module (through escapes, template parts and concatenations), and what cannot
 * be known statically reported as dynamic.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { extractModule } from "../../src/extract/extract.js";
import { directionSqlFile } from "../../src/extract/sql-file.js";
import { parseFile } from "../../src/pipeline/analyze.js";
import { loadParser } from "../../src/parse/parse.js";

beforeAll(async () => {
  await loadParser();
});

/** line:col (1-based) of a UTF-16 index in `text`. */
function lc(text: string, index: number): string {
  const before = text.slice(0, index).split("\n");
  return `${before.length}:${before[before.length - 1]!.length + 1}`;
}

const sqlOf = (path: string, text: string, dir: "up" | "down" = "up") => extractModule(path, text)[dir]!.sql.map((s) => s.sql.text);

describe("sinks", () => {
  it("TypeORM queryRunner.query in a class, up and down, in call order", () => {
    const text = `import { MigrationInterface, QueryRunner } from "typeorm";
export class AddUsers1700000000000 implements MigrationInterface {
  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`CREATE TABLE "users" (id serial PRIMARY KEY)\`);
    await queryRunner.query('ALTER TABLE "users" ADD "name" text');
  }
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(\`DROP TABLE "users"\`);
  }
}`;
    const m = extractModule("1700000000000-AddUsers.ts", text);
    expect(m.located.migrationClass?.name).toBe("AddUsers1700000000000");
    expect(m.up!.sql.map((s) => s.sql.text)).toEqual(['CREATE TABLE "users" (id serial PRIMARY KEY)', 'ALTER TABLE "users" ADD "name" text']);
    expect(m.down!.sql.map((s) => s.sql.text)).toEqual(['DROP TABLE "users"']);
    expect(m.up!.dynamic).toEqual([]);
  });

  it("MikroORM this.addSql, Kysely sql`…`.execute(db) and sql.raw, knex.raw and knex.schema.raw, pgm.sql, db.execute(sql`…`)", () => {
    expect(sqlOf("Migration20240101000000.ts", `export class Migration20240101000000 extends Migration { async up() { this.addSql('create table a (id int);'); } }`)).toEqual(["create table a (id int);"]);
    expect(sqlOf("1.ts", "export async function up(db: Kysely<any>) { await sql`CREATE TABLE b ()`.execute(db); await sql.raw('DROP TABLE c').execute(db); }")).toEqual(["CREATE TABLE b ()", "DROP TABLE c"]);
    expect(sqlOf("1.js", "exports.up = (knex) => knex.raw('CREATE TABLE d ()'); exports.down = async (knex) => { await knex.schema.raw('DROP TABLE d'); };")).toEqual(["CREATE TABLE d ()"]);
    expect(sqlOf("1.js", "exports.up = (knex) => knex.raw('x'); exports.down = async (knex) => { await knex.schema.raw('DROP TABLE d'); };", "down")).toEqual(["DROP TABLE d"]);
    expect(sqlOf("1_a.js", "exports.up = (pgm) => { pgm.sql('CREATE TABLE e ()'); };")).toEqual(["CREATE TABLE e ()"]);
    expect(sqlOf("2.ts", "export async function up({ db }: MigrateUpArgs) { await db.execute(sql`CREATE TABLE f ()`); }")).toEqual(["CREATE TABLE f ()"]);
    expect(sqlOf("3.js", "async function up(db) { await db.query('CREATE TABLE g ()'); }\nmodule.exports = { up };")).toEqual(["CREATE TABLE g ()"]);
  });

  it("concatenations of literals and constants holding SQL", () => {
    const text = "const T = 'CREATE TABLE h ';\nexport async function up(knex) { await knex.raw(T + \"(id int, \" +\n  'name text)'); }";
    expect(sqlOf("1.ts", text)).toEqual(["CREATE TABLE h (id int, name text)"]);
  });
});

describe("positions point into the module", () => {
  it("through escapes in a quoted string, template parts and concatenations", () => {
    const text = [
      "export async function up(knex) {",
      "  await knex.raw('SELECT \\'a\\u00e9\\' AS x;\\nCREATE TABLE t (a int)');",
      "  await knex.raw(`CREATE TABLE é1 (id int);",
      "    ALTER TABLE nope ADD COLUMN;`);",
      "  await knex.raw('SELECT 1; ' + 'SELEC 2');",
      "}",
    ].join("\n");
    const m = extractModule("1.ts", text);
    const first = m.up!.sql[0]!.sql;
    expect(first.text).toBe("SELECT 'aé' AS x;\nCREATE TABLE t (a int)");
    // Every character maps to the source character (or escape) that produced it.
    const iCreate = first.text.indexOf("CREATE");
    expect(text.slice(first.map[iCreate]!, first.map[iCreate]! + 6)).toBe("CREATE");
    expect(text.slice(first.map[first.text.indexOf("\n")]!, first.map[first.text.indexOf("\n")]! + 2)).toBe("\\n");

    const file = directionSqlFile("1.ts", text, m.up, m.errors);
    const parsed = parseFile(file);
    expect(parsed.statements.map((s) => [s.tag, `${s.range.start.line}:${s.range.start.column}`])).toEqual([
      ["SelectStmt", "2:19"],
      ["CreateStmt", lc(text, text.indexOf("CREATE TABLE t"))],
      ["CreateStmt", lc(text, text.indexOf("CREATE TABLE é1"))],
      ["SelectStmt", lc(text, text.indexOf("SELECT 1"))],
    ]);
    // The syntax errors point at the exact character in the .ts file.
    expect(parsed.syntaxErrors.map((e) => `${e.position.line}:${e.position.column}`)).toEqual([
      lc(text, text.indexOf(";`);")),
      lc(text, text.indexOf("SELEC 2")),
    ]);
  });

  it("a module that is not valid TypeScript reports a syntax error at its place", () => {
    const text = "export async function up(knex) {\n  await knex.raw('SELECT 1')\n  const = 3;\n}";
    const m = extractModule("1.ts", text);
    const parsed = parseFile(directionSqlFile("1.ts", text, m.up, m.errors));
    expect(parsed.syntaxErrors.map((e) => e.position.line)).toContain(3);
  });
});

describe("dynamic SQL", () => {
  const dyn = (text: string) => extractModule("1.ts", text).up!.dynamic.map((d) => [d.kind, d.expression, lc(text, d.index)]);

  it("names the interpolation, the variable and the bindings", () => {
    const text = "export async function up(knex) {\n  await knex.raw(`CREATE TABLE ${schema}.t ()`);\n  await knex.raw(query);\n  await knex.raw('UPDATE t SET a = ? LIMIT ?', [1, 2]);\n}";
    expect(dyn(text)).toEqual([
      ["interpolation", "${schema}", lc(text, text.indexOf("schema}"))],
      ["expression", "query", lc(text, text.indexOf("query)"))],
      ["bindings", "[1, 2]", lc(text, text.indexOf("[1, 2]"))],
    ]);
    expect(extractModule("1.ts", text).up!.sql).toEqual([]);
  });

  it("control flow: if, loops, callbacks, early return; the SQL under it is left out", () => {
    const text = [
      "export async function up(queryRunner) {",
      "  await queryRunner.query('CREATE TABLE a ()');",
      "  if (!exists) await queryRunner.query('CREATE TABLE b ()');",
      "  for (const r of rows) await queryRunner.query('UPDATE a SET x = 1');",
      "  await Promise.all(list.map((x) => queryRunner.query('SELECT 1')));",
      "  if (done) return;",
      "  await queryRunner.query('CREATE TABLE c ()');",
      "}",
    ].join("\n");
    const m = extractModule("1.ts", text);
    expect(m.up!.sql.map((s) => s.sql.text)).toEqual(["CREATE TABLE a ()"]);
    expect(m.up!.dynamic.map((d) => [d.kind, d.expression, lc(text, d.index).split(":")[0]])).toEqual([
      ["control-flow", "if (!exists)", "3"],
      ["control-flow", "for (const r of rows)", "4"],
      ["control-flow", expect.stringMatching(/^a callback/), "5"],
      ["control-flow", "if (done) return", "7"],
    ]);
  });

  it("builder and helper calls that reach the database are unmapped calls, once per chain", () => {
    const text = "export async function up(db) {\n  await db.insertInto('t').values({ id: 1 }).returning((c) => c.id).execute();\n  await hasColumn(db, 't', 'x');\n  console.log('done');\n}";
    expect(dyn(text).map((d) => [d[0], d[2]])).toEqual([
      ["unmapped-call", "2:9"],
      ["unmapped-call", "3:9"],
    ]);
  });

  it("pgm.noTransaction() is a flag, not SQL", () => {
    const m = extractModule("1.js", "exports.up = (pgm) => { pgm.noTransaction(); pgm.sql('CREATE INDEX CONCURRENTLY i ON t (a)'); };");
    expect(m.up!.flags).toEqual(["noTransaction"]);
    expect(m.up!.sql.map((s) => s.sql.text)).toEqual(["CREATE INDEX CONCURRENTLY i ON t (a)"]);
  });
});

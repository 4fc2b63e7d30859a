/**
 * knex's schema builder (`knex.schema.createTable('users', (t) => { … })`, `.dropTableIfExists(…)`,
 * `.withSchema('s').alterTable(…)`) as the SQL its PostgreSQL dialect compiles it to, read without
 * running the module. The chain is `<runner>.schema.<call>(…).<call>(…)…`; each call adds its
 * statements in order, and `withSchema` applies to the whole chain, as in knex (it reads the schema
 * once, when it compiles). Table callbacks are read by ./knex-table.ts, columns by ./knex-columns.ts.
 *
 * Unless the layout is knex, a chain using a method knex's SchemaBuilder does not have is another
 * library's (Kysely's `db.schema.createTable('x').addColumn(…).execute()`): not ours. A knex method
 * not mapped, or a value not known statically, makes the whole chain `dynamic`.
 */
import { child, nameOf, type JsNode } from "../module.js";
import type { BuilderContext, BuilderMapper, BuilderResult } from "./builder.js";
import { wrap } from "./knex-format.js";
import { compileTable, readTableCallback, type TableMethod } from "./knex-table.js";
import { source, staticValue, unrollChain, Unmapped } from "./knex-values.js";

/** Every method of knex's SchemaBuilder and of the promise interface it carries. */
const SCHEMA_METHODS = new Set([
  "createTable", "createTableIfNotExists", "createTableLike", "createView", "createViewOrReplace", "createMaterializedView",
  "refreshMaterializedView", "dropView", "dropViewIfExists", "dropMaterializedView", "dropMaterializedViewIfExists",
  "createSchema", "createSchemaIfNotExists", "dropSchema", "dropSchemaIfExists", "createExtension", "createExtensionIfNotExists",
  "dropExtension", "dropExtensionIfExists", "table", "alterTable", "view", "alterView", "hasTable", "hasColumn", "dropTable",
  "renameTable", "renameView", "dropTableIfExists", "raw", "withSchema", "queryContext", "toString", "toSQL", "toQuery",
  "generateDdlCommands", "then", "catch", "finally", "asCallback", "connection", "options", "debug", "transacting", "timeout",
  "stream", "pipe",
]);

const TABLE_METHODS: Record<string, TableMethod> = { createTable: "create", createTableIfNotExists: "createIfNot", alterTable: "alter", table: "alter" };

export const knexBuilder: BuilderMapper = {
  library: "knex",
  compile(call, ctx) {
    const { base, calls } = unrollChain(call);
    if (!calls.length || !isSchemaOf(base, ctx)) return undefined;
    if (ctx.layout !== "knex" && (!calls.every((c) => SCHEMA_METHODS.has(c.name)) || importsKysely(ctx.text))) return undefined;
    try {
      return { sql: compileChain(calls, ctx) };
    } catch (e) {
      if (e instanceof Unmapped) return { dynamic: e.message } satisfies BuilderResult;
      throw e;
    }
  },
};

/**
 * Kysely's `db.schema.dropTable('t')` without `.execute()` uses only names knex has too (and runs
 * nothing): a module that imports Kysely is not read as knex, unless the layout says knex.
 */
let lastText: string | undefined;
let lastKysely = false;
function importsKysely(text: string): boolean {
  if (text !== lastText) {
    lastText = text;
    lastKysely = /\bfrom\s*["']kysely["']|\brequire\(\s*["']kysely["']\s*\)|\bimport\(\s*["']kysely["']\s*\)/.test(text);
  }
  return lastKysely;
}

/** `knex.schema`, `knex` being the migration function's runner parameter. */
function isSchemaOf(base: JsNode, ctx: BuilderContext): boolean {
  if (base.type !== "MemberExpression" || base.computed || nameOf(child(base, "property")) !== "schema") return false;
  const object = child(base, "object");
  return object?.type === "Identifier" && ctx.runner.has(object.name as string);
}

function compileChain(calls: ReturnType<typeof unrollChain>["calls"], ctx: BuilderContext): string[] {
  const name = (node: JsNode | undefined, what: string): string => {
    const v = node ? staticValue(node, ctx) : undefined;
    if (typeof v !== "string") throw new Unmapped(`${what} is not a string known statically`);
    return v;
  };
  let schema: string | undefined;
  for (const c of calls) if (c.name === "withSchema") schema = c.args[0] ? name(c.args[0], "the schema name") : undefined;
  const qualified = (table: string) => wrap(schema ? `${schema}.${table}` : table);
  const sql: string[] = [];
  for (const c of calls) {
    const [a, b] = c.args;
    switch (c.name) {
      case "withSchema":
        break;
      case "createTable":
      case "createTableIfNotExists":
      case "alterTable":
      case "table":
        sql.push(...compileTable(readTableCallback(TABLE_METHODS[c.name]!, name(a, "the table name"), b, ctx), schema));
        break;
      case "dropTable":
      case "dropTableIfExists":
        sql.push(`drop table ${c.name === "dropTableIfExists" ? "if exists " : ""}${qualified(name(a, "the table name"))}`);
        break;
      case "renameTable":
        sql.push(`alter table ${qualified(name(a, "the table name"))} rename to ${wrap(name(b, "the new table name"))}`);
        break;
      case "createSchema":
      case "createSchemaIfNotExists":
        sql.push(`create schema ${c.name.endsWith("IfNotExists") ? "if not exists " : ""}${wrap(name(a, "the schema name"))}`);
        break;
      case "dropSchema":
      case "dropSchemaIfExists":
        sql.push(`drop schema ${c.name.endsWith("IfExists") ? "if exists " : ""}${wrap(name(a, "the schema name"))}${b && staticValue(b, ctx) ? " cascade" : ""}`);
        break;
      case "createExtension":
      case "createExtensionIfNotExists":
        sql.push(`create extension ${c.name.endsWith("IfNotExists") ? "if not exists " : ""}${wrap(name(a, "the extension name"))}`);
        break;
      case "dropExtension":
      case "dropExtensionIfExists":
        sql.push(`drop extension ${c.name.endsWith("IfExists") ? "if exists " : ""}${wrap(name(a, "the extension name"))}`);
        break;
      case "raw": {
        if (c.args.length !== 1) throw new Unmapped(`\`${source(ctx, c.node)}\` has bindings`);
        const text = name(a, "the raw SQL");
        if (text.includes("?")) throw new Unmapped("the raw SQL holds a `?` placeholder");
        sql.push(text);
        break;
      }
      case "hasTable":
      case "hasColumn":
        throw new Unmapped(`\`.${c.name}()\` is a query whose answer decides what runs`);
      case "then":
      case "catch":
      case "finally":
      case "asCallback":
        throw new Unmapped(`\`.${c.name}()\` runs code after the statements`);
      default:
        throw new Unmapped(`\`.${c.name}()\` is not mapped`);
    }
  }
  return sql;
}

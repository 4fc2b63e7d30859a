/**
 * node-pg-migrate's operations, one function per `pgm.<name>(…)`: the statements (each a step the
 * runner sends as one query, `;` included) for the call's arguments, as node-pg-migrate 9 writes them.
 */
import type { JsNode } from "../module.js";
import type { BuilderContext } from "./builder.js";
import { CONSTRAINT_KEYS, SEQUENCE_KEYS, adaptType, parseColumns, parseConstraints, sequenceOptions } from "./pgm-columns.js";
import { comment, escapeValue, formatLines, literal, options, schemalize, text, toArray, truthy, UNDEF, type PgValue } from "./pgm-values.js";
import { notStatic } from "./static-value.js";

type Operation = (ctx: BuilderContext, args: PgValue[], at: JsNode) => string[];

const flag = (o: Map<string, PgValue>, k: string, sql: string) => (truthy(o.get(k)) ? sql : "");
const opt = (ctx: BuilderContext, args: PgValue[], i: number, allowed: string[], what: string, at: JsNode) => options(ctx, args[i] ?? UNDEF, allowed, what, at);

/** `DROP <what>[ IF EXISTS] <name>[ CASCADE];` — the shape most drops share. */
const dropper =
  (what: string): Operation =>
  (ctx, args, at) => {
    const o = opt(ctx, args, 1, ["ifExists", "cascade"], `drop${what}`, at);
    return [`DROP ${what}${flag(o, "ifExists", " IF EXISTS")} ${literal(ctx, args[0] ?? UNDEF, at)}${flag(o, "cascade", " CASCADE")};`];
  };

const createTable: Operation = (ctx, args, at) => {
  const [name = UNDEF, columns = UNDEF] = args;
  const o = opt(ctx, args, 2, ["temporary", "ifNotExists", "inherits", "constraints", "comment", "unlogged"], "createTable", at);
  const cols = parseColumns(ctx, name, columns, at);
  const tableConstraints = new Map(options(ctx, o.get("constraints") ?? UNDEF, CONSTRAINT_KEYS, "constraints", at));
  if (cols.primaryKey.length) {
    if (tableConstraints.has("primaryKey")) notStatic(ctx, at, "node-pg-migrate rejects a primary key given twice");
    tableConstraints.set("primaryKey", { t: "arr", items: cols.primaryKey.map((v) => ({ t: "str", v })) });
  }
  const parsed = parseConstraints(ctx, name, tableConstraints, "", at);
  if (truthy(o.get("temporary")) && truthy(o.get("unlogged"))) notStatic(ctx, at, "node-pg-migrate rejects TEMPORARY with UNLOGGED");
  const inherits = truthy(o.get("inherits")) ? ` INHERITS (${literal(ctx, o.get("inherits")!, at)})` : "";
  const create = `CREATE${flag(o, "temporary", " TEMPORARY")}${flag(o, "unlogged", " UNLOGGED")} TABLE${flag(o, "ifNotExists", " IF NOT EXISTS")} ${literal(ctx, name, at)} (\n${formatLines([...cols.lines, ...parsed.constraints])}\n)${inherits};`;
  const comments = [...cols.comments, ...parsed.comments];
  if (o.has("comment") && o.get("comment")!.t !== "undef") comments.push(comment(ctx, "TABLE", literal(ctx, name, at), o.get("comment")!, at));
  return [[create, ...comments].join("\n")];
};

const addColumns: Operation = (ctx, args, at) => {
  const [name = UNDEF, columns = UNDEF] = args;
  const o = opt(ctx, args, 2, ["ifNotExists"], "addColumns", at);
  const cols = parseColumns(ctx, name, columns, at);
  return [[`ALTER TABLE ${literal(ctx, name, at)}\n${formatLines(cols.lines, `  ADD ${flag(o, "ifNotExists", "IF NOT EXISTS ")}`)};`, ...cols.comments].join("\n")];
};

const dropColumns: Operation = (ctx, args, at) => {
  const [name = UNDEF, columns = UNDEF] = args;
  const o = opt(ctx, args, 2, ["ifExists", "cascade"], "dropColumns", at);
  const list = columns.t === "obj" ? [...columns.props.keys()].map((v): PgValue => ({ t: "str", v })) : toArray(columns);
  const lines = list.map((c) => `DROP ${flag(o, "ifExists", "IF EXISTS ")}${literal(ctx, c, at, "column")}${flag(o, "cascade", " CASCADE")}`);
  return [`ALTER TABLE ${literal(ctx, name, at)}\n${formatLines(lines)};`];
};

const alterColumn: Operation = (ctx, args, at) => {
  const [table = UNDEF, column = UNDEF] = args;
  const o = opt(ctx, args, 2, ["default", "type", "collation", "using", "notNull", "allowNull", "comment", "expressionGenerated", "sequenceGenerated"], "alterColumn", at);
  const get = (k: string) => o.get(k) ?? UNDEF;
  const actions: string[] = [];
  if (get("default").t === "null") actions.push("DROP DEFAULT");
  else if (get("default").t !== "undef") actions.push(`SET DEFAULT ${escapeValue(ctx, get("default"), at)}`);
  if (truthy(get("type"))) {
    actions.push(`SET DATA TYPE ${adaptType(text(ctx, get("type"), at, "type"))}${truthy(get("collation")) ? ` COLLATE ${text(ctx, get("collation"), at, "collation")}` : ""}${truthy(get("using")) ? ` USING ${text(ctx, get("using"), at, "using")}` : ""}`);
  }
  if (truthy(get("notNull"))) actions.push("SET NOT NULL");
  else if ((get("notNull").t === "bool" && !truthy(get("notNull"))) || truthy(get("allowNull"))) actions.push("DROP NOT NULL");
  const seq = get("sequenceGenerated");
  if (seq.t !== "undef") {
    if (truthy(seq)) {
      const so = options(ctx, seq, ["precedence", ...SEQUENCE_KEYS], "sequenceGenerated", at);
      const s = sequenceOptions(ctx, so, at).join(" ");
      actions.push(`ADD GENERATED ${text(ctx, so.get("precedence") ?? UNDEF, at, "precedence")} AS IDENTITY${s ? ` (${s})` : ""}`);
    } else actions.push("DROP IDENTITY");
  }
  const gen = get("expressionGenerated");
  if (gen.t === "str") actions.push(`SET EXPRESSION AS (${gen.v})`);
  else if (gen.t === "null") actions.push("DROP EXPRESSION");
  const queries: string[] = [];
  if (actions.length) queries.push(`ALTER TABLE ${literal(ctx, table, at)}\n${formatLines(actions, `  ALTER ${literal(ctx, column, at, "column")} `)};`);
  if (get("comment").t !== "undef") queries.push(comment(ctx, "COLUMN", `${literal(ctx, table, at)}.${literal(ctx, column, at, "column")}`, get("comment"), at));
  if (!queries.length) notStatic(ctx, at, "alterColumn with nothing to change");
  return [queries.join("\n")];
};

const addConstraint: Operation = (ctx, args, at) => {
  const [table = UNDEF, name = UNDEF, spec = UNDEF] = args;
  const constraintName = name.t === "null" || name.t === "undef" ? "" : text(ctx, name, at, "constraint name");
  let constraints: string[];
  let comments: string[] = [];
  if (spec.t === "str") constraints = [`${constraintName ? `CONSTRAINT ${literal(ctx, name, at)} ` : ""}${spec.v}`];
  else ({ constraints, comments } = parseConstraints(ctx, table, options(ctx, spec, CONSTRAINT_KEYS, "addConstraint", at), constraintName, at));
  if (!constraints.length) notStatic(ctx, at, "node-pg-migrate rejects addConstraint without a constraint");
  return [[`ALTER TABLE ${literal(ctx, table, at)}\n${formatLines(constraints, "  ADD ")};`, ...comments].join("\n")];
};

/** The index name node-pg-migrate makes up when `name` is not given: `<table>_<cols>[_unique]_index`. */
function indexName(ctx: BuilderContext, tableArg: PgValue, columns: PgValue[], o: Map<string, PgValue>, at: JsNode, bareTable: boolean): PgValue {
  // createIndex hands the generator the bare table name (its index lands in the table's schema); dropIndex the whole.
  const table = bareTable && tableArg.t === "obj" ? (tableArg.props.get("name") ?? UNDEF) : tableArg;
  const schema = table.t === "obj" ? table.props.get("schema") : undefined;
  const name = o.get("name");
  if (truthy(name)) return schema && truthy(schema) ? { t: "obj", props: new Map([["schema", schema], ["name", name!]]), node: at } : name!;
  const bare = table.t === "obj" ? (table.props.get("name") ?? UNDEF) : table;
  const cols = columns
    .map((c) => {
      if (c.t === "lit") notStatic(ctx, at, "node-pg-migrate needs an index name for a pgm.func column");
      return schemalize(ctx, c.t === "obj" ? (c.props.get("name") ?? UNDEF) : c, at, "index column");
    })
    .join("_");
  const generated = `${text(ctx, bare, at, "table name")}_${cols}${truthy(o.get("unique")) ? "_unique" : ""}_index`;
  return schema ? { t: "obj", props: new Map<string, PgValue>([["schema", schema], ["name", { t: "str", v: generated }]]), node: at } : { t: "str", v: generated };
}

function indexColumn(ctx: BuilderContext, c: PgValue, at: JsNode): string {
  if (c.t === "lit") return c.v;
  const name = schemalize(ctx, c, at, "index column");
  if (!/[^\w".]/.test(name)) return literal(ctx, { t: "str", v: name }, at);
  return /\)$/.test(name) ? name : `(${name})`;
}

const createIndex: Operation = (ctx, args, at) => {
  const [table = UNDEF, raw = UNDEF] = args;
  const o = opt(ctx, args, 2, ["name", "unique", "concurrently", "ifNotExists", "method", "where", "include", "nulls"], "createIndex", at);
  if (truthy(o.get("nulls")) && !truthy(o.get("unique"))) notStatic(ctx, at, 'node-pg-migrate rejects "nulls" without unique');
  const columns = toArray(raw);
  const name = indexName(ctx, table, columns, o, at, true);
  const cols = columns
    .map((c) => {
      if (c.t !== "obj") return indexColumn(ctx, c, at);
      const co = options(ctx, c, ["name", "opclass", "sort"], "index column", at);
      const parts = [indexColumn(ctx, co.get("name") ?? UNDEF, at), truthy(co.get("opclass")) ? literal(ctx, co.get("opclass")!, at) : undefined, co.get("sort")?.t === "str" ? text(ctx, co.get("sort")!, at, "sort") : undefined];
      return parts.filter((p) => p !== undefined && p !== "").join(" ");
    })
    .join(", ");
  const method = truthy(o.get("method")) ? ` USING ${text(ctx, o.get("method")!, at, "method")}` : "";
  const where = truthy(o.get("where")) ? ` WHERE ${text(ctx, o.get("where")!, at, "where")}` : "";
  const include = truthy(o.get("include")) ? ` INCLUDE (${toArray(o.get("include")!).map((c) => literal(ctx, c, at)).join(", ")})` : "";
  const nulls = truthy(o.get("nulls")) ? ` NULLS ${text(ctx, o.get("nulls")!, at, "nulls").toUpperCase()}` : "";
  return [`CREATE${flag(o, "unique", " UNIQUE")} INDEX${flag(o, "concurrently", " CONCURRENTLY")}${flag(o, "ifNotExists", " IF NOT EXISTS")} ${literal(ctx, name, at)} ON ${literal(ctx, table, at)}${method} (${cols})${include}${nulls}${where};`];
};

const dropIndex: Operation = (ctx, args, at) => {
  const [table = UNDEF, raw = UNDEF] = args;
  const o = opt(ctx, args, 2, ["name", "unique", "concurrently", "ifExists", "cascade"], "dropIndex", at);
  const name = indexName(ctx, table, toArray(raw), o, at, false);
  return [`DROP INDEX${flag(o, "concurrently", " CONCURRENTLY")}${flag(o, "ifExists", " IF EXISTS")} ${literal(ctx, name, at)}${flag(o, "cascade", " CASCADE")};`];
};

const createType: Operation = (ctx, args, at) => {
  const [name = UNDEF, values = UNDEF] = args;
  if (values.t === "arr") return [`CREATE TYPE ${literal(ctx, name, at)} AS ENUM (${values.items.map((v) => escapeValue(ctx, v, at)).join(", ")});`];
  if (values.t !== "obj") notStatic(ctx, at, "createType values are neither an array nor an object literal");
  const attrs = [...values.props].map(([attr, v]) => {
    const t = v.t === "str" ? v.v : v.t === "obj" ? text(ctx, v.props.get("type") ?? UNDEF, at, "type") : notStatic(ctx, at, "attribute type is not a string");
    if (v.t === "obj" && [...v.props.keys()].some((k) => k !== "type")) notStatic(ctx, at, "attribute options other than type");
    return `${literal(ctx, { t: "str", v: attr }, at)} ${t === "id" ? "serial" : adaptType(t)}`;
  });
  return [`CREATE TYPE ${literal(ctx, name, at)} AS (\n${attrs.join(",\n")}\n);`];
};

const addTypeValue: Operation = (ctx, args, at) => {
  const [name = UNDEF, value = UNDEF] = args;
  const o = opt(ctx, args, 2, ["before", "after", "ifNotExists"], "addTypeValue", at);
  if (truthy(o.get("before")) && truthy(o.get("after"))) notStatic(ctx, at, 'node-pg-migrate rejects "before" with "after"');
  const before = truthy(o.get("before")) ? ` BEFORE ${escapeValue(ctx, o.get("before")!, at)}` : "";
  const after = truthy(o.get("after")) ? ` AFTER ${escapeValue(ctx, o.get("after")!, at)}` : "";
  return [`ALTER TYPE ${literal(ctx, name, at)} ADD VALUE${flag(o, "ifNotExists", " IF NOT EXISTS")} ${escapeValue(ctx, value, at)}${before}${after};`];
};

const extensions =
  (create: boolean): Operation =>
  (ctx, args, at) => {
    const o = opt(ctx, args, 1, create ? ["ifNotExists", "schema"] : ["ifExists", "cascade"], create ? "createExtension" : "dropExtension", at);
    return toArray(args[0] ?? UNDEF).map((e) =>
      create
        ? `CREATE EXTENSION${flag(o, "ifNotExists", " IF NOT EXISTS")} ${literal(ctx, e, at)}${truthy(o.get("schema")) ? ` SCHEMA ${literal(ctx, o.get("schema")!, at)}` : ""};`
        : `DROP EXTENSION${flag(o, "ifExists", " IF EXISTS")} ${literal(ctx, e, at)}${flag(o, "cascade", " CASCADE")};`,
    );
  };

const createView: Operation = (ctx, args, at) => {
  const [name = UNDEF, , definition = UNDEF] = args;
  const o = opt(ctx, args, 1, ["temporary", "replace", "recursive", "columns", "checkOption"], "createView", at);
  const columns = toArray(o.get("columns") ?? { t: "arr", items: [] })
    .map((c) => literal(ctx, c, at, "column"))
    .join(", ");
  const check = truthy(o.get("checkOption")) ? ` WITH ${text(ctx, o.get("checkOption")!, at, "checkOption")} CHECK OPTION` : "";
  return [`CREATE${flag(o, "replace", " OR REPLACE")}${flag(o, "temporary", " TEMPORARY")}${flag(o, "recursive", " RECURSIVE")} VIEW ${literal(ctx, name, at)}${columns ? `(${columns})` : ""} AS ${text(ctx, definition, at, "view definition")}${check};`];
};

const createSequence: Operation = (ctx, args, at) => {
  const o = opt(ctx, args, 1, ["temporary", "ifNotExists", ...SEQUENCE_KEYS], "createSequence", at);
  return [`CREATE${flag(o, "temporary", " TEMPORARY")} SEQUENCE${flag(o, "ifNotExists", " IF NOT EXISTS")} ${literal(ctx, args[0] ?? UNDEF, at)}\n  ${sequenceOptions(ctx, o, at).join("\n  ")};`];
};

const rename =
  (prefix: string, middle: (ctx: BuilderContext, args: PgValue[], at: JsNode) => string): Operation =>
  (ctx, args, at) => [`${prefix} ${literal(ctx, args[0] ?? UNDEF, at)} ${middle(ctx, args, at)};`];

export const OPERATIONS: Record<string, Operation> = {
  createTable,
  dropTable: dropper("TABLE"),
  renameTable: rename("ALTER TABLE", (ctx, a, at) => `RENAME TO ${literal(ctx, a[1] ?? UNDEF, at)}`),
  addColumns,
  addColumn: addColumns,
  dropColumns,
  dropColumn: dropColumns,
  renameColumn: rename("ALTER TABLE", (ctx, a, at) => `RENAME ${literal(ctx, a[1] ?? UNDEF, at)} TO ${literal(ctx, a[2] ?? UNDEF, at)}`),
  alterColumn,
  addConstraint,
  createConstraint: addConstraint,
  dropConstraint: (ctx, args, at) => {
    const o = opt(ctx, args, 2, ["ifExists", "ifTableExists", "cascade"], "dropConstraint", at);
    return [`ALTER TABLE${flag(o, "ifTableExists", " IF EXISTS")} ${literal(ctx, args[0] ?? UNDEF, at)} DROP CONSTRAINT${flag(o, "ifExists", " IF EXISTS")} ${literal(ctx, args[1] ?? UNDEF, at)}${flag(o, "cascade", " CASCADE")};`];
  },
  renameConstraint: rename("ALTER TABLE", (ctx, a, at) => `RENAME CONSTRAINT ${literal(ctx, a[1] ?? UNDEF, at)} TO ${literal(ctx, a[2] ?? UNDEF, at)}`),
  createIndex,
  addIndex: createIndex,
  dropIndex,
  createType,
  addType: createType,
  dropType: dropper("TYPE"),
  renameType: rename("ALTER TYPE", (ctx, a, at) => `RENAME TO ${literal(ctx, a[1] ?? UNDEF, at)}`),
  addTypeValue,
  renameTypeValue: rename("ALTER TYPE", (ctx, a, at) => `RENAME VALUE ${escapeValue(ctx, a[1] ?? UNDEF, at)} TO ${escapeValue(ctx, a[2] ?? UNDEF, at)}`),
  createExtension: extensions(true),
  addExtension: extensions(true),
  dropExtension: extensions(false),
  createSchema: (ctx, args, at) => {
    const o = opt(ctx, args, 1, ["ifNotExists", "authorization"], "createSchema", at);
    return [`CREATE SCHEMA${flag(o, "ifNotExists", " IF NOT EXISTS")} ${literal(ctx, args[0] ?? UNDEF, at)}${truthy(o.get("authorization")) ? ` AUTHORIZATION ${text(ctx, o.get("authorization")!, at, "authorization")}` : ""};`];
  },
  dropSchema: dropper("SCHEMA"),
  createView,
  dropView: dropper("VIEW"),
  createSequence,
  dropSequence: dropper("SEQUENCE"),
};

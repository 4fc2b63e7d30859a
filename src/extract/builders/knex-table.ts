/**
 * A knex table callback (`(t) => { t.increments(); t.string('email').unique(); }`) read statically
 * into what knex's TableBuilder would record, then compiled in the order knex's PostgreSQL table
 * compiler emits: for `createTable`, native enum types first, the `create table`, the table comment,
 * column comments, then each index / constraint / drop in call order; for `alterTable`, the
 * `add column`s in one statement, each altered column's statements, comments, the rest in call order,
 * the table comment last.
 *
 * The callback may hold only calls chained on its parameter, one per statement: a variable, an `if`,
 * a loop or a helper call means the statements depend on running it, so the whole chain is `Unmapped`.
 */
import { child, childList, isFunction, unwrap, type JsNode } from "../module.js";
import type { BuilderContext } from "./builder.js";
import { alterColumn, columnTypeOf, compileColumn, isIncrements, type ColumnModel, type CompiledColumn, type TableScope } from "./knex-columns.js";
import { columnize, indexName, wrap } from "./knex-format.js";
import { KnexRaw, source, staticValue, unrollChain, Unmapped, type ChainCall } from "./knex-values.js";

export type TableMethod = "create" | "createIfNot" | "alter";

/** What `table.foreign(…)` / `column.references(…)` fill in. */
interface ForeignData {
  column: unknown;
  keyName?: unknown;
  references?: unknown;
  inTable?: unknown;
  onUpdate?: unknown;
  onDelete?: unknown;
  deferrable?: unknown;
}

type Statement = { kind: "column"; column: ColumnModel } | { kind: "alter"; method: string; args: unknown[] };

export interface TableModel {
  method: TableMethod;
  name: string;
  statements: Statement[];
  /** `t.comment('…')`, when called. */
  comment?: string;
}

/** Where a chain inside the callback stands after each call: what the last call returned. */
type Target =
  | { kind: "table" }
  | { kind: "column"; column: ColumnModel; foreign?: ForeignData }
  | { kind: "foreign"; data: ForeignData }
  | { kind: "references"; data: ForeignData; then: Target }
  | { kind: "nothing"; after: string };

/** Table methods that only record an index / constraint statement and return the table. */
const TABLE_STATEMENTS = new Set(["index", "primary", "unique", "dropPrimary", "dropPrimaryIfExists", "dropUnique", "dropUniqueIfExists", "dropIndex", "dropForeign", "dropForeignIfExists"]);
/** Methods knex adds to the table builder only inside `alterTable` / `table`. */
const ALTER_ONLY = new Set(["renameColumn", "dropColumn", "dropColumns", "dropTimestamps", "setNullable", "dropNullable"]);
/** Column modifiers knex records but its PostgreSQL compiler never renders. */
const IGNORED_BY_PG = new Set(["unsigned", "first", "after", "collate"]);

export function readTableCallback(method: TableMethod, name: string, fn: JsNode | undefined, ctx: BuilderContext): TableModel {
  const table: TableModel = { method, name, statements: [] };
  const f = fn && unwrap(fn);
  if (!f || !isFunction(f)) throw new Unmapped(fn ? `the table callback \`${source(ctx, fn)}\` is not a function written here` : "no table callback (knex throws)");
  if (f.async || f.generator) throw new Unmapped("the table callback is async");
  const params = childList(f, "params");
  const param = params[0] && unwrap(params[0]);
  if (param && param.type !== "Identifier") throw new Unmapped("the table callback destructures its parameter");
  const root = param ? (param.name as string) : f.type === "FunctionExpression" ? "this" : undefined;
  const body = child(f, "body")!;
  const expressions = body.type === "BlockStatement" ? childList(body, "body").filter((s) => s.type !== "EmptyStatement") : [body];
  for (const stmt of expressions) {
    const expr = stmt.type === "ExpressionStatement" ? child(stmt, "expression")! : stmt === body ? stmt : undefined;
    if (!expr) throw new Unmapped(`the table callback holds \`${source(ctx, stmt)}\`, not only builder calls`);
    const chain = unrollChain(expr);
    const base = chain.base;
    const onRoot = root !== undefined && chain.calls.length > 0 && ((base.type === "Identifier" && base.name === root) || (base.type === "ThisExpression" && root === "this"));
    if (!onRoot) throw new Unmapped(`the table callback holds \`${source(ctx, expr)}\`, not only calls on its table`);
    let target: Target = { kind: "table" };
    for (const call of chain.calls) target = step(table, target, call, ctx, root!);
  }
  return table;
}

function step(table: TableModel, target: Target, call: ChainCall, ctx: BuilderContext, root: string): Target {
  const args = call.args.map((a) => {
    if (a.type === "SpreadElement") throw new Unmapped(`a spread argument in \`${source(ctx, call.node)}\``);
    return staticValue(a, ctx);
  });
  const not = (what: string): never => {
    throw new Unmapped(`\`${what}.${call.name}()\` is not mapped`);
  };
  switch (target.kind) {
    case "nothing":
      throw new Unmapped(`\`.${call.name}()\` on what \`${target.after}()\` returns (knex returns nothing)`);
    case "references":
      if (call.name !== "inTable" && call.name !== "on") return not(`${root}….references()`);
      if (typeof args[0] !== "string") throw new Unmapped(`\`.${call.name}()\` without a table name (knex throws)`);
      target.data.inTable = args[0];
      return target.then;
    case "foreign":
      return foreignStep(target, target.data, call.name, args) ?? not(`${root}.foreign()`);
    case "column":
      return columnStep(table, target, call.name, args) ?? not(`${root}.${target.column.type}()`);
    case "table":
      return tableStep(table, call.name, args) ?? not(root);
  }
}

function tableStep(table: TableModel, name: string, args: unknown[]): Target | undefined {
  const type = columnTypeOf(name);
  if (type) {
    const column: ColumnModel = { type, args, modifiers: new Map(), method: "add", alterNullable: false, alterType: false };
    table.statements.push({ kind: "column", column });
    return { kind: "column", column };
  }
  if (TABLE_STATEMENTS.has(name)) {
    table.statements.push({ kind: "alter", method: name, args });
    return { kind: "table" };
  }
  if (ALTER_ONLY.has(name)) {
    if (table.method !== "alter") throw new Unmapped(`\`.${name}()\` exists only in alterTable / table (knex throws)`);
    if (name === "dropTimestamps") table.statements.push({ kind: "alter", method: "dropColumn", args: [args[0] === true ? ["createdAt", "updatedAt"] : ["created_at", "updated_at"]] });
    else table.statements.push({ kind: "alter", method: name === "dropColumns" ? "dropColumn" : name, args });
    return { kind: "table" };
  }
  if (name === "timestamps") {
    timestamps(table, args);
    return { kind: "nothing", after: name };
  }
  if (name === "comment") {
    if (typeof args[0] !== "string") throw new Unmapped("a table comment that is not a string (knex throws)");
    table.comment = args[0];
    return { kind: "nothing", after: name };
  }
  if (name === "foreign") {
    const data: ForeignData = { column: args[0], keyName: args[1] };
    table.statements.push({ kind: "alter", method: "foreign", args: [data] });
    return { kind: "foreign", data };
  }
  return undefined;
}

/** knex's `timestamps(useTimestamps, defaultToNow, useCamelCase)`: created_at and updated_at. */
function timestamps(table: TableModel, args: unknown[]): void {
  let [useTimestamps, defaultToNow, useCamelCase] = args;
  if (typeof useTimestamps === "object" && useTimestamps !== null) ({ useTimestamps, defaultToNow, useCamelCase } = useTimestamps as Record<string, unknown>);
  const type = useTimestamps === true ? "timestamp" : "datetime";
  for (const name of useCamelCase ? ["createdAt", "updatedAt"] : ["created_at", "updated_at"]) {
    const column: ColumnModel = { type, args: [name], modifiers: new Map(), method: "add", alterNullable: false, alterType: false };
    if (defaultToNow === true) {
      column.modifiers.set("nullable", [false]);
      column.modifiers.set("defaultTo", [new KnexRaw("CURRENT_TIMESTAMP")]);
    }
    table.statements.push({ kind: "column", column });
  }
}

function columnStep(table: TableModel, target: Extract<Target, { kind: "column" }>, name: string, args: unknown[]): Target | undefined {
  const column = target.column;
  switch (name) {
    case "nullable":
    case "comment":
      column.modifiers.set(name, args);
      return target;
    case "notNullable":
    case "notNull":
      column.modifiers.set("nullable", [false]);
      return target;
    case "defaultTo":
    case "default":
    case "defaultsTo":
      column.modifiers.set("defaultTo", args);
      return target;
    case "index":
    case "primary":
    case "unique":
      // knex leaves an increments column's own key alone (it is already the primary key).
      if (!isIncrements(column)) table.statements.push({ kind: "alter", method: name, args: [column.args[0], ...args] });
      return target;
    case "references": {
      // The first `.references()` records a foreign key; knex then grafts the foreign-key methods onto
      // the column, so a later `.references()` changes that same key.
      if (!target.foreign) {
        target.foreign = { column: column.args[0] };
        table.statements.push({ kind: "alter", method: "foreign", args: [target.foreign] });
      }
      return references(target.foreign, args[0], target);
    }
    case "alter": {
      if (table.method !== "alter") throw new Unmapped("`.alter()` exists only in alterTable / table (knex throws)");
      const o = (args[0] ?? {}) as { alterNullable?: unknown; alterType?: unknown };
      column.method = "alter";
      column.alterNullable = o.alterNullable === undefined ? true : Boolean(o.alterNullable);
      column.alterType = o.alterType === undefined ? true : Boolean(o.alterType);
      return target;
    }
    default:
      if (IGNORED_BY_PG.has(name)) return target;
      if (target.foreign && FOREIGN_OPTIONS.has(name)) return foreignStep(target, target.foreign, name, args);
      return undefined;
  }
}

/** A foreign key's modifiers and the option each records (a later call overwrites, as in knex). */
const FOREIGN_OPTIONS = new Map<string, "keyName" | "onUpdate" | "onDelete" | "deferrable">([
  ["withKeyName", "keyName"],
  ["onUpdate", "onUpdate"],
  ["onDelete", "onDelete"],
  ["deferrable", "deferrable"],
]);

function foreignStep(target: Target, data: ForeignData, name: string, args: unknown[]): Target | undefined {
  if (name === "references") return references(data, args[0], target);
  const option = FOREIGN_OPTIONS.get(name);
  if (!option) return undefined;
  data[option] = args[0];
  return target;
}

/** `references('users.id')` names both; `references('id')` waits for `.inTable('users')`. */
function references(data: ForeignData, value: unknown, then: Target): Target {
  const pieces = typeof value === "string" ? value.split(".") : undefined;
  if (!pieces || pieces.length === 1) {
    data.references = pieces ? pieces[0] : value;
    return { kind: "references", data, then };
  }
  data.inTable = pieces[0];
  data.references = pieces[1];
  return then;
}

/** The statements knex's pg table compiler emits for the table, `schema` being `withSchema`'s. */
export function compileTable(table: TableModel, schema: string | undefined): string[] {
  const sequence: string[] = [];
  const primaryKeyArgs = table.statements.filter((s) => s.kind === "alter" && s.method === "primary").flatMap((s) => (s as { args: unknown[] }).args.flat());
  const scope: TableScope = {
    tableName: () => wrap(schema ? `${schema}.${table.name}` : table.name),
    schema,
    canAddPrimaryKey: (options) => {
      if (options === null) throw new Unmapped("null column options (knex throws)");
      return Boolean((options as { primaryKey?: unknown }).primaryKey) && primaryKeyArgs.length === 0;
    },
    unshift: (sql) => void sequence.unshift(sql),
  };
  const columns = table.statements.flatMap((s) => (s.kind === "column" ? [s.column] : []));
  const compile = (method: "add" | "alter"): [ColumnModel, CompiledColumn][] => columns.filter((c) => c.method === method).map((c) => [c, compileColumn(scope, c)]);
  const T = scope.tableName();
  const tableComment = () => `comment on table ${T} is '${table.comment}'`;

  if (table.method === "alter") {
    const added = compile("add");
    const altered = compile("alter");
    if (added.length) sequence.push(`alter table ${T} ${added.map(([, c]) => `add column ${c.definition}`).join(", ")}`);
    for (const [column, compiled] of altered) sequence.push(...alterColumn(scope, column, compiled));
    for (const [, c] of [...added, ...altered]) sequence.push(...c.after);
    sequence.push(...alterStatements(table, T, schema));
    if (table.comment !== undefined) sequence.push(tableComment());
    return sequence;
  }
  const added = compile("add");
  sequence.push(`create table ${table.method === "createIfNot" ? "if not exists " : ""}${T} (${added.map(([, c]) => c.definition).join(", ")}${primaryKey(table)})`);
  if (table.comment !== undefined) sequence.push(tableComment());
  for (const [, c] of added) sequence.push(...c.after);
  sequence.push(...alterStatements(table, T, schema));
  return sequence;
}

/** Inside `create table (…)`: the first `primary()` as a named constraint. */
function primaryKey(table: TableModel): string {
  const pk = table.statements.find((s): s is Extract<Statement, { kind: "alter" }> => s.kind === "alter" && s.method === "primary");
  if (!pk || pk.args.length === 0) return "";
  const { name, deferrable } = constraintOptions(pk.args[1]);
  return `, constraint ${name ? wrap(name) : wrap(`${table.name}_pkey`)} primary key (${columnize(pk.args[0])})${deferrable}`;
}

function constraintOptions(value: unknown): { name: unknown; deferrable: string } {
  if (typeof value === "object" && value !== null) {
    const o = value as { constraintName?: unknown; deferrable?: unknown };
    return { name: o.constraintName, deferrable: o.deferrable ? ` deferrable initially ${String(o.deferrable)}` : "" };
  }
  return { name: value, deferrable: "" };
}

/** The index / constraint / drop / rename statements, in the order they were called. */
function alterStatements(table: TableModel, T: string, schema: string | undefined): string[] {
  const out: string[] = [];
  const raw = table.name;
  for (const s of table.statements) {
    if (s.kind !== "alter") continue;
    const [a, b, c] = s.args;
    switch (s.method) {
      case "primary": {
        if (table.method !== "alter") break; // inside the create table statement
        const { name, deferrable } = constraintOptions(b);
        out.push(`alter table ${T} add constraint ${name ? wrap(name) : wrap(`${raw}_pkey`)} primary key (${columnize(a)})${deferrable}`);
        break;
      }
      case "unique":
        out.push(unique(T, raw, a, b));
        break;
      case "index":
        out.push(index(T, raw, a, b, c));
        break;
      case "foreign": {
        const f = a as ForeignData;
        if (!f.inTable || !f.references) break; // knex emits nothing for an incomplete foreign key
        const key = f.keyName ? wrap(f.keyName) : indexName("foreign", raw, f.column);
        const onUpdate = f.onUpdate ? ` on update ${String(f.onUpdate)}` : "";
        const onDelete = f.onDelete ? ` on delete ${String(f.onDelete)}` : "";
        const deferrable = f.deferrable ? ` deferrable initially ${String(f.deferrable).toLowerCase()} ` : "";
        out.push(`alter table ${T} add constraint ${key} foreign key (${columnize(f.column)}) references ${wrap(f.inTable)} (${columnize(f.references)})${onUpdate}${onDelete}${deferrable}`);
        break;
      }
      case "dropPrimary":
      case "dropPrimaryIfExists":
        out.push(`alter table ${T} drop constraint ${s.method.endsWith("IfExists") ? "if exists " : ""}${a ? wrap(a) : wrap(`${raw}_pkey`)}`);
        break;
      case "dropUnique":
      case "dropUniqueIfExists":
        out.push(`alter table ${T} drop constraint ${s.method.endsWith("IfExists") ? "if exists " : ""}${b ? wrap(b) : indexName("unique", raw, a)}`);
        break;
      case "dropForeign":
      case "dropForeignIfExists":
        out.push(`alter table ${T} drop constraint ${s.method.endsWith("IfExists") ? "if exists " : ""}${b ? wrap(b) : indexName("foreign", raw, a)}`);
        break;
      case "dropIndex": {
        const name = b ? wrap(b) : indexName("index", raw, a);
        // The index lives in the table's schema (withSchema's), named apart from the table.
        out.push(`drop index ${schema ? `${wrap(schema)}.` : ""}${name}`);
        break;
      }
      case "renameColumn":
        out.push(`alter table ${T} rename ${wrap(a)} to ${wrap(b)}`);
        break;
      case "dropColumn": {
        const list = Array.isArray(a) ? a : s.args;
        out.push(`alter table ${T} ${list.map((col) => `drop column ${wrap(col)}`).join(", ")}`);
        break;
      }
      case "setNullable":
      case "dropNullable":
        out.push(`alter table ${T} alter column ${wrap(a)} ${s.method === "setNullable" ? "drop not null" : "set not null"}`);
        break;
    }
  }
  return out;
}

function unique(T: string, raw: string, columns: unknown, options: unknown): string {
  let name = options;
  let deferrable: unknown;
  let useConstraint: unknown = true;
  let predicate: unknown;
  if (typeof options === "object" && options !== null) {
    ({ indexName: name, deferrable, useConstraint, predicate } = options as Record<string, unknown>);
    if (useConstraint === undefined) useConstraint = !!deferrable || !predicate;
  }
  if (predicate) throw new Unmapped("a unique index with a predicate (a query builder)");
  if (!useConstraint && deferrable && deferrable !== "not deferrable") throw new Unmapped("a deferrable unique index (knex throws)");
  const key = name ? wrap(name) : indexName("unique", raw, columns);
  const d = deferrable ? ` deferrable initially ${String(deferrable)}` : "";
  return useConstraint ? `alter table ${T} add constraint ${key} unique (${columnize(columns)})${d}` : `create unique index ${key} on ${T} (${columnize(columns)})`;
}

function index(T: string, raw: string, columns: unknown, name: unknown, options: unknown): string {
  if (typeof name === "object" && name !== null) throw new Unmapped("index options where knex expects the index name");
  let using: unknown;
  let indexType: unknown;
  if (typeof options === "string") using = options;
  else if (typeof options === "object" && options !== null) {
    const o = options as Record<string, unknown>;
    if (o.predicate) throw new Unmapped("an index with a predicate (a query builder)");
    ({ indexType, storageEngineIndexType: using } = o);
  }
  const key = name ? wrap(name) : indexName("index", raw, columns);
  const unique = typeof indexType === "string" && indexType.toLowerCase() === "unique" ? " unique" : "";
  return `create${unique} index ${key} on ${T}${using ? ` using ${String(using)}` : ""} (${columnize(columns)})`;
}

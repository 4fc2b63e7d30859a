/**
 * One column of a knex table callback (`t.string('email', 320).notNullable()`) as knex's PostgreSQL
 * column compiler renders it: `"name" type [null | not null] [default …]`, plus the statements the
 * column adds after the table's (`comment on column …`) and, for a native enum, the `create type`
 * it puts before them. The types and modifiers below are the ones mapped; any other throws
 * `Unmapped` when the chain is read (see knex-table.ts), so no column is ever half-compiled.
 */
import { formatDefault, toNumber, wrap, wrapIdentifier } from "./knex-format.js";
import { Unmapped } from "./knex-values.js";

/** What a table callback recorded for one column: knex's `ColumnBuilder` state. */
export interface ColumnModel {
  /** knex's column type after its aliases, lower-cased (`varchar`, `bool`, `enu`, `bigincrements`). */
  type: string;
  /** The call's arguments: the column name first. */
  args: unknown[];
  /** Modifier → its arguments, the last call winning (`nullable`, `defaultTo`, `comment`). */
  modifiers: Map<string, unknown[]>;
  /** `alter` after `.alter()`: the column is changed, not added. */
  method: "add" | "alter";
  alterNullable: boolean;
  alterType: boolean;
}

/** What the column compiler reads from its table. */
export interface TableScope {
  /** The quoted, schema-qualified table name. */
  tableName(): string;
  schema: string | undefined;
  /** An `increments`/`uuid` column adds `primary key` when asked and no `primary()` is declared. */
  canAddPrimaryKey(options: unknown): boolean;
  /** Puts a statement before everything the table compiled so far (knex's `unshiftQuery`). */
  unshift(sql: string): void;
}

/** The table methods mapped → the column type knex records for them (its `columnAlias`, lower-cased as its compiler reads it). */
const METHODS: Record<string, string> = {
  increments: "increments", bigincrements: "bigincrements", bigIncrements: "bigincrements",
  integer: "integer", mediumint: "mediumint", smallint: "smallint", tinyint: "tinyint",
  biginteger: "biginteger", bigInteger: "biginteger", bigint: "biginteger",
  string: "varchar", varchar: "varchar", text: "text", boolean: "bool", bool: "bool",
  date: "date", time: "time", datetime: "datetime", dateTime: "datetime", timestamp: "timestamp",
  decimal: "decimal", float: "floating", double: "double", uuid: "uuid", json: "json", jsonb: "jsonb",
  enu: "enu", enum: "enu", specificType: "specifictype", binary: "binary",
};

/** The column types mapped, each as knex pg's compiler renders it from the arguments after the name. */
const TYPES: Record<string, (scope: TableScope, column: ColumnModel, args: unknown[]) => string> = {
  increments: (s, _c, [options = { primaryKey: true }]) => `serial${s.canAddPrimaryKey(options) ? " primary key" : ""}`,
  bigincrements: (s, _c, [options = { primaryKey: true }]) => `bigserial${s.canAddPrimaryKey(options) ? " primary key" : ""}`,
  integer: () => "integer",
  mediumint: () => "integer",
  smallint: () => "smallint",
  tinyint: () => "smallint",
  biginteger: () => "bigint",
  varchar: (_s, _c, [length]) => `varchar(${toNumber(length, 255)})`,
  text: () => "text",
  bool: () => "boolean",
  date: () => "date",
  time: () => "time",
  datetime: (_s, _c, [withoutTz, precision]) => dateTime(withoutTz, precision),
  timestamp: (_s, _c, [withoutTz, precision]) => dateTime(withoutTz, precision),
  decimal: (_s, _c, [precision, scale]) => (precision === null ? "decimal" : `decimal(${toNumber(precision, 8)}, ${toNumber(scale, 2)})`),
  floating: () => "real",
  double: () => "double precision",
  uuid: (s, _c, [options = { primaryKey: false }]) => `uuid${s.canAddPrimaryKey(options) ? " primary key" : ""}`,
  json: (_s, _c, [jsonb]) => (jsonb ? "jsonb" : "json"),
  jsonb: () => "jsonb",
  enu: (s, c, [allowed, options]) => enumType(s, c, allowed, options),
  specifictype: (_s, _c, [type]) => String(type),
  binary: () => "bytea",
};

/** The knex type a table method records, or undefined when the method is not a mapped column type. */
export function columnTypeOf(method: string): string | undefined {
  return Object.hasOwn(METHODS, method) ? METHODS[method] : undefined;
}

export function isIncrements(column: ColumnModel): boolean {
  return column.type.includes("increments");
}

/** knex pg's `datetime(withoutTz = false, precision)`: timestamptz unless told otherwise. */
function dateTime(withoutTz: unknown = false, precision: unknown): string {
  let useTz: unknown;
  if (typeof withoutTz === "object" && withoutTz !== null) ({ useTz, precision } = withoutTz as { useTz?: unknown; precision?: unknown });
  else useTz = !withoutTz;
  useTz = typeof useTz === "boolean" ? useTz : true;
  const p = precision !== undefined && precision !== null ? `(${String(precision)})` : "";
  return `${useTz ? "timestamptz" : "timestamp"}${p}`;
}

/** knex pg's enum: a text column with a check constraint, or with `useNative` a type of its own. */
function enumType(scope: TableScope, column: ColumnModel, allowed: unknown, options: unknown): string {
  const o = (options ?? {}) as { useNative?: unknown; existingType?: unknown; schemaName?: unknown; enumName?: unknown };
  if (typeof o !== "object") throw new Unmapped("enum options that are not an object");
  const values = o.useNative && o.existingType ? undefined : joinValues(allowed);
  if (o.useNative) {
    const schema = o.schemaName || scope.schema;
    const name = `${schema ? `"${String(schema)}".` : ""}"${String(o.enumName)}"`;
    if (!o.existingType) scope.unshift(`create type ${name} as enum ('${values}')`);
    return name;
  }
  return `text check (${wrap(column.args[0])} in ('${values}'))`;
}

function joinValues(allowed: unknown): string {
  if (!Array.isArray(allowed)) throw new Unmapped("enum values that are not an array");
  return allowed.join("', '");
}

/** The column's name: its first argument, `id` for an unnamed increments column. */
export function columnName(column: ColumnModel): unknown {
  const first = column.args[0];
  if (first) return first;
  if (!isIncrements(column)) throw new Unmapped(`a ${column.type} column without a name (knex throws)`);
  return "id";
}

export interface CompiledColumn {
  /** The column definition (`"email" varchar(320) not null`). */
  definition: string;
  /** Statements that follow the table's own (comments). */
  after: string[];
  /** The type alone, as `alter column … type` needs it. */
  type: string;
}

/** Compiles one column like knex's `ColumnCompiler.toSQL` (the type is compiled once, so a native enum's `create type` is unshifted once). */
export function compileColumn(scope: TableScope, column: ColumnModel): CompiledColumn {
  const type = TYPES[column.type]!(scope, column, column.args.slice(1));
  const modifiers: string[] = [];
  const after: string[] = [];
  for (const m of ["nullable", "defaultTo", "comment"]) {
    // knex drops every modifier but the comment on an increments column.
    if (isIncrements(column) && m !== "comment") continue;
    const args = column.modifiers.get(m);
    if (!args) continue;
    if (m === "nullable") modifiers.push(args[0] === false ? "not null" : "null");
    if (m === "defaultTo") modifiers.push(defaultClause(column, args));
    if (m === "comment") after.push(commentStatement(scope, column, args[0]));
  }
  return { definition: `${wrap(columnName(column))} ${type}${modifiers.length ? ` ${modifiers.join(" ")}` : ""}`, after, type };
}

export function defaultClause(column: ColumnModel, args: unknown[]): string {
  return `default ${formatDefault(args[0], column.type)}`;
}

function commentStatement(scope: TableScope, column: ColumnModel, comment: unknown): string {
  if (comment && typeof comment !== "string") throw new Unmapped("a column comment that is not a string (knex throws)");
  // knex doubles a lone `'` but leaves an already doubled `''` as it is.
  const text = comment ? `'${(comment as string).replace(/(?<!')'(?!')/g, "''")}'` : "NULL";
  return `comment on column ${scope.tableName()}.${wrap(columnName(column))} is ${text}`;
}

/** knex pg's `_addColumn`: the statements that change an existing column to the one described. */
export function alterColumn(scope: TableScope, column: ColumnModel, compiled: CompiledColumn): string[] {
  const table = scope.tableName();
  const name = wrapIdentifier(String(columnName(column)));
  const prefix = `alter table ${table} alter column ${name}`;
  const out = [`${prefix} drop default`];
  if (column.alterNullable) out.push(`${prefix} drop not null`);
  if (column.alterType) out.push(`${prefix} type ${compiled.type} using (${name}${column.type === "enu" ? "::text::" : "::"}${compiled.type})`);
  const defaultTo = column.modifiers.get("defaultTo");
  if (defaultTo) out.push(`${prefix} set ${defaultClause(column, defaultTo)}`);
  if (column.alterNullable && column.modifiers.get("nullable")?.[0] === false) out.push(`${prefix} set not null`);
  return out;
}

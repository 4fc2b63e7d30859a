/**
 * One Kysely schema statement from its chain: the statement call (`createTable('x')`) and the builder
 * calls after it, in the order and spelling Kysely's PostgreSQL compiler writes them.
 */
import type { BuilderContext } from "./builder.js";
import { columnAlteration, columnDefinition } from "./kysely-columns.js";
import { ALLOWED, tableConstraint } from "./kysely-constraints.js";
import { ident, orderedColumn, sqlExpr, table } from "./kysely-sql.js";
import { notStatic, stringArg, stringList, type Step } from "./static-value.js";

type Statement = (ctx: BuilderContext, head: Step, rest: Step[], schema: string | undefined) => string;

const nameOf = (ctx: BuilderContext, head: Step, what: string) => stringArg(ctx, head.args![0], what, head.node);
const unmapped = (ctx: BuilderContext, s: Step, head: Step): never => notStatic(ctx, s.node, `${head.name} .${s.name}() is not mapped`);
const noArgs = (ctx: BuilderContext, s: Step) => {
  if (s.args!.length) notStatic(ctx, s.node, `.${s.name}() with arguments`);
};

/** Statements whose only modifiers are flags (`ifExists`, `cascade`…): the flags set, in any order. */
function flags(ctx: BuilderContext, head: Step, rest: Step[], allowed: readonly string[]): Set<string> {
  const set = new Set<string>();
  for (const s of rest) {
    if (!allowed.includes(s.name)) unmapped(ctx, s, head);
    noArgs(ctx, s);
    set.add(s.name);
  }
  return set;
}

const createTable: Statement = (ctx, head, rest, schema) => {
  const name = table(nameOf(ctx, head, "table name"), schema);
  const items: string[] = [];
  const constraints: string[] = [];
  const front: string[] = [];
  const end: string[] = [];
  let ifNotExists = false;
  let temporary = false;
  let onCommit: string | undefined;
  for (const s of rest) {
    switch (s.name) {
      case "addColumn":
        items.push(columnDefinition(ctx, s, schema));
        break;
      case "addPrimaryKeyConstraint":
      case "addUniqueConstraint":
      case "addCheckConstraint":
      case "addForeignKeyConstraint":
        constraints.push(tableConstraint(ctx, s, schema));
        break;
      case "ifNotExists":
        ifNotExists = true;
        break;
      case "temporary":
        temporary = true;
        break;
      case "onCommit":
        onCommit = stringArg(ctx, s.args![0], "onCommit", s.node);
        if (!["preserve rows", "delete rows", "drop"].includes(onCommit)) notStatic(ctx, s.node, `unknown onCommit "${onCommit}"`);
        break;
      case "modifyFront":
        front.push(sqlExpr(ctx, s.args![0], "modifyFront", s.node));
        break;
      case "modifyEnd":
        end.push(sqlExpr(ctx, s.args![0], "modifyEnd", s.node));
        break;
      default:
        unmapped(ctx, s, head); // as(query), $call
    }
  }
  return `create ${front.length ? `${front.join(" ")} ` : ""}${temporary ? "temporary " : ""}table ${ifNotExists ? "if not exists " : ""}${name} (${[...items, ...constraints].join(", ")})${onCommit ? ` on commit ${onCommit}` : ""}${end.length ? ` ${end.join(" ")}` : ""}`;
};

/** The calls alterTable chains into one statement (`alter table "t" add column …, drop column …`). */
const ALTERATIONS = new Set(["addColumn", "dropColumn", "renameColumn", "alterColumn"]);

const alterTable: Statement = (ctx, head, rest, schema) => {
  const name = table(nameOf(ctx, head, "table name"), schema);
  const first = rest[0];
  if (!first) notStatic(ctx, head.node, "alterTable without a change");
  if (ALTERATIONS.has(first.name)) {
    const parts = rest.map((s) => {
      if (!ALTERATIONS.has(s.name)) unmapped(ctx, s, head);
      switch (s.name) {
        case "addColumn":
          return `add column ${columnDefinition(ctx, s, schema)}`;
        case "dropColumn":
          return `drop column ${ident(stringArg(ctx, s.args![0], "column name", s.node))}`;
        case "renameColumn":
          return `rename column ${ident(stringArg(ctx, s.args![0], "column name", s.node))} to ${ident(stringArg(ctx, s.args![1], "new column name", s.node))}`;
        default:
          return columnAlteration(ctx, s);
      }
    });
    return `alter table ${name} ${parts.join(", ")}`;
  }
  // The other changes are one per statement: what follows them can only be their own modifiers.
  const after = rest.slice(1);
  const only = () => {
    if (after[0]) unmapped(ctx, after[0], head);
  };
  switch (first.name) {
    case "renameTo":
      only();
      return `alter table ${name} rename to ${ident(stringArg(ctx, first.args![0], "new table name", first.node))}`;
    case "setSchema":
      only();
      return `alter table ${name} set schema ${ident(stringArg(ctx, first.args![0], "schema name", first.node))}`;
    case "renameConstraint":
      only();
      return `alter table ${name} rename constraint ${ident(stringArg(ctx, first.args![0], "constraint name", first.node))} to ${ident(stringArg(ctx, first.args![1], "new constraint name", first.node))}`;
    case "addPrimaryKeyConstraint":
    case "addUniqueConstraint":
    case "addCheckConstraint":
      only();
      return `alter table ${name} add ${tableConstraint(ctx, first, schema)}`;
    case "addForeignKeyConstraint":
      for (const s of after) if (!ALLOWED.addForeignKeyConstraint!.includes(s.name)) unmapped(ctx, s, head);
      return `alter table ${name} add ${tableConstraint(ctx, first, schema, after)}`;
    case "dropConstraint": {
      const f = flags(ctx, head, after, ["ifExists", "cascade", "restrict"]);
      return `alter table ${name} drop constraint ${f.has("ifExists") ? "if exists " : ""}${ident(stringArg(ctx, first.args![0], "constraint name", first.node))}${f.has("cascade") ? " cascade" : f.has("restrict") ? " restrict" : ""}`;
    }
    default:
      return unmapped(ctx, first, head); // addIndex/dropIndex/modifyColumn: other dialects
  }
};

const createIndex: Statement = (ctx, head, rest, schema) => {
  const name = ident(nameOf(ctx, head, "index name"));
  let on: string | undefined;
  let using: string | undefined;
  let where: string | undefined;
  const columns: string[] = [];
  const f = new Set<string>();
  for (const s of rest) {
    switch (s.name) {
      case "on":
        on = table(stringArg(ctx, s.args![0], "table name", s.node), schema);
        break;
      case "column":
        columns.push(orderedColumn(ctx, stringArg(ctx, s.args![0], "column", s.node), s.node));
        break;
      case "columns":
        for (const c of stringList(ctx, s.args![0], "columns", s.node)) columns.push(orderedColumn(ctx, c, s.node));
        break;
      case "expression":
        columns.push(sqlExpr(ctx, s.args![0], "index expression", s.node));
        break;
      case "using":
        using = stringArg(ctx, s.args![0], "index method", s.node);
        break;
      case "where":
        // Only the raw form: where('col', '>', 1) compiles through Kysely's expression builder.
        if (s.args!.length !== 1) notStatic(ctx, s.node, "index where() other than sql`…`");
        where = sqlExpr(ctx, s.args![0], "index where", s.node);
        break;
      case "unique":
      case "ifNotExists":
      case "nullsNotDistinct":
        noArgs(ctx, s);
        f.add(s.name);
        break;
      default:
        unmapped(ctx, s, head);
    }
  }
  if (!on) notStatic(ctx, head.node, "createIndex without on()");
  return `create ${f.has("unique") ? "unique " : ""}index ${f.has("ifNotExists") ? "if not exists " : ""}${name} on ${on}${using !== undefined ? ` using ${using}` : ""}${columns.length ? ` (${columns.join(", ")})` : ""}${f.has("nullsNotDistinct") ? " nulls not distinct" : ""}${where !== undefined ? ` where ${where}` : ""}`;
};

const createView: Statement = (ctx, head, rest, schema) => {
  const name = table(nameOf(ctx, head, "view name"), schema);
  let as: string | undefined;
  let columns: string[] | undefined;
  const f = new Set<string>();
  for (const s of rest) {
    if (s.name === "as") as = sqlExpr(ctx, s.args![0], "view query", s.node);
    else if (s.name === "columns") columns = stringList(ctx, s.args![0], "columns", s.node).map(ident);
    else if (["orReplace", "materialized", "temporary", "ifNotExists"].includes(s.name)) {
      noArgs(ctx, s);
      f.add(s.name);
    } else unmapped(ctx, s, head);
  }
  if (as === undefined) notStatic(ctx, head.node, "createView without as()");
  return `create ${f.has("orReplace") ? "or replace " : ""}${f.has("materialized") ? "materialized " : ""}${f.has("temporary") ? "temporary " : ""}view ${f.has("ifNotExists") ? "if not exists " : ""}${name} ${columns ? `(${columns.join(", ")}) ` : ""}as ${as}`;
};

export const STATEMENTS: Record<string, Statement> = {
  createTable,
  alterTable,
  createIndex,
  createView,
  dropTable: (ctx, head, rest, schema) => {
    const f = flags(ctx, head, rest, ["ifExists", "cascade"]);
    return `drop table ${f.has("ifExists") ? "if exists " : ""}${table(nameOf(ctx, head, "table name"), schema)}${f.has("cascade") ? " cascade" : ""}`;
  },
  dropIndex: (ctx, head, rest, schema) => {
    const f = flags(ctx, head, rest, ["ifExists", "cascade"]);
    return `drop index ${f.has("ifExists") ? "if exists " : ""}${table(nameOf(ctx, head, "index name"), schema)}${f.has("cascade") ? " cascade" : ""}`;
  },
  dropView: (ctx, head, rest, schema) => {
    const f = flags(ctx, head, rest, ["ifExists", "cascade", "materialized"]);
    return `drop ${f.has("materialized") ? "materialized " : ""}view ${f.has("ifExists") ? "if exists " : ""}${table(nameOf(ctx, head, "view name"), schema)}${f.has("cascade") ? " cascade" : ""}`;
  },
  createType: (ctx, head, rest, schema) => {
    const name = table(nameOf(ctx, head, "type name"), schema);
    const [asEnum, extra] = rest;
    if (!asEnum || asEnum.name !== "asEnum") notStatic(ctx, asEnum?.node ?? head.node, "createType other than asEnum()");
    if (extra) unmapped(ctx, extra, head);
    const values = stringList(ctx, asEnum.args![0], "enum values", asEnum.node);
    return `create type ${name} as enum (${values.map((v) => `'${v.replace(/'/g, "''")}'`).join(", ")})`;
  },
  dropType: (ctx, head, rest, schema) => {
    const f = flags(ctx, head, rest, ["ifExists"]);
    return `drop type ${f.has("ifExists") ? "if exists " : ""}${table(nameOf(ctx, head, "type name"), schema)}`;
  },
  createSchema: (ctx, head, rest) => {
    const f = flags(ctx, head, rest, ["ifNotExists"]);
    return `create schema ${f.has("ifNotExists") ? "if not exists " : ""}${ident(nameOf(ctx, head, "schema name"))}`;
  },
  dropSchema: (ctx, head, rest) => {
    const f = flags(ctx, head, rest, ["ifExists", "cascade"]);
    return `drop schema ${f.has("ifExists") ? "if exists " : ""}${ident(nameOf(ctx, head, "schema name"))}${f.has("cascade") ? " cascade" : ""}`;
  },
};

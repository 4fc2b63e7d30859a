/**
 * RENAME and SET SCHEMA: renamed back under the name the catalog had before. A diff cannot see a
 * rename (it would look like a drop and a create, losing the data), so renames never go through it.
 */
import type { AlterObjectSchemaStmt, RenameStmt } from "@pgsql/types";
import { Resolver, keyOf } from "../../catalog/names.js";
import { Renderer, quoteName } from "../../catalog/render.js";
import { asNode, stringValues } from "../../parse/ast.js";
import { reversible, transactional, type InvertContext, type Inversion } from "../context.js";
import { diffMaps } from "../../catalog/pmap.js";

const RELATION_WORD: Record<string, string> = {
  OBJECT_TABLE: "TABLE",
  OBJECT_VIEW: "VIEW",
  OBJECT_MATVIEW: "MATERIALIZED VIEW",
  OBJECT_SEQUENCE: "SEQUENCE",
  OBJECT_INDEX: "INDEX",
  OBJECT_FOREIGN_TABLE: "FOREIGN TABLE",
};

export function invertRename(ctx: InvertContext, stmt: RenameStmt): Inversion | undefined {
  const { before, after } = ctx;
  const r = new Renderer(after, ctx.searchPath);
  const rb = new Renderer(before, ctx.searchPath);
  const newname = stmt.newname ?? "";
  const word = RELATION_WORD[stmt.renameType ?? ""];
  if (word) {
    const old = goneRelations(ctx).find((o) => o.name !== newname);
    if (!old) return undefined;
    return reversible([transactional(`ALTER ${word} IF EXISTS ${r.name(old.schema, newname)} RENAME TO ${quoteName(old.name)}`)]);
  }
  switch (stmt.renameType) {
    case "OBJECT_COLUMN":
    case "OBJECT_TABCONSTRAINT":
    case "OBJECT_TRIGGER":
    case "OBJECT_POLICY": {
      const key = resolveRelation(ctx, stmt);
      if (!key) return undefined;
      const table = r.relation(key);
      const from = quoteName(newname);
      const to = quoteName(stmt.subname ?? "");
      const sql =
        stmt.renameType === "OBJECT_COLUMN"
          ? `ALTER ${stmt.relationType === "OBJECT_VIEW" || stmt.relationType === "OBJECT_MATVIEW" ? RELATION_WORD[stmt.relationType] : "TABLE"} IF EXISTS ${table} RENAME COLUMN ${from} TO ${to}`
          : stmt.renameType === "OBJECT_TABCONSTRAINT"
            ? `ALTER TABLE IF EXISTS ${table} RENAME CONSTRAINT ${from} TO ${to}`
            : `ALTER ${stmt.renameType === "OBJECT_TRIGGER" ? "TRIGGER" : "POLICY"} ${from} ON ${table} RENAME TO ${to}`;
      return reversible([transactional(sql)]);
    }
    case "OBJECT_TYPE":
    case "OBJECT_DOMAIN": {
      const changed = diffMaps(before.types, after.types);
      const gone = changed.find((c) => c.before && !c.after);
      if (!gone?.before) return undefined;
      const word = gone.before.kind === "domain" ? "DOMAIN" : "TYPE";
      return reversible([transactional(`ALTER ${word} ${r.name(gone.before.schema, newname)} RENAME TO ${quoteName(gone.before.name)}`)]);
    }
    case "OBJECT_SCHEMA":
      return reversible([transactional(`ALTER SCHEMA ${quoteName(newname)} RENAME TO ${quoteName(stmt.subname ?? "")}`)]);
    case "OBJECT_FUNCTION":
    case "OBJECT_PROCEDURE":
    case "OBJECT_ROUTINE": {
      const gone = diffMaps(before.functions, after.functions).find((c) => c.before && !c.after)?.before;
      if (!gone) return undefined;
      const word = gone.kind === "procedure" ? "PROCEDURE" : "FUNCTION";
      return reversible([transactional(`ALTER ${word} ${r.name(gone.schema, newname)}(${gone.argTypes.join(", ")}) RENAME TO ${quoteName(gone.name)}`)]);
    }
    case "OBJECT_ATTRIBUTE": {
      const key = keyOf(stmt.relation?.schemaname ?? rb.defaultSchema, stmt.relation?.relname ?? "");
      return reversible([transactional(`ALTER TYPE ${r.relation(key)} RENAME ATTRIBUTE ${quoteName(newname)} TO ${quoteName(stmt.subname ?? "")}`)]);
    }
    default:
      return undefined;
  }
}

function resolveRelation(ctx: InvertContext, stmt: RenameStmt): string | undefined {
  const r = new Resolver(ctx.after, ctx.searchPath);
  const q = r.find(r.rangeVarNames(stmt.relation), ctx.after.tables, ctx.after.views);
  return q ? keyOf(q.schema, q.name) : undefined;
}

const SCHEMA_WORD: Record<string, string> = { ...RELATION_WORD, OBJECT_TYPE: "TYPE", OBJECT_DOMAIN: "DOMAIN", OBJECT_FUNCTION: "FUNCTION", OBJECT_PROCEDURE: "PROCEDURE", OBJECT_EXTENSION: "EXTENSION" };

/** ALTER … SET SCHEMA: moved back to the schema it came from. */
export function invertSetSchema(ctx: InvertContext, stmt: AlterObjectSchemaStmt): Inversion | undefined {
  const word = SCHEMA_WORD[stmt.objectType ?? ""];
  if (!word) return undefined;
  const { before, after } = ctx;
  const to = stmt.newschema ?? "";
  const r = new Renderer(after, ctx.searchPath);
  if (stmt.objectType === "OBJECT_EXTENSION") {
    const name = asNode(stmt.object, "String")?.sval ?? "";
    const old = before.extensions.get(name)?.schema;
    return old ? reversible([transactional(`ALTER EXTENSION ${quoteName(name)} SET SCHEMA ${quoteName(old)}`)]) : undefined;
  }
  if (stmt.objectType === "OBJECT_FUNCTION" || stmt.objectType === "OBJECT_PROCEDURE") {
    const gone = diffMaps(before.functions, after.functions).find((c) => c.before && !c.after)?.before;
    if (!gone) return undefined;
    return reversible([transactional(`ALTER ${word} ${r.name(to, gone.name)}(${gone.argTypes.join(", ")}) SET SCHEMA ${quoteName(gone.schema)}`)]);
  }
  if (stmt.objectType === "OBJECT_TYPE" || stmt.objectType === "OBJECT_DOMAIN") {
    const gone = diffMaps(before.types, after.types).find((c) => c.before && !c.after)?.before;
    if (!gone) return undefined;
    return reversible([transactional(`ALTER ${word} ${r.name(to, gone.name)} SET SCHEMA ${quoteName(gone.schema)}`)]);
  }
  const names = stmt.relation?.relname ? [stmt.relation.relname] : stringValues(asNode(stmt.object, "List")?.items).slice(-1);
  const name = names[0] ?? "";
  const gone = goneRelations(ctx).find((o) => o.name === name);
  if (!gone) return undefined;
  return reversible([transactional(`ALTER ${word} IF EXISTS ${r.name(to, name)} SET SCHEMA ${quoteName(gone.schema)}`)]);
}

/** Relations (tables, views, sequences, indexes) the statement made disappear under their old key. */
function goneRelations(ctx: InvertContext): { schema: string; name: string }[] {
  const { before, after } = ctx;
  const out: { schema: string; name: string }[] = [];
  const collect = <T extends { schema: string; name: string }>(a: ReadonlyMap<string, T>, b: ReadonlyMap<string, T>): void => {
    for (const c of diffMaps(a, b)) if (c.before && !c.after) out.push(c.before);
  };
  collect(before.tables, after.tables);
  collect(before.views, after.views);
  collect(before.sequences, after.sequences);
  collect(before.indexes, after.indexes);
  return out;
}

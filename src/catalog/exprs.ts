/**
 * What the catalog needs to know about the expressions it keeps: which columns they read (so that
 * dropping a column drops the indexes and constraints on it), and the same expression with a column
 * or relation renamed (PostgreSQL follows renames by OID; our stored ASTs follow them by rewrite).
 * Rewrites clone the expression first: catalog ASTs are shared and never mutated in place.
 */
import type { Node } from "@pgsql/types";
import { asNode, stringValues, walk } from "../parse/ast.js";

/** Distinct column names an expression reads (the last field of each column reference). */
export function columnsRead(expr: Node | undefined, into: string[] = []): string[] {
  if (!expr) return into;
  walk(expr, (tag, value) => {
    if (tag === "ColumnRef") {
      const names = stringValues((value as { fields?: Node[] }).fields);
      const last = names.at(-1);
      if (last !== undefined && !into.includes(last)) into.push(last);
    } else if (tag === "IndexElem") {
      const name = (value as { name?: string }).name;
      if (name && !into.includes(name)) into.push(name);
    }
  });
  return into;
}

export function readsColumn(expr: Node | undefined, column: string): boolean {
  return columnsRead(expr).includes(column);
}

/**
 * The expression with references to `from` renamed to `to` (unqualified refs, and refs qualified by
 * a name in `qualifiers` such as the table's name). Returns the same node when nothing matches.
 */
export function renameColumnIn<T extends Node | undefined>(expr: T, from: string, to: string, qualifiers: readonly string[] = []): T {
  if (!expr) return expr;
  const matches = (fields: string[]): boolean =>
    (fields.length === 1 && fields[0] === from) || (fields.length === 2 && fields[1] === from && qualifiers.includes(fields[0]!));
  let found = false;
  walk(expr, (tag, value) => {
    if (tag === "ColumnRef" && matches(stringValues((value as { fields?: Node[] }).fields))) found = true;
    if (tag === "IndexElem" && (value as { name?: string }).name === from) found = true;
  });
  if (!found) return expr;
  const copy = structuredClone(expr);
  walk(copy, (tag, value) => {
    if (tag === "ColumnRef") {
      const fields = (value as { fields?: Node[] }).fields ?? [];
      if (matches(stringValues(fields))) {
        const last = fields.at(-1);
        const s = asNode(last, "String");
        if (s) s.sval = to;
      }
    }
    if (tag === "IndexElem" && (value as { name?: string }).name === from) (value as { name?: string }).name = to;
  });
  return copy;
}

/** The expression with RangeVars naming `fromSchema.fromName` renamed (views and functions follow table renames). */
export function renameRelationIn<T extends Node | undefined>(
  expr: T,
  match: (schema: string | undefined, name: string) => boolean,
  to: { schema?: string; name: string },
): T {
  if (!expr) return expr;
  let found = false;
  walk(expr, (tag, value) => {
    if (tag === "RangeVar") {
      const rv = value as { schemaname?: string; relname?: string };
      if (rv.relname !== undefined && match(rv.schemaname, rv.relname)) found = true;
    }
  });
  if (!found) return expr;
  const copy = structuredClone(expr);
  walk(copy, (tag, value) => {
    if (tag === "RangeVar") {
      const rv = value as { schemaname?: string; relname?: string };
      if (rv.relname !== undefined && match(rv.schemaname, rv.relname)) {
        rv.relname = to.name;
        if (rv.schemaname !== undefined || to.schema !== undefined) rv.schemaname = to.schema ?? rv.schemaname;
      }
    }
  });
  return copy;
}

/** Relations (`[schema, name]`) a query reads. */
export function relationsRead(query: Node | undefined): { schema?: string; name: string }[] {
  const out: { schema?: string; name: string }[] = [];
  if (!query) return out;
  const ctes = new Set<string>();
  walk(query, (tag, value) => {
    if (tag === "CommonTableExpr") {
      const name = (value as { ctename?: string }).ctename;
      if (name) ctes.add(name);
    }
    if (tag === "RangeVar") {
      const rv = value as { schemaname?: string; relname?: string };
      if (rv.relname === undefined) return;
      if (!rv.schemaname && ctes.has(rv.relname)) return;
      out.push(rv.schemaname ? { schema: rv.schemaname, name: rv.relname } : { name: rv.relname });
    }
  });
  return out;
}

/** `'name'` / `'schema.name'` / `'"Quoted".name'` as the identifiers a regclass literal names. */
export function parseQualifiedLiteral(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      let j = i + 1;
      let s = "";
      while (j < text.length) {
        if (text[j] === '"' && text[j + 1] === '"') {
          s += '"';
          j += 2;
        } else if (text[j] === '"') break;
        else s += text[j++];
      }
      out.push(s);
      i = j + 1;
    } else {
      const dot = text.indexOf(".", i);
      const part = text.slice(i, dot < 0 ? text.length : dot);
      out.push(part.toLowerCase());
      i = dot < 0 ? text.length : dot;
    }
    if (text[i] === ".") i++;
  }
  return out;
}

/** The sequence a `nextval('seq'::regclass)` default reads, as identifiers. */
export function nextvalSequence(expr: Node | undefined): string[] | undefined {
  const fn = asNode(expr, "FuncCall");
  if (!fn || stringValues(fn.funcname).at(-1) !== "nextval" || fn.args?.length !== 1) return undefined;
  let arg = fn.args[0];
  const cast = asNode(arg, "TypeCast");
  if (cast) arg = cast.arg;
  const text = asNode(arg, "A_Const")?.sval?.sval;
  return text === undefined ? undefined : parseQualifiedLiteral(text);
}

/** `nextval('<name>'::regclass)`, the default serial columns get. */
export function nextvalExpr(qualifiedName: string): Node {
  return {
    FuncCall: {
      funcname: [{ String: { sval: "nextval" } }],
      args: [{ TypeCast: { arg: { A_Const: { sval: { sval: qualifiedName } } }, typeName: { names: [{ String: { sval: "regclass" } }], typemod: -1 } } }],
      funcformat: "COERCE_EXPLICIT_CALL",
    },
  };
}

/** Structural equality of two ASTs, ignoring source locations. */
export function sameNode(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameNode(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ao = a as Record<string, unknown>;
  const bo = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) {
    if (k === "location" || k === "stmt_location" || k === "stmt_len") continue;
    if (!sameNode(ao[k], bo[k])) return false;
  }
  return true;
}

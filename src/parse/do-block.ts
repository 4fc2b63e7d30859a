/**
 * The SQL statements inside a `DO` block. drizzle-kit and hand-written migrations guard DDL this way
 * (`DO $$ BEGIN ALTER TABLE … ADD CONSTRAINT …; EXCEPTION WHEN duplicate_object THEN null; END $$;`),
 * so the catalog, the inverter and the rules must see the guarded statement, not an opaque block.
 */
import { pgQuery } from "./pg-query.js";
import type { Node } from "@pgsql/types";
import { asNode, nodeTag } from "./ast.js";
import type { SourceText } from "./source.js";
import type { Guard, Statement } from "./types.js";

interface Context {
  catches: string[];
  conditions: string[];
  conditional: boolean;
}

type PlNode = Record<string, unknown>;

export function parseDoBody(source: SourceText, doStmt: Statement): void {
  const args = asNode(doStmt.node, "DoStmt")?.args ?? [];
  let language = "plpgsql";
  for (const a of args) {
    const d = asNode(a, "DefElem");
    if (d?.defname === "language") language = asNode(d.arg as Node, "String")?.sval?.toLowerCase() ?? language;
  }
  if (language !== "plpgsql") return;
  let parsed: { plpgsql_funcs?: PlNode[] };
  try {
    parsed = pgQuery().parsePlPgSQLSync(doStmt.text) as unknown as { plpgsql_funcs?: PlNode[] };
  } catch {
    // PostgreSQL reports a bad PL/pgSQL body only when the DO runs; the block stays opaque here.
    return;
  }
  const fn = (parsed.plpgsql_funcs?.[0]?.["PLpgSQL_function"] ?? undefined) as PlNode | undefined;
  if (!fn) return;
  doStmt.plpgsql = fn;
  const body: Statement[] = [];
  const cursor = { index: 0 };
  visitPl(fn["action"], { catches: [], conditions: [], conditional: false }, (query, dynamic, ctx) => {
    const inner = innerStatement(source, doStmt, query, dynamic, ctx, cursor);
    if (inner) body.push(inner);
  });
  doStmt.body = body;
}

type OnSql = (query: string, dynamic: boolean, ctx: Context) => void;

function visitPl(value: unknown, ctx: Context, onSql: OnSql): void {
  if (Array.isArray(value)) {
    for (const v of value) visitPl(v, ctx, onSql);
    return;
  }
  if (!value || typeof value !== "object") return;
  const [tag] = Object.keys(value);
  if (!tag) return;
  const node = (value as PlNode)[tag] as PlNode;
  const expr = (v: unknown): string | undefined => ((v as PlNode | undefined)?.["PLpgSQL_expr"] as PlNode | undefined)?.["query"] as string | undefined;
  const branch = (cond?: string): Context => ({
    catches: ctx.catches,
    conditions: cond ? [...ctx.conditions, cond] : ctx.conditions,
    conditional: true,
  });
  switch (tag) {
    case "PLpgSQL_stmt_block": {
      const handlers = (((node["exceptions"] as PlNode | undefined)?.["PLpgSQL_exception_block"] as PlNode | undefined)?.["exc_list"] ?? []) as PlNode[];
      const caught: string[] = [];
      for (const h of handlers) {
        const exc = h["PLpgSQL_exception"] as PlNode;
        for (const c of (exc["conditions"] ?? []) as PlNode[]) {
          const name = (c["PLpgSQL_condition"] as PlNode | undefined)?.["condname"];
          if (typeof name === "string") caught.push(name.toLowerCase());
        }
      }
      visitPl(node["body"], caught.length ? { ...ctx, catches: [...ctx.catches, ...caught] } : ctx, onSql);
      for (const h of handlers) visitPl((h["PLpgSQL_exception"] as PlNode)["action"], branch(), onSql);
      return;
    }
    case "PLpgSQL_stmt_if": {
      const cond = expr(node["cond"]);
      visitPl(node["then_body"], branch(cond), onSql);
      for (const e of (node["elsif_list"] ?? []) as PlNode[]) {
        const elsif = e["PLpgSQL_if_elsif"] as PlNode;
        visitPl(elsif["stmts"], branch(expr(elsif["cond"])), onSql);
      }
      visitPl(node["else_body"], branch(cond ? `NOT (${cond})` : undefined), onSql);
      return;
    }
    case "PLpgSQL_stmt_case":
      for (const w of (node["case_when_list"] ?? []) as PlNode[]) visitPl((w["PLpgSQL_case_when"] as PlNode)["stmts"], branch(), onSql);
      visitPl(node["else_stmts"], branch(), onSql);
      return;
    case "PLpgSQL_stmt_loop":
    case "PLpgSQL_stmt_while":
    case "PLpgSQL_stmt_fori":
    case "PLpgSQL_stmt_fors":
    case "PLpgSQL_stmt_forc":
    case "PLpgSQL_stmt_foreach_a":
    case "PLpgSQL_stmt_dynfors":
      visitPl(node["body"], branch(), onSql);
      return;
    case "PLpgSQL_stmt_execsql": {
      const q = expr(node["sqlstmt"]);
      if (q) onSql(q, false, ctx);
      return;
    }
    case "PLpgSQL_stmt_dynexecute": {
      const literal = constantString(expr(node["query"]));
      if (literal !== undefined) onSql(literal, true, ctx);
      return;
    }
    default:
      return;
  }
}

/** The value of a single SQL string literal (`'…'`, `$$…$$`), or undefined when it is an expression. */
function constantString(expr: string | undefined): string | undefined {
  if (!expr) return undefined;
  const t = expr.trim();
  const m = /^'((?:[^']|'')*)'$/s.exec(t);
  if (m) return m[1]!.replace(/''/g, "'");
  const d = /^(\$[A-Za-z_]*\$)([\s\S]*)\1$/.exec(t);
  return d ? d[2] : undefined;
}

function innerStatement(
  source: SourceText,
  doStmt: Statement,
  query: string,
  dynamic: boolean,
  ctx: Context,
  cursor: { index: number },
): Statement | undefined {
  let node: Node | undefined;
  try {
    node = pgQuery().parseSync(query).stmts?.[0]?.stmt as Node | undefined;
  } catch {
    return undefined; // e.g. a query using PL/pgSQL variables in a place SQL does not allow
  }
  if (!node) return undefined;
  // The body text is the DO statement's source verbatim (dollar-quoted), so the query is found in it.
  const probe = query.trim();
  let at = doStmt.text.indexOf(probe, cursor.index);
  if (at < 0) at = doStmt.text.indexOf(probe);
  const startInFile = doStmt.range.start;
  const startIndex = source.indexAt(startInFile.offset) + Math.max(0, at);
  const endIndex = at >= 0 ? startIndex + probe.length : source.indexAt(doStmt.range.end.offset);
  if (at >= 0) cursor.index = at + probe.length;
  const guard: Guard = { catches: ctx.catches, conditional: ctx.conditional, conditions: ctx.conditions, dynamic };
  return {
    node,
    tag: nodeTag(node),
    text: probe,
    range: source.rangeOfIndexes(startIndex, endIndex),
    comments: [],
    index: doStmt.index,
    guard,
  };
}

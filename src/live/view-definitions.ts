/**
 * View definitions compared across PostgreSQL major versions. The drift check replays the history on
 * PGlite (PostgreSQL 17) and reads the live server, which may be older, and `pg_get_viewdef` does not
 * print the same query on both: PostgreSQL 15 qualifies every column (`SELECT pet.name FROM public.pet`),
 * 17 leaves a column unqualified when the query reads one relation (`SELECT name FROM public.pet`). That
 * is the same view, and reporting it as drift would make `rollback` refuse on every database with a view.
 *
 * So where the two texts differ, both are parsed and compared as syntax trees with a column's qualifier
 * dropped wherever it names the only relation of its SELECT (the case the printers disagree on),
 * locations ignored (the catalog's `sameNode`); equal trees take the replayed text. A real change of
 * the query still differs.
 */
import { sameNode } from "../catalog/exprs.js";
import { loadParser } from "../parse/index.js";
import { pgQuery } from "../parse/pg-query.js";
import type { Snapshot } from "../verify/snapshot.js";

type Json = unknown;

/** The relation names a SELECT's single-item FROM can be referred to by (alias, else the table name). */
function soleRelationName(select: Record<string, Json>): string | undefined {
  const from = select["fromClause"];
  if (!Array.isArray(from) || from.length !== 1) return undefined;
  const range = (from[0] as Record<string, Json>)["RangeVar"] as Record<string, Json> | undefined;
  if (!range) return undefined;
  const alias = (range["alias"] as { aliasname?: string } | undefined)?.aliasname;
  return alias ?? (range["relname"] as string | undefined);
}

/** The tree with a column's qualifier dropped wherever it names `sole`, the only relation of its SELECT. */
function withoutSoleQualifiers(node: Json, sole: string | undefined): Json {
  if (Array.isArray(node)) return node.map((n) => withoutSoleQualifiers(n, sole));
  if (!node || typeof node !== "object") return node;
  const out: Record<string, Json> = {};
  for (const [key, value] of Object.entries(node as Record<string, Json>)) {
    if (key === "SelectStmt") {
      out[key] = withoutSoleQualifiers(value, soleRelationName(value as Record<string, Json>));
      continue;
    }
    if (key === "ColumnRef" && sole !== undefined) {
      const fields = (value as { fields?: Json[] }).fields;
      const first = fields?.[0] as { String?: { sval?: string } } | undefined;
      if (fields && fields.length === 2 && first?.String?.sval === sole) {
        out[key] = withoutSoleQualifiers({ ...(value as object), fields: fields.slice(1) }, sole);
        continue;
      }
    }
    out[key] = withoutSoleQualifiers(value, sole);
  }
  return out;
}

/** The definition's syntax tree with the printers' disagreement removed, or undefined when it does not parse. */
function comparableTree(definition: string): Json {
  try {
    return withoutSoleQualifiers(pgQuery().parseSync(definition) as Json, undefined);
  } catch {
    return undefined;
  }
}

/**
 * Whether two view definitions are the same query as PostgreSQL 15 and 17 print it (the parser must be
 * loaded). Text that does not parse is the same only as the identical text.
 */
export function sameViewDefinition(a: string, b: string): boolean {
  if (a === b) return true;
  const treeA = comparableTree(a);
  const treeB = comparableTree(b);
  return treeA !== undefined && treeB !== undefined && sameNode(treeA, treeB);
}

/**
 * `live`'s view definitions replaced by `expected`'s where the two are the same query as PostgreSQL
 * versions print it differently, so only real changes remain for the diff.
 */
export async function alignViewDefinitions(expected: Snapshot, live: Snapshot): Promise<Snapshot> {
  await loadParser();
  const relations = { ...live.relations };
  for (const [name, rel] of Object.entries(live.relations)) {
    const want = expected.relations[name]?.definition;
    if (want === undefined || rel.definition === undefined || want === rel.definition) continue;
    if (sameViewDefinition(want, rel.definition)) relations[name] = { ...rel, definition: want };
  }
  return { ...live, relations };
}

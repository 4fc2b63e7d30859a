import type { Catalog } from "../src/catalog/types.js";
import { applyDowns, downFailures, downMismatches } from "../src/invert/down-check.js";
import { defineRule, type RuleContext } from "../src/lint/rule.js";
import { parseSql } from "../src/parse/parse.js";
import { SourceText } from "../src/parse/source.js";
import { popUnit } from "../src/layout/pop-unit.js";
import type { CatalogDifference } from "../src/catalog/compare.js";
import { canonicalDefault, canonicalIndex, RENAMED_LABEL } from "./_shared/canonical.js";

export default defineRule({
  meta: {
    id: "down-mismatch",
    description: "The hand-written down does not restore the schema the up changed.",
    category: "reversibility",
    defaultSeverity: "error",
    fixable: true,
    messages: {
      missing: "After this down, {{what}} is missing: the down does not restore it.",
      extra: "After this down, {{what}} is still there: the up created it and the down does not remove it.",
      changed: "After this down, {{what}} is {{actual}} instead of {{expected}}.",
      redefined: "After this down, {{what}} differs from what it was before the up.",
      fails: "This statement of the down fails: {{reason}} at this point (after the up).",
    },
    help: {
      missing: "Add the statement that re-creates it (`migration-lint down <file>` prints a generated down to compare with), or regenerate the down with `--fix --force`.",
      extra: "Drop it in the down (with IF EXISTS), or regenerate the down with `--fix --force`.",
      changed: "Restore the previous definition in the down, or regenerate the down with `--fix --force`.",
      redefined: "Re-create it in the down exactly as it was before the up (the generated down does: `migration-lint down <file>`).",
      fails: "Fix the statement (what does the up leave behind?), use IF EXISTS where the object may be gone, or regenerate the down with `--fix --force`.",
    },
    docs: {
      rationale:
        "Hand-written downs are rarely run, so they rot: a column re-added with the wrong type, an index or a constraint forgotten, an object the up created left behind so that running the up again fails. migration-lint replays the history, applies the up and then the down to its catalog, and compares the result with the catalog before the up, so every difference is reported in the down file without a database. Defaults and index definitions are compared as PostgreSQL stores them (what `pg_get_expr` and `pg_get_indexdef` print, and what `verify` compares): a literal cast to the column's own type is the literal (`'x'` = `'x'::character varying` on a varchar column), `DEFAULT NULL` is no default, `ASC` and the default NULLS order are an index's defaults, literal casts in index predicates are PostgreSQL's coercions; a key `date(date)` on a column of type date is that column (PostgreSQL rebuilds such an index so after `ALTER COLUMN … TYPE date`); a default naming an enum label renamed since is not compared (PostgreSQL follows the rename, the replay does not).",
      bad: "CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);\nCREATE INDEX users_email_idx ON users (email);",
      good: "CREATE TABLE users (id serial PRIMARY KEY, email text NOT NULL);\nCREATE INDEX users_email_idx ON users (email);",
      downs: { bad: "DROP INDEX users_email_idx;", good: "DROP TABLE users;" },
      peers: {},
    },
  },
  check(ctx) {
    const unit = versionUnit(ctx);
    if (!unit) return;
    const failures = downFailures(unit);
    for (const f of failures) {
      const stmt = unit.downs.find((d) => d.path === f.path)?.parsed.statements.find((s) => s.range.start.line <= f.line && f.line <= s.range.end.line);
      ctx.report({ messageId: "fails", path: f.path, ...(stmt ? { range: stmt.range } : {}), data: { reason: f.reason } });
    }
    // A down that fails leaves the schema wherever it stopped: comparing the rest would only add noise.
    if (failures.length) return;
    const found = (downMismatches(unit) ?? []).filter((m) => !sameAsPostgresStoresIt(m.difference, unit.before, unit.afterDown));
    for (const m of found) {
      const d = m.difference;
      ctx.report({
        messageId: d.kind === "changed" && d.expected === undefined && d.actual === undefined ? "redefined" : d.kind,
        path: m.path,
        range: m.range,
        data: { what: m.what, expected: d.expected ?? "", actual: d.actual ?? "" },
      });
    }
  },
});

const SEARCH_PATH = ["public"];

/**
 * A default or index definition that differs only in spelling (`'x'` and `'x'::character varying`, `DEFAULT
 * NULL` and none, `ASC`): PostgreSQL stores them alike, and `verify` compares what it stores.
 */
function sameAsPostgresStoresIt(d: CatalogDifference, before: Catalog, after: Catalog): boolean {
  if (d.kind !== "changed") return false;
  const key = d.object.key;
  if (d.object.kind === "index" && d.path.at(-1) === "definition") {
    const e = before.indexes.get(key);
    const a = after.indexes.get(key);
    return !!e && !!a && canonicalIndex(e, before, SEARCH_PATH) === canonicalIndex(a, after, SEARCH_PATH);
  }
  if (d.object.kind === "table" && d.path.length === 3 && d.path[2] === "default" && d.path[1]!.startsWith("column ")) {
    const name = d.path[1]!.slice("column ".length);
    const e = before.tables.get(key)?.columns.find((c) => c.name === name);
    const a = after.tables.get(key)?.columns.find((c) => c.name === name);
    if (!e || !a || e.type !== a.type) return false;
    const [x, y] = [canonicalDefault(e, before, SEARCH_PATH), canonicalDefault(a, after, SEARCH_PATH)];
    return x === y || x === RENAMED_LABEL || y === RENAMED_LABEL;
  }
  return false;
}

/** Catalogs before the first step of a pop version, seen while the rule walks the set in order. */
const unitStarts = new WeakMap<object, Map<string, Catalog>>();

/**
 * The up(s) and down(s) to compare. ory/pop splits a version into numbered steps whose downs undo the
 * steps together (the down of step 0 undoes the up of the last one), so a version is checked as one
 * unit, at its last step: the catalog before its first step against all its ups and then all its downs.
 */
function versionUnit(ctx: RuleContext): Parameters<typeof downMismatches>[0] | undefined {
  const m = ctx.migration;
  // An up written in code (concourse's Go migrations) is invisible to the replay: nothing to compare.
  if (m.external === "up") return undefined;
  if (ctx.set.layout !== "pop" || popUnit(m) === m.id) {
    if (!ctx.down || !m.down || ctx.catalogAfterDown === undefined) return undefined;
    return { before: ctx.catalogBefore, afterUp: ctx.catalogAfter, afterDown: ctx.catalogAfterDown, downs: [{ path: m.down.path, parsed: ctx.down }] };
  }
  const key = popUnit(m);
  const members = ctx.set.migrations.filter((x) => !x.prelude && popUnit(x) === key);
  let starts = unitStarts.get(ctx.set);
  if (!starts) unitStarts.set(ctx.set, (starts = new Map()));
  if (members[0]?.id === m.id) starts.set(key, ctx.catalogBefore);
  if (members.at(-1)?.id !== m.id) return undefined;
  const before = starts.get(key);
  if (!before || members.every((x) => !x.down)) return undefined;
  // Downs run last step first, as the runner rolls a version back.
  const downs = members
    .slice()
    .reverse()
    .flatMap((x) => (x.down ? [{ path: x.down.path, parsed: parseSql(new SourceText(x.down.text, x.down.path, x.down.origin), x.down.regions) }] : []));
  return { before, afterUp: ctx.catalogAfter, afterDown: applyDowns(ctx.catalogAfter, downs, m.id, ["public"]), downs };
}

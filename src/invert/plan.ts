/**
 * The down of one migration: each statement inverted against the catalog just before it, the inverses
 * in reverse statement order, the file rendered with a header (class, and every lossy or
 * irreversible statement with its line and reason) and with BEGIN/COMMIT only where the runner does not
 * wrap migrations itself, keeping statements PostgreSQL refuses in a transaction outside it.
 */
import type { Catalog } from "../catalog/types.js";
import type { Migration } from "../layout/types.js";
import { asNode } from "../parse/ast.js";
import type { Statement } from "../parse/types.js";
import type { StatementStep } from "./context.js";
import { invertStatement } from "./invert.js";
import { withoutBrokenDependents } from "./dependents.js";
import { checkOnModel } from "./model-check.js";
import { defaultsAfterTypes } from "./order.js";
import { worstOf, type DownPlan, type InverseStatement, type StatementInverse } from "./types.js";

export interface PlanInput {
  migration: Migration;
  /** The statements that run, in order (DO blocks replaced by their parsed bodies). */
  statements: readonly Statement[];
  /** The catalog just before each statement. */
  catalogAt(statement: Statement): Catalog;
  catalogAfter: Catalog;
  /** Schemas unqualified names resolve to (default `["public"]`). */
  searchPath?: readonly string[];
}

export function planDown(input: PlanInput): DownPlan {
  const { statements } = input;
  const planner = new DownPlanner(input.migration, statements.length ? input.catalogAt(statements[0]!) : input.catalogAfter, input.searchPath);
  statements.forEach((statement, i) => planner.add(statement, input.catalogAt(statement), i + 1 < statements.length ? input.catalogAt(statements[i + 1]!) : input.catalogAfter));
  return planner.finish(input.catalogAfter);
}

/**
 * `planDown` one statement at a time, for a caller that replays the statements as they are parsed: each
 * statement is inverted while its syntax tree is alive (a large file's trees are dropped after their
 * chunk, and a parse again cost as much as the first parse). `add` the statements in order with the
 * catalogs just before and after each, then `finish`.
 */
export class DownPlanner {
  private readonly searchPath: readonly string[];
  private readonly afters: Catalog[] = [];
  private readonly copies: StatementStep[] = [];
  private readonly inverted: StatementInverse[] = [];

  constructor(
    private readonly migration: Migration,
    /** The catalog before the migration's first statement. */
    private readonly migrationBefore: Catalog,
    searchPath?: readonly string[],
  ) {
    this.searchPath = searchPath ?? ["public"];
  }

  add(statement: Statement, before: Catalog, after: Catalog): void {
    const { migration, copies } = this;
    const copiesBefore = copies.length;
    // Named properties, not `...step`: a spread followed by a getter puts V8 on its slow path, which
    // showed as 10% of a run on a data migration of 160k INSERTs.
    const inv = invertStatement({
      statement,
      before,
      after,
      migration,
      migrationBefore: this.migrationBefore,
      // Only data-flow questions (shadow copies) look back, and only at the statements that copy.
      get earlier() {
        return copies.slice(0, copiesBefore);
      },
      searchPath: this.searchPath,
      concurrentAllowed: !migration.transactional,
    });
    const s: StatementInverse = {
      source: { text: statement.text, range: statement.range, tag: statement.tag },
      class: inv.class,
      inverse: inv.inverse,
    };
    if (inv.reason) s.reason = inv.reason;
    if (inv.recipe) s.recipe = inv.recipe;
    if (inv.cause && inv.class === "irreversible") s.cause = inv.cause;
    if (mayCopyValues(statement)) copies.push({ statement, before, after });
    this.inverted.push(s);
    this.afters.push(after);
  }

  finish(catalogAfter: Catalog): DownPlan {
    const { migration, searchPath, migrationBefore } = this;
    const checked = withoutBrokenDependents({ statements: defaultsAfterTypes(this.inverted), after: this.afters, migrationId: migration.id, searchPath });
    const out = checked.incomplete ? checked.statements : checkOnModel({ statements: checked.statements, before: migrationBefore, after: catalogAfter, afterEach: this.afters, migrationId: migration.id, searchPath });
    const cls = worstOf(out.map((s) => s.class));
    return { migrationId: migration.id, class: cls, statements: out, sql: renderDown(migration, out, cls), ...(checked.incomplete ? { incomplete: checked.incomplete } : {}) };
  }
}

/** What shadow.ts looks back at: an UPDATE of every row (a shadow column), a CREATE TABLE … AS (a backup). */
function mayCopyValues(statement: Statement): boolean {
  if (statement.tag === "CreateTableAsStmt") return true;
  return statement.tag === "UpdateStmt" && !asNode(statement.node, "UpdateStmt")!.whereClause;
}

/** `ALTER TABLE users DROP COLUMN nickname` on one line, shortened. */
export function excerpt(text: string, max = 80): string {
  // A statement may be a whole function body: flatten a prefix first. When the prefix alone flattens to
  // more than `max` characters, its first `max - 1` are the whole text's (flattening more text only
  // appends), so the result is the same.
  if (text.length > 4 * max) {
    const head = text.slice(0, 4 * max).replace(/\s+/g, " ").trim();
    if (head.length > max) return `${head.slice(0, max - 1)}…`;
  }
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function commentLines(text: string, indent = ""): string[] {
  return text.split("\n").map((l) => `--${indent}${l ? ` ${l}` : ""}`);
}

export function renderDown(migration: Migration, statements: readonly StatementInverse[], cls: DownPlan["class"]): string {
  const lines: string[] = [`-- Down migration for ${migration.id}, generated by migration-lint.`, `-- Class: ${cls}`];
  for (const s of statements) {
    if (s.class === "reversible") continue;
    const label = s.class === "lossy" ? "Lossy" : "Irreversible";
    lines.push(...commentLines(`${label}: line ${s.source.range.start.line} (${excerpt(s.source.text, 60)}): ${s.reason ?? s.class}`));
  }
  lines.push("");

  // Blocks of the body in down order: the last forward statement's inverse first.
  const blocks: { header: string[]; statements: InverseStatement[] }[] = [];
  for (const s of [...statements].reverse()) {
    if (!s.inverse.length && !s.recipe && s.class === "reversible") continue;
    const header = [`-- Undo line ${s.source.range.start.line}: ${excerpt(s.source.text)}`];
    if (s.class === "irreversible") header.push(...commentLines(`IRREVERSIBLE: ${s.reason ?? ""}`));
    if (s.recipe) header.push("-- Recipe (review before running):", ...commentLines(s.recipe, "  "));
    blocks.push({ header, statements: s.inverse });
  }
  const all = blocks.flatMap((b) => b.statements);
  if (!blocks.length) {
    lines.push("-- Nothing to undo: the migration changed no schema object.", "");
    return lines.join("\n");
  }
  const wrap = !migration.transactional && all.length > 0;
  let open = false;
  const begin = (): void => {
    if (wrap && !open) {
      lines.push("BEGIN;", "");
      open = true;
    }
  };
  const commit = (): void => {
    if (open) {
      lines.push("COMMIT;", "");
      open = false;
    }
  };
  for (const block of blocks) {
    const inTx = block.statements.every((s) => s.transactional);
    if (inTx) begin();
    else commit();
    lines.push(...block.header);
    for (const st of block.statements) {
      if (!st.transactional) commit();
      else begin();
      if (st.comment) lines.push(...commentLines(st.comment));
      lines.push(`${st.sql};`);
    }
    lines.push("");
  }
  commit();
  return lines.join("\n");
}

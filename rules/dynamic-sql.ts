import type { DynamicSqlNote } from "../src/layout/types.js";
import { defineRule } from "../src/lint/rule.js";
import type { ParsedSql } from "../src/parse/types.js";

/**
 * The notes come from static extraction (`src/extract/`): a TypeScript/JavaScript migration's SQL that
 * is built, chosen or sent at run time. The rule only reports them at their place in the module; the
 * pipeline already keeps their SQL out of the catalog and marks the down plan incomplete.
 */
export default defineRule({
  meta: {
    id: "dynamic-sql",
    description: "A TypeScript/JavaScript migration sends SQL that cannot be read without running it (an interpolation, a variable, a loop or `if`, a builder call).",
    category: "correctness",
    defaultSeverity: "info",
    fixable: false,
    messages: {
      interpolation: "This SQL is built at run time from `{{expression}}`: it is not linted, the catalog does not know what it changes, and no down is generated for it.",
      expression: "The SQL sent here is the run-time value of `{{expression}}`: it is not linted, the catalog does not know what it changes, and no down is generated for it.",
      bindings: "This SQL has values bound at run time (`{{expression}}`): it is not linted and the catalog does not know what it changes.",
      "control-flow": "Whether (or how often) this SQL runs depends on `{{expression}}`: it is not linted, the catalog does not know what it changes, and no down is generated for it.",
      "unmapped-call": "`{{expression}}` reaches the database through an API migration-lint does not read as SQL: what it changes is unknown to the catalog, and no down is generated for it.",
    },
    help: "Write the statement as a constant string (or `sql` template without `${}`) where you can, so it can be linted and undone; otherwise review this part by hand, and keep a hand-written down for it.",
    docs: {
      rationale:
        "migration-lint reads TypeScript/JavaScript migrations without running them: it takes the SQL passed to `queryRunner.query`, `this.addSql`, `` sql`…` ``, `knex.raw`, `pgm.sql` and `db.execute`. SQL assembled from variables, sent in a loop or under an `if`, or produced by a schema builder is only known when the code runs. Rather than guess, migration-lint names each such place, leaves its SQL out of the replayed catalog and refuses to generate a down that would look complete but miss it.",
      bad: "// migrations/1700000000000-AddIndex.ts (TypeORM):\nawait queryRunner.query(`CREATE INDEX idx ON ${table} (name)`);",
      good: "// migrations/1700000000000-AddIndex.ts (TypeORM):\nawait queryRunner.query(`CREATE INDEX idx ON users (name)`);",
      project: true,
    },
  },
  check(ctx) {
    const report = (notes: readonly DynamicSqlNote[] | undefined, parsed: ParsedSql | undefined, path: string): void => {
      for (const note of notes ?? []) {
        const offset = parsed ? parsed.source.byteAt(note.at) : 0;
        const position = { offset, line: note.line, column: note.column };
        ctx.report({ messageId: note.kind, path, range: { start: position, end: position }, data: { expression: note.expression } });
      }
    };
    report(ctx.migration.up.dynamic, ctx.up, ctx.migration.up.path);
    if (ctx.migration.down) report(ctx.migration.down.dynamic, ctx.down, ctx.migration.down.path);
  },
});

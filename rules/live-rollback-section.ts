import { defineRule } from "../src/lint/rule.js";
import { commentOut } from "../src/parse/sections.js";

/** The first line of the section that is SQL (not blank, not a `--` comment): where the finding points. */
function firstLiveIndex(text: string, start: number, end: number): number {
  const m = /^[ \t]*(?!--)\S/m.exec(text.slice(start, end));
  return m ? start + m.index + (m[0].length - 1) : start;
}

export default defineRule({
  meta: {
    id: "live-rollback-section",
    description: "An inline `-- ROLLBACK START` … `-- ROLLBACK END` section holds live SQL, which the runner executes right after the up.",
    category: "correctness",
    defaultSeverity: "error",
    fixable: true,
    messages: {
      live: "The runner applies the whole file, so this ROLLBACK section runs right after the up and undoes it: comment it out.",
    },
    help: {
      live: "Put `-- ` before every line of the section (`migration-lint --fix` does it, and keeps the SQL as the down); migration-lint reads a commented section as the down.",
    },
    docs: {
      rationale:
        "Teams keep a migration's rollback next to it between `-- ROLLBACK START` and `-- ROLLBACK END` markers. Only dbmate knows sections; every other runner (`supabase db push`, `psql -f`, postgres-migrations, Flyway, prisma, golang-migrate…) sends the whole file, so a section of live SQL is executed right after the up: the migration is undone the moment it is applied, and is recorded as applied. Written as SQL comments, the section is inert for the runner and still readable as the down by migration-lint (`plan`, `verify`, `rollback` and the reversibility rules).",
      bad: "-- supabase/migrations/20240101000000_users.sql:\nCREATE TABLE users (id bigint PRIMARY KEY);\n-- ROLLBACK START\nDROP TABLE users;\n-- ROLLBACK END\n",
      good: "-- supabase/migrations/20240101000000_users.sql:\nCREATE TABLE users (id bigint PRIMARY KEY);\n-- ROLLBACK START\n-- DROP TABLE users;\n-- ROLLBACK END\n",
      project: true,
    },
  },
  check(ctx) {
    const sections = ctx.migration.rollbackSections ?? [];
    const source = ctx.up.source;
    for (const { region, live } of sections) {
      if (!live) continue;
      const at = firstLiveIndex(source.text, region.start, region.end);
      ctx.report({
        messageId: "live",
        range: source.rangeOfIndexes(at, at),
        fix: { path: ctx.migration.up.path, edits: [{ start: region.start, end: region.end, text: commentOut(source.text.slice(region.start, region.end)) }] },
      });
    }
  },
});

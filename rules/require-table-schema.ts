import type { RangeVar } from "@pgsql/types";
import { defineRule } from "../src/lint/rule.js";
import { asNode } from "../src/parse/ast.js";
import { tokenSpan } from "./_shared/position.js";
import { alterTable } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "require-table-schema",
    description: "A table named without its schema in CREATE/ALTER/DROP TABLE or CREATE INDEX (opt-in).",
    category: "style",
    defaultSeverity: "off",
    fixable: false,
    messages: {
      unqualified: "{{table}} is not schema-qualified: the table it names depends on the search_path of the connection that runs the migration.",
    },
    help: "Write the schema: `public.{{table}}`.",
    docs: {
      rationale:
        "An unqualified name resolves through the connection's search_path, which differs between a developer's psql, the migration runner's role and a Supabase or multi-tenant setup. Qualifying tables makes the migration mean the same thing everywhere. Off by default; temporary tables are exempt.",
      bad: "CREATE TABLE users (id bigint PRIMARY KEY);",
      good: "CREATE TABLE public.users (id bigint PRIMARY KEY);",
      peers: { squawk: ["require-table-schema"] },
    },
  },
  check(ctx) {
    for (const stmt of ctx.effective) {
      const n = stmt.node;
      const targets: (RangeVar | undefined)[] = [asNode(n, "CreateStmt")?.relation, alterTable(stmt)?.relation, asNode(n, "IndexStmt")?.relation];
      const drop = asNode(n, "DropStmt");
      for (const rv of targets) {
        if (!rv?.relname || rv.schemaname || rv.relpersistence === "t") continue;
        ctx.report({ messageId: "unqualified", statement: stmt, range: tokenSpan(ctx, stmt, rv.location), data: { table: rv.relname } });
      }
      if (drop?.removeType === "OBJECT_TABLE") {
        for (const o of drop.objects ?? []) {
          const items = asNode(o, "List")?.items ?? [];
          if (items.length === 1) ctx.report({ messageId: "unqualified", statement: stmt, data: { table: asNode(items[0], "String")?.sval ?? "?" } });
        }
      }
    }
  },
});

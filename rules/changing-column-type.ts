import { defineRule } from "../src/lint/rule.js";
import { isNewRelation, tableAt } from "./_shared/history.js";
import { clauseSpan } from "./_shared/position.js";
import { typeChangeEffect } from "./_shared/rewrite.js";
import { sessionIsUtc } from "./_shared/session.js";
import { alterSites, columnDef, display, rangeVarName } from "./_shared/sql.js";
import { stringValues } from "../src/parse/ast.js";
import { typeOfTypeName, typeToString } from "./_shared/types.js";

export default defineRule({
  meta: {
    id: "changing-column-type",
    description: "ALTER COLUMN … TYPE that rewrites an existing table (only the changes that really rewrite, for the target PostgreSQL version).",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      rewrite: "Changing {{table}}.{{column}} from {{from}} to {{to}} rewrites the table and its indexes under an ACCESS EXCLUSIVE lock ({{reason}}).",
      timezone:
        "Changing {{table}}.{{column}} from {{from}} to {{to}} skips the rewrite only when the session's TimeZone is UTC; otherwise it rewrites the table and its indexes under an ACCESS EXCLUSIVE lock.",
      scan: "Changing {{table}}.{{column}} to {{to}} checks every row under an ACCESS EXCLUSIVE lock ({{reason}}).",
      collation: "Changing the collation of {{table}}.{{column}} to \"{{collation}}\" rebuilds {{indexes}} under an ACCESS EXCLUSIVE lock: the index order depends on the collation.",
      unknownType:
        "Changing {{table}}.{{column}} to {{to}} may rewrite the table and its indexes under an ACCESS EXCLUSIVE lock: the column's current type is not known from the migration history.",
    },
    help: {
      rewrite: "Add a new column of the new type, keep both in sync (trigger or dual writes), backfill in batches, switch reads, then drop the old column.",
      timezone: "Run the migration with `SET TimeZone = 'UTC'` (PostgreSQL 12+ then changes only the catalog), or use the new-column recipe.",
      scan: "Add the new domain's constraint as NOT VALID on the column first, or use the new-column recipe.",
      collation: "Build new indexes with the new collation concurrently (`CREATE INDEX CONCURRENTLY … (col COLLATE \"C\")`), then switch, or change the collation while the table is small.",
      unknownType: "Give migration-lint the full history (`history` in the config), or use the new-column recipe.",
    },
    docs: {
      rationale:
        "Most type changes convert every value, so PostgreSQL rewrites the table and rebuilds every index while holding an ACCESS EXCLUSIVE lock. Some do not: when the old type converts to the new one without a function call (varchar → text, cidr → inet, text → citext), or when only a limit is relaxed (varchar(50) → varchar(100), numeric(10,2) → numeric(12,2), timestamp(0) → timestamp(3)), PostgreSQL changes the catalog only. timestamp ↔ timestamptz is catalog-only from PostgreSQL 12 when the session time zone is UTC (the rule sees a `SET timezone = 'UTC'` earlier in the migration). A new collation keeps the data but rebuilds the indexes on the column.\n\nsquawk flags every type change; this rule reads the column's current type from the replayed history and flags only the changes that rewrite on the target `pgVersion`, with the reason. A USING expression that computes new values always rewrites. Tables created in the same migration (or one not applied yet) are exempt.",
      bad: "ALTER TABLE events ALTER COLUMN id TYPE bigint;",
      good: "ALTER TABLE notes ALTER COLUMN body TYPE text;",
      runner: { history: "CREATE TABLE events (id integer PRIMARY KEY);\nCREATE TABLE notes (body varchar(100));" },
      peers: { squawk: ["changing-column-type"], atlas: ["PG301"], strong_migrations: ["change_column"], eugene: ["E5"], pgfence: ["alter-column-type"] },
    },
  },
  check(ctx) {
    for (const { stmt, alter, cmd } of alterSites(ctx.effective)) {
      if (cmd.subtype !== "AT_AlterColumnType" || !cmd.name) continue;
      const col = columnDef(cmd.def);
      if (!col?.typeName || isNewRelation(ctx, stmt, alter.relation)) continue;
      const table = rangeVarName(alter.relation)!;
      const current = tableAt(ctx, stmt, table);
      const oldColumn = current?.columns.find((c) => c.name === cmd.name);
      const old = oldColumn?.type;
      const newType = typeOfTypeName(col.typeName);
      const effect = typeChangeEffect({ oldType: old, newType, column: cmd.name, using: col.raw_default, pgVersion: ctx.settings.pgVersion, catalog: ctx.catalogAt(stmt) });
      const data = { table: display(table), column: cmd.name, from: old ?? "?", to: typeToString(newType) };
      const range = clauseSpan(ctx, stmt, col.location);
      switch (effect.kind) {
        case "none": {
          // Same type, new collation: the data stays, but every index on the column is rebuilt.
          const collation = stringValues(col.collClause?.collname).at(-1);
          const before = oldColumn?.collation?.replace(/^"|"$/g, "");
          if (!collation || !oldColumn || collation === (before ?? "default")) break;
          const catalog = ctx.catalogAt(stmt);
          const indexes = [...catalog.indexes.values()].filter((i) => i.table === `${current!.schema}.${current!.name}` && i.columns.includes(cmd.name!)).map((i) => i.name);
          if (indexes.length) ctx.report({ messageId: "collation", statement: stmt, range, data: { ...data, collation, indexes: indexes.join(", ") } });
          break;
        }
        case "rewrite":
          ctx.report({ messageId: "rewrite", statement: stmt, range, data: { ...data, reason: effect.reason } });
          break;
        case "scan":
          ctx.report({ messageId: "scan", statement: stmt, range, data: { ...data, reason: effect.reason } });
          break;
        case "timezone":
          if (!sessionIsUtc(ctx, stmt)) ctx.report({ messageId: "timezone", statement: stmt, range, data });
          break;
        case "unknown":
          ctx.report({ messageId: "unknownType", statement: stmt, range, data });
          break;
      }
    }
  },
});

import { defineRule } from "../src/lint/rule.js";
import { isNewRelation, keyOf, tableAt } from "./_shared/history.js";
import { clauseSpan, tokenSpan } from "./_shared/position.js";
import { notNullProven } from "./_shared/recipes.js";
import { alterSites, columnConstraints, columnDef, constraint, display, rangeVarName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "adding-primary-key-constraint",
    description: "A primary key added to an existing table by building its index under an ACCESS EXCLUSIVE lock, or over nullable columns.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      buildsIndex: "Adding the primary key on {{table}} builds its unique index while holding an ACCESS EXCLUSIVE lock that blocks reads and writes.",
      nullableColumns:
        "PRIMARY KEY USING INDEX on {{table}} first sets {{columns}} NOT NULL, which scans the table under an ACCESS EXCLUSIVE lock.",
    },
    help: {
      buildsIndex: "`CREATE UNIQUE INDEX CONCURRENTLY` in its own migration, then `ALTER TABLE … ADD CONSTRAINT … PRIMARY KEY USING INDEX …`.",
      nullableColumns: "Make the columns NOT NULL first with the CHECK (col IS NOT NULL) NOT VALID → VALIDATE → SET NOT NULL recipe, then add the primary key.",
    },
    docs: {
      rationale:
        "`ADD PRIMARY KEY (…)` builds a unique index while holding an ACCESS EXCLUSIVE lock, so the table is unreadable for the whole build. Build the index with `CREATE UNIQUE INDEX CONCURRENTLY` first, then attach it with `ADD CONSTRAINT … PRIMARY KEY USING INDEX`, which only needs a brief lock, provided the key columns are already NOT NULL: otherwise PostgreSQL sets them NOT NULL, scanning the table under the same lock. The rule checks the columns against the replayed catalog. Tables created in the same migration (or one not applied yet) are exempt.",
      bad: "ALTER TABLE events ADD PRIMARY KEY (id);",
      good: "ALTER TABLE events ADD CONSTRAINT events_pkey PRIMARY KEY USING INDEX events_id_idx;",
      peers: { squawk: ["adding-serial-primary-key-field", "constraint-missing-not-valid"], atlas: ["PG104", "PG304"], eugene: ["E1", "W14"], pgfence: ["add-pk-without-using-index", "add-pk-using-index"] },
    },
  },
  check(ctx) {
    for (const { stmt, alter, cmd } of alterSites(ctx.effective)) {
      const table = rangeVarName(alter.relation)!;
      if (cmd.subtype === "AT_AddColumn") {
        const col = columnDef(cmd.def);
        const pk = col && columnConstraints(col).find((c) => c.contype === "CONSTR_PRIMARY");
        if (pk && !isNewRelation(ctx, stmt, alter.relation)) ctx.report({ messageId: "buildsIndex", statement: stmt, range: tokenSpan(ctx, stmt, pk.location), data: { table: display(table) } });
        continue;
      }
      if (cmd.subtype !== "AT_AddConstraint") continue;
      const con = constraint(cmd.def);
      if (con?.contype !== "CONSTR_PRIMARY" || isNewRelation(ctx, stmt, alter.relation)) continue;
      if (!con.indexname) {
        ctx.report({ messageId: "buildsIndex", statement: stmt, range: clauseSpan(ctx, stmt, con.location), data: { table: display(table) } });
        continue;
      }
      // USING INDEX: the index's columns must already be NOT NULL (as far as the history tells).
      const catalog = ctx.catalogAt(stmt);
      const index = catalog.indexes.get(keyOf({ schema: table.schema, name: con.indexname }, catalog));
      const t = tableAt(ctx, stmt, table);
      if (!index || !t) continue;
      const nullable = index.columns.filter((c) => t.columns.some((col) => col.name === c) && !notNullProven(ctx, stmt, table, c));
      if (nullable.length) ctx.report({ messageId: "nullableColumns", statement: stmt, range: clauseSpan(ctx, stmt, con.location), data: { table: display(table), columns: nullable.join(", ") } });
    }
  },
});

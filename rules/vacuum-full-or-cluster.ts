import { defineRule } from "../src/lint/rule.js";
import { asNode } from "../src/parse/ast.js";
import { isNewRelation } from "./_shared/history.js";
import { display, rangeVarName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "vacuum-full-or-cluster",
    description: "VACUUM FULL or CLUSTER, which rewrite the table under an ACCESS EXCLUSIVE lock.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      vacuumFull: "VACUUM FULL {{target}} rewrites the table and its indexes while holding an ACCESS EXCLUSIVE lock that blocks reads and writes.",
      cluster: "CLUSTER {{target}} rewrites the table in index order while holding an ACCESS EXCLUSIVE lock that blocks reads and writes.",
    },
    help: "Reclaim space online with pg_repack (or PostgreSQL 19's `REPACK (CONCURRENTLY)`), or run it in a maintenance window rather than in a migration.",
    docs: {
      rationale:
        "VACUUM FULL and CLUSTER copy the whole table into a new file and rebuild every index, holding an ACCESS EXCLUSIVE lock throughout. In a migration they turn a deploy into an outage proportional to the table's size. pg_repack and PostgreSQL 19's REPACK CONCURRENTLY do the same work with only brief locks. Plain VACUUM does not lock out traffic and is not flagged here (it cannot run in a transaction block, see `concurrently-in-transaction`).",
      bad: "VACUUM FULL events;",
      good: "VACUUM (ANALYZE) events;",
      runner: { transactional: false },
      peers: { squawk: ["prefer-repack"], pgfence: ["vacuum-full"] },
    },
  },
  check(ctx) {
    for (const stmt of ctx.effective) {
      const v = asNode(stmt.node, "VacuumStmt");
      if (v?.is_vacuumcmd && (v.options ?? []).some((o) => asNode(o, "DefElem")?.defname === "full")) {
        const rels = (v.rels ?? []).map((r) => asNode(r, "VacuumRelation")?.relation).filter((r) => !!r);
        if (rels.length && rels.every((r) => isNewRelation(ctx, stmt, r))) continue;
        ctx.report({ messageId: "vacuumFull", statement: stmt, data: { target: rels.length ? rels.map((r) => display(rangeVarName(r))).join(", ") : "(every table)" } });
      }
      const c = asNode(stmt.node, "ClusterStmt");
      if (c && !(c.relation && isNewRelation(ctx, stmt, c.relation))) {
        ctx.report({ messageId: "cluster", statement: stmt, data: { target: c.relation ? display(rangeVarName(c.relation)) : "(every clustered table)" } });
      }
    }
  },
});

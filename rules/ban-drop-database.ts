import { defineRule } from "../src/lint/rule.js";
import { asNode } from "../src/parse/ast.js";

export default defineRule({
  meta: {
    id: "ban-drop-database",
    description: "DROP DATABASE in a migration.",
    category: "locking",
    defaultSeverity: "error",
    fixable: false,
    messages: {
      dropDatabase: "DROP DATABASE {{name}} deletes a whole database; a migration is not the place for it.",
    },
    help: "Drop databases by hand, with a backup, outside the migration history.",
    docs: {
      rationale: "A migration runs unattended in every environment it reaches, production included. Dropping a database there is irreversible and almost never intended.",
      bad: "DROP DATABASE analytics;",
      good: "DROP SCHEMA IF EXISTS scratch;",
      runner: { transactional: false },
      peers: { squawk: ["ban-drop-database"], pgfence: ["drop-database"] },
    },
  },
  check(ctx) {
    for (const stmt of ctx.effective) {
      const drop = asNode(stmt.node, "DropdbStmt");
      if (drop) ctx.report({ messageId: "dropDatabase", statement: stmt, data: { name: drop.dbname ?? "?" } });
    }
  },
});

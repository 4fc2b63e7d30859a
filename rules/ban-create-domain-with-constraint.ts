import { defineRule } from "../src/lint/rule.js";
import { asNode } from "../src/parse/ast.js";
import { tokenSpan } from "./_shared/position.js";
import { constraint, display, listName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "ban-create-domain-with-constraint",
    description: "CREATE DOMAIN with a CHECK constraint.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      domainCheck: "The domain {{domain}} has a CHECK constraint: changing it later means checking every column of every table that uses the domain, under locks, with no NOT VALID step for existing columns.",
    },
    help: "Put CHECK constraints on the columns (or tables) that need them, where they can be added NOT VALID and validated online.",
    docs: {
      rationale:
        "A domain's constraints apply to every column declared with the domain. Adding or changing one later validates all of those columns at once; there is no way to add it to the existing columns NOT VALID and validate them table by table. Column and table constraints keep that flexibility.",
      bad: "CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0);",
      good: "CREATE DOMAIN email AS text;",
      peers: { squawk: ["ban-create-domain-with-constraint"], pgfence: ["ban-create-domain-with-constraint"] },
    },
  },
  check(ctx) {
    for (const stmt of ctx.effective) {
      const d = asNode(stmt.node, "CreateDomainStmt");
      const check = d && (d.constraints ?? []).map(constraint).find((c) => c?.contype === "CONSTR_CHECK");
      if (d && check) ctx.report({ messageId: "domainCheck", statement: stmt, range: tokenSpan(ctx, stmt, check.location), data: { domain: display(listName(d.domainname)) } });
    }
  },
});

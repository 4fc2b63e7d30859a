import { defineRule } from "../src/lint/rule.js";
import { asNode } from "../src/parse/ast.js";
import { isNewType } from "./_shared/history.js";
import { display, listName } from "./_shared/sql.js";

export default defineRule({
  meta: {
    id: "ban-alter-domain-with-add-constraint",
    description: "ALTER DOMAIN … ADD CONSTRAINT on an existing domain.",
    category: "locking",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      addConstraint: "ALTER DOMAIN {{domain}} ADD CONSTRAINT checks every column of every table that uses the domain, under locks, in one statement.",
    },
    help: "Add the constraint NOT VALID (`ALTER DOMAIN … ADD CONSTRAINT … NOT VALID`) and VALIDATE it later, or put CHECK constraints on the columns instead.",
    docs: {
      rationale:
        "Adding a constraint to a domain validates all existing values of every column declared with it, across tables, in one statement that holds locks on all of them. Domains created in the same migration (or one not applied yet) are exempt, and so is `NOT VALID`.",
      bad: "ALTER DOMAIN positive_int ADD CONSTRAINT positive CHECK (VALUE > 0);",
      good: "ALTER DOMAIN positive_int ADD CONSTRAINT positive CHECK (VALUE > 0) NOT VALID;",
      peers: { squawk: ["ban-alter-domain-with-add-constraint"], pgfence: ["ban-alter-domain-add-constraint"] },
    },
  },
  check(ctx) {
    for (const stmt of ctx.effective) {
      const d = asNode(stmt.node, "AlterDomainStmt");
      if (d?.subtype !== "C") continue;
      const con = asNode(d.def, "Constraint");
      if (con?.skip_validation) continue;
      const name = listName(d.typeName);
      if (isNewType(ctx, stmt, name)) continue;
      ctx.report({ messageId: "addConstraint", statement: stmt, data: { domain: display(name) } });
    }
  },
});

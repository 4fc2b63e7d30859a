import { defineRule } from "../src/lint/rule.js";
import { checkColumnTypes } from "./_shared/type-rule.js";

export default defineRule({
  meta: {
    id: "ban-char-field",
    description: "A char(n) / character(n) column.",
    category: "style",
    defaultSeverity: "warning",
    fixable: true,
    messages: {
      char: "{{table}}.{{column}} is {{type}}: values are blank-padded to the full length, trailing spaces are ignored in comparisons, and the padding wastes space.",
    },
    help: "Use text (with a CHECK on the length if needed), or varchar.",
    docs: {
      rationale:
        "character(n) pads every value with spaces to n characters, strips them again in some operations but not others (`'a '::char(2) = 'a'` is true, `length()` ignores them, `||` drops them), and is never faster than text in PostgreSQL. It is almost always a mistake carried over from other databases.",
      bad: "CREATE TABLE countries (code char(2) PRIMARY KEY);",
      good: "CREATE TABLE countries (code text PRIMARY KEY CHECK (length(code) = 2));",
      peers: { squawk: ["ban-char-field"], pgfence: ["ban-char-field"] },
    },
  },
  check(ctx) {
    checkColumnTypes(ctx, (site) => (site.type.name === "character" ? { messageId: "char", replacement: "text" } : undefined));
  },
});

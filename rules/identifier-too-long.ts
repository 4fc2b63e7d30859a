import { defineRule } from "../src/lint/rule.js";
import { asNode } from "../src/parse/ast.js";
import { LONG_WORD_UNITS, type Statement } from "../src/parse/types.js";
import { lex } from "../src/parse/lexer.js";
import { indexSpan, statementEndIndex, statementStartIndex } from "./_shared/position.js";
import { byteLength } from "./_shared/sql.js";

const MAX = 63;

/** Identifiers written in the statement longer than 63 bytes, first occurrence of each, with their spans. */
function longIdentifiers(ctx: Parameters<typeof statementStartIndex>[0], stmt: Statement): { name: string; start: number; end: number }[] {
  const out: { name: string; start: number; end: number }[] = [];
  const text = ctx.up.source.text;
  const words = stmt.longWords ?? lexLongWords(text, statementStartIndex(ctx, stmt), statementEndIndex(ctx, stmt));
  let seen: Set<string> | undefined;
  for (let k = 0; k < words.length; k += 2) {
    const start = words[k]!;
    const end = words[k + 1]!;
    const raw = text.slice(start, end);
    // PostgreSQL's scanner truncates identifiers before the parser sees them, so they are read from the source.
    const quoted = raw.startsWith('"');
    if (!quoted && !/^[\p{L}_][\p{L}\p{N}_$]*$/u.test(raw)) continue;
    const name = quoted ? raw.slice(1, -1).replace(/""/g, '"') : raw.toLowerCase();
    if (byteLength(name) <= MAX || seen?.has(name)) continue;
    (seen ??= new Set()).add(name);
    out.push({ name, start, end });
  }
  return out;
}

/**
 * The long words of `text[start, end)` (a DO body's statement, which the parse did not lex), as
 * `Statement.longWords` holds them: pairs of file indexes.
 */
function lexLongWords(text: string, start: number, end: number): number[] {
  const out: number[] = [];
  for (const t of lex(text.slice(start, end)).tokens) {
    if (t.kind === "word" && t.end - t.start >= LONG_WORD_UNITS) out.push(t.start + start, t.end + start);
  }
  return out;
}

/** Enum labels the statement defines: PostgreSQL rejects labels over 63 bytes. */
function labels(stmt: Statement): string[] {
  const created = (asNode(stmt.node, "CreateEnumStmt")?.vals ?? []).map((v) => asNode(v, "String")?.sval);
  return [...created, asNode(stmt.node, "AlterEnumStmt")?.newVal].filter((l): l is string => !!l && byteLength(l) > MAX);
}

export default defineRule({
  meta: {
    id: "identifier-too-long",
    description: "An identifier longer than 63 bytes, which PostgreSQL silently truncates (or an enum label it rejects).",
    category: "correctness",
    defaultSeverity: "warning",
    fixable: false,
    messages: {
      tooLong: "{{name}} is {{bytes}} bytes long: PostgreSQL truncates identifiers to 63 bytes, so the object is really named {{truncated}}.",
      labelTooLong: "The enum label '{{name}}' is {{bytes}} bytes long: PostgreSQL rejects labels over 63 bytes.",
    },
    help: {
      tooLong: "Shorten the name to at most 63 bytes, so the name in the migration is the name in the database.",
      labelTooLong: "Shorten the label to at most 63 bytes.",
    },
    docs: {
      rationale:
        "PostgreSQL keeps at most 63 bytes of an identifier (NAMEDATALEN - 1) and truncates longer ones with only a NOTICE. The object then has a different name than the migration says: a later `DROP INDEX` with the full name still works (it is truncated the same way), but code, ORMs and tools comparing names see a mismatch, and two long names with the same first 63 bytes collide. Bytes, not characters, count: non-ASCII names reach the limit sooner.",
      bad: "CREATE INDEX index_user_notification_preferences_on_user_id_and_channel_and_kind_and_created_at ON user_notification_preferences (user_id, channel, kind, created_at);",
      good: "CREATE INDEX user_notification_prefs_user_channel_kind_idx ON user_notification_preferences (user_id, channel, kind, created_at);",
      peers: { squawk: ["identifier-too-long"] },
    },
  },
  check(ctx) {
    for (const stmt of ctx.effective) {
      for (const id of longIdentifiers(ctx, stmt)) {
        const truncated = Buffer.from(id.name, "utf8").subarray(0, MAX).toString("utf8").replace(/\uFFFD+$/, "");
        ctx.report({ messageId: "tooLong", statement: stmt, range: indexSpan(ctx, id.start, id.end), data: { name: id.name, bytes: byteLength(id.name), truncated } });
      }
      for (const label of labels(stmt)) ctx.report({ messageId: "labelTooLong", statement: stmt, data: { name: label, bytes: byteLength(label), truncated: "" } });
    }
  },
});

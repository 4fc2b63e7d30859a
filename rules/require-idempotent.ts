import type { Node } from "@pgsql/types";
import { defineRule, type RuleContext } from "../src/lint/rule.js";
import type { Fix } from "../src/lint/types.js";
import { asNode, stringValues } from "../src/parse/ast.js";
import type { Statement } from "../src/parse/types.js";
import { canFix, findWords, indexOfLocation, insertFix, statementTokens, tokenText } from "./_shared/position.js";
import { alterTable, columnDef, constraint, listName } from "./_shared/sql.js";
import { nonTransactional } from "./_shared/tx.js";

type Messages = "ifNotExists" | "ifExists" | "orReplace" | "unnamedIndex" | "needsGuard";

/** Exception conditions that make a guarded CREATE a no-op when the object exists. */
const DUPLICATE_CONDITIONS = new Set(["duplicate_object", "duplicate_table", "duplicate_column", "duplicate_function", "duplicate_schema", "unique_violation", "others"]);

const NEUTRAL = new Set(["VariableSetStmt", "VariableShowStmt", "TransactionStmt", "SelectStmt"]);

/** Words between DROP and the object name (`DROP MATERIALIZED VIEW`, `DROP INDEX CONCURRENTLY`). */
const DROP_WORDS = new Set([
  "table", "index", "concurrently", "type", "view", "materialized", "function", "procedure", "routine", "aggregate", "trigger", "policy", "rule",
  "schema", "sequence", "extension", "domain", "foreign", "collation", "publication", "operator", "statistics", "server", "event", "text", "search",
  "configuration", "dictionary", "parser", "template", "conversion", "language", "access", "method", "owned", "by", "cast", "transform", "subscription",
  "tablespace", "role", "user", "group", "database", "wrapper", "data", "class", "family",
]);

interface Finding {
  messageId: Messages;
  what: string;
  fix?: Fix;
}

function dropKind(removeType: string | undefined): string {
  return (removeType ?? "OBJECT_").slice("OBJECT_".length).toLowerCase().replace(/_/g, " ");
}

/** Names a DROP statement drops, as `kind:name` keys (a trigger/policy/rule is keyed with its table). */
function droppedKeys(stmt: Statement): string[] {
  const d = asNode(stmt.node, "DropStmt");
  if (!d?.missing_ok) return [];
  const kind = dropKind(d.removeType);
  return (d.objects ?? []).map((o) => {
    const list = asNode(o, "List")?.items;
    if (list) return `${kind}:${stringValues(list).join(".")}`;
    const fn = asNode(o, "ObjectWithArgs");
    if (fn) return `${kind}:${stringValues(fn.objname).join(".")}`;
    const type = asNode(o, "TypeName");
    if (type) return `${kind}:${stringValues(type.names).join(".")}`;
    return `${kind}:${asNode(o, "String")?.sval ?? ""}`;
  });
}

/** Keys (as in droppedKeys) of the object a CREATE makes, to match a preceding DROP … IF EXISTS. */
function createdKeys(stmt: Statement): string[] {
  const n = stmt.node;
  const rel = (rv: { schemaname?: string; relname?: string } | undefined): string => [rv?.schemaname, rv?.relname].filter(Boolean).join(".");
  const policy = asNode(n, "CreatePolicyStmt");
  if (policy) return [`policy:${rel(policy.table)}.${policy.policy_name}`, `policy:${policy.table?.relname}.${policy.policy_name}`];
  const trigger = asNode(n, "CreateTrigStmt");
  if (trigger) return [`trigger:${rel(trigger.relation)}.${trigger.trigname}`, `trigger:${trigger.relation?.relname}.${trigger.trigname}`];
  const names = (kind: string, list: Node[] | undefined): string[] => {
    const q = listName(list);
    return q ? [`${kind}:${[q.schema, q.name].filter(Boolean).join(".")}`, `${kind}:${q.name}`] : [];
  };
  const relation = (kind: string, rv: { schemaname?: string; relname?: string } | undefined): string[] => (rv?.relname ? [`${kind}:${rel(rv)}`, `${kind}:${rv.relname}`] : []);
  if (asNode(n, "CreateEnumStmt")) return names("type", asNode(n, "CreateEnumStmt")!.typeName);
  if (asNode(n, "CreateRangeStmt")) return names("type", asNode(n, "CreateRangeStmt")!.typeName);
  if (asNode(n, "CompositeTypeStmt")) return relation("type", asNode(n, "CompositeTypeStmt")!.typevar);
  if (asNode(n, "CreateDomainStmt")) return names("domain", asNode(n, "CreateDomainStmt")!.domainname);
  if (asNode(n, "CreateStmt")) return relation("table", asNode(n, "CreateStmt")!.relation);
  if (asNode(n, "CreateFunctionStmt")) return names(asNode(n, "CreateFunctionStmt")!.is_procedure ? "procedure" : "function", asNode(n, "CreateFunctionStmt")!.funcname);
  if (asNode(n, "ViewStmt")) return relation("view", asNode(n, "ViewStmt")!.view);
  const index = asNode(n, "IndexStmt");
  if (index?.idxname) return [`index:${index.idxname}`, `index:${[index.relation?.schemaname, index.idxname].filter(Boolean).join(".")}`];
  return [];
}

function guarded(stmt: Statement): boolean {
  const g = stmt.guard;
  if (!g) return false;
  return g.catches.some((c) => DUPLICATE_CONDITIONS.has(c)) || (g.conditional && g.conditions.length > 0);
}

/** A fix inserting `text` right after the first run of `words`. */
function afterWords(ctx: RuleContext<Messages>, stmt: Statement, words: string[], text: string): Fix | undefined {
  if (!canFix(stmt)) return undefined;
  const found = findWords(ctx, stmt, words);
  return found ? insertFix(ctx, found[found.length - 1]!.end, text) : undefined;
}

function dropFix(ctx: RuleContext<Messages>, stmt: Statement): Fix | undefined {
  if (!canFix(stmt)) return undefined;
  const tokens = statementTokens(ctx, stmt);
  let i = 1;
  while (i < tokens.length && DROP_WORDS.has(tokenText(ctx, tokens[i]!).toLowerCase())) i++;
  return i > 1 ? insertFix(ctx, tokens[i - 1]!.end, " IF EXISTS") : undefined;
}

function checkStatement(ctx: RuleContext<Messages>, stmt: Statement): Finding[] {
  const n = stmt.node;
  const out: Finding[] = [];
  const create = asNode(n, "CreateStmt");
  if (create && !create.if_not_exists && create.relation?.relpersistence !== "t") {
    out.push({ messageId: "ifNotExists", what: `CREATE TABLE ${create.relation?.relname}`, fix: afterWords(ctx, stmt, ["TABLE"], " IF NOT EXISTS") });
  }
  const index = asNode(n, "IndexStmt");
  if (index && !index.if_not_exists) {
    if (!index.idxname) out.push({ messageId: "unnamedIndex", what: "CREATE INDEX" });
    else out.push({ messageId: "ifNotExists", what: `CREATE INDEX ${index.idxname}`, fix: afterWords(ctx, stmt, index.concurrent ? ["INDEX", "CONCURRENTLY"] : ["INDEX"], " IF NOT EXISTS") });
  }
  const ctas = asNode(n, "CreateTableAsStmt");
  if (ctas && !ctas.if_not_exists && ctas.into?.rel?.relpersistence !== "t") {
    const matview = ctas.objtype === "OBJECT_MATVIEW";
    out.push({ messageId: "ifNotExists", what: `CREATE ${matview ? "MATERIALIZED VIEW" : "TABLE"} ${ctas.into?.rel?.relname}`, fix: afterWords(ctx, stmt, [matview ? "VIEW" : "TABLE"], " IF NOT EXISTS") });
  }
  const seq = asNode(n, "CreateSeqStmt");
  if (seq && !seq.if_not_exists) out.push({ messageId: "ifNotExists", what: `CREATE SEQUENCE ${seq.sequence?.relname}`, fix: afterWords(ctx, stmt, ["SEQUENCE"], " IF NOT EXISTS") });
  const schema = asNode(n, "CreateSchemaStmt");
  if (schema && !schema.if_not_exists) out.push({ messageId: "ifNotExists", what: `CREATE SCHEMA ${schema.schemaname ?? ""}`.trim(), fix: afterWords(ctx, stmt, ["SCHEMA"], " IF NOT EXISTS") });
  const ext = asNode(n, "CreateExtensionStmt");
  if (ext && !ext.if_not_exists) out.push({ messageId: "ifNotExists", what: `CREATE EXTENSION ${ext.extname}`, fix: afterWords(ctx, stmt, ["EXTENSION"], " IF NOT EXISTS") });
  const view = asNode(n, "ViewStmt");
  if (view && !view.replace) out.push({ messageId: "orReplace", what: `CREATE VIEW ${view.view?.relname}`, fix: afterWords(ctx, stmt, ["CREATE"], " OR REPLACE") });
  const fn = asNode(n, "CreateFunctionStmt");
  if (fn && !fn.replace) out.push({ messageId: "orReplace", what: `CREATE ${fn.is_procedure ? "PROCEDURE" : "FUNCTION"} ${listName(fn.funcname)?.name}`, fix: afterWords(ctx, stmt, ["CREATE"], " OR REPLACE") });
  const trigger = asNode(n, "CreateTrigStmt");
  if (trigger && !trigger.replace) {
    const what = `CREATE TRIGGER ${trigger.trigname}`;
    // CREATE OR REPLACE TRIGGER exists from PostgreSQL 14 (not for constraint triggers).
    if (ctx.settings.pgVersion >= 14 && !trigger.isconstraint) out.push({ messageId: "orReplace", what, fix: afterWords(ctx, stmt, ["CREATE"], " OR REPLACE") });
    else out.push({ messageId: "needsGuard", what });
  }
  for (const [tag, label] of [["CreateEnumStmt", "CREATE TYPE"], ["CreateRangeStmt", "CREATE TYPE"], ["CompositeTypeStmt", "CREATE TYPE"], ["CreateDomainStmt", "CREATE DOMAIN"], ["CreatePolicyStmt", "CREATE POLICY"]] as const) {
    if (stmt.tag === tag) out.push({ messageId: "needsGuard", what: label });
  }
  const enumValue = asNode(n, "AlterEnumStmt");
  if (enumValue?.newVal && !enumValue.oldVal && !enumValue.skipIfNewValExists) {
    out.push({ messageId: "ifNotExists", what: `ADD VALUE '${enumValue.newVal}'`, fix: afterWords(ctx, stmt, ["ADD", "VALUE"], " IF NOT EXISTS") });
  }
  const drop = asNode(n, "DropStmt");
  if (drop && !drop.missing_ok) out.push({ messageId: "ifExists", what: `DROP ${dropKind(drop.removeType).toUpperCase()}`, fix: dropFix(ctx, stmt) });
  const alter = alterTable(stmt);
  if (alter && alter.objtype === "OBJECT_TABLE") {
    const single = alter.cmds.length === 1;
    for (const cmd of alter.cmds) {
      if (cmd.subtype === "AT_AddColumn" && !cmd.missing_ok) {
        const col = columnDef(cmd.def);
        const fix = canFix(stmt) && col?.location !== undefined ? insertFix(ctx, indexOfLocation(ctx, stmt, col.location), "IF NOT EXISTS ") : undefined;
        out.push({ messageId: "ifNotExists", what: `ADD COLUMN ${col?.colname}`, fix });
      } else if (cmd.subtype === "AT_DropColumn" && !cmd.missing_ok) {
        out.push({ messageId: "ifExists", what: `DROP COLUMN ${cmd.name}`, fix: single ? (afterWords(ctx, stmt, ["DROP", "COLUMN"], " IF EXISTS") ?? afterWords(ctx, stmt, ["DROP"], " IF EXISTS")) : undefined });
      } else if (cmd.subtype === "AT_DropConstraint" && !cmd.missing_ok) {
        out.push({ messageId: "ifExists", what: `DROP CONSTRAINT ${cmd.name}`, fix: single ? afterWords(ctx, stmt, ["DROP", "CONSTRAINT"], " IF EXISTS") : undefined });
      } else if (cmd.subtype === "AT_AddConstraint") {
        const con = constraint(cmd.def);
        // An unnamed constraint gets a fresh name each run: re-running adds a duplicate, which is not an error.
        if (con?.conname) out.push({ messageId: "needsGuard", what: `ADD CONSTRAINT ${con.conname}` });
      }
    }
  }
  return out;
}

/** `ADD CONSTRAINT c` is made re-runnable by a preceding `DROP CONSTRAINT IF EXISTS c` on the same table. */
function droppedConstraints(stmt: Statement): string[] {
  const alter = alterTable(stmt);
  return (alter?.cmds ?? []).filter((c) => c.subtype === "AT_DropConstraint" && c.missing_ok && c.name).map((c) => `${alter!.relation.relname}.${c.name}`);
}

export default defineRule<Messages>({
  meta: {
    id: "require-idempotent",
    description: "A statement that fails when the migration is re-run after failing part way: CREATE without IF NOT EXISTS / OR REPLACE, DROP without IF EXISTS, or an unguarded CREATE TYPE / POLICY / ADD CONSTRAINT.",
    category: "idempotency",
    defaultSeverity: "warning",
    fixable: true,
    messages: {
      ifNotExists: "{{what}} fails if it already exists: re-running the migration after a failure further down stops here.",
      ifExists: "{{what}} fails if it is already gone: re-running the migration after a failure further down stops here.",
      orReplace: "{{what}} fails if it already exists: re-running the migration after a failure further down stops here.",
      unnamedIndex: "{{what}} without a name creates another index each time the migration is re-run after a failure.",
      needsGuard: "{{what}} fails if it already exists, and PostgreSQL has no IF NOT EXISTS for it: re-running the migration after a failure further down stops here.",
    },
    help: {
      ifNotExists: "Add IF NOT EXISTS.",
      ifExists: "Add IF EXISTS.",
      orReplace: "Use CREATE OR REPLACE.",
      unnamedIndex: "Name the index and add IF NOT EXISTS.",
      needsGuard: "Precede it with the matching `DROP … IF EXISTS`, or wrap it in `DO $$ BEGIN … EXCEPTION WHEN duplicate_object THEN NULL; END $$;`.",
    },
    docs: {
      rationale:
        "A migration that does not run in one transaction can fail half way and leave its first statements applied. Re-running it then fails on the first CREATE whose object now exists. Each statement written to tolerate its own effect (IF NOT EXISTS, IF EXISTS, OR REPLACE, or a guard) makes the whole migration safe to re-run.\n\nBy default the rule only looks at migrations that do not run in a single transaction (the layout says whether the runner wraps them) and at statements that can never run in one (CREATE INDEX CONCURRENTLY, which leaves an invalid index behind when it fails); a transactional migration rolls back as a whole. Set the option `evenInTransaction: true` to require idempotent statements everywhere. A migration of a single statement cannot fail part way and is exempt.\n\nGuards are recognised: a DO block that catches `duplicate_object` (drizzle-kit's pattern) or checks `IF NOT EXISTS (SELECT …)`, and a preceding `DROP … IF EXISTS` of the same object. The automatic fix adds the clause where PostgreSQL has one.",
      bad: "CREATE TABLE accounts (id bigint PRIMARY KEY);\nCREATE INDEX accounts_created_idx ON accounts (id);",
      good: "CREATE TABLE IF NOT EXISTS accounts (id bigint PRIMARY KEY);\nCREATE INDEX IF NOT EXISTS accounts_created_idx ON accounts (id);",
      runner: { transactional: false },
      peers: { squawk: ["prefer-robust-stmts"], pgfence: ["prefer-robust-create-table", "prefer-robust-create-index", "prefer-robust-drop-table", "prefer-robust-drop-index"] },
    },
  },
  check(ctx) {
    const evenInTransaction = ctx.options["evenInTransaction"] === true;
    // A migration of one statement (a DO block counts as one) cannot fail part way.
    const counted = ctx.statements.filter((s) => !NEUTRAL.has(s.tag));
    const dropped = new Set<string>();
    for (const stmt of ctx.effective) {
      const concurrent = !!nonTransactional(stmt);
      const applies = evenInTransaction || concurrent || (!ctx.transactionOf(stmt).inTransaction && counted.length > 1);
      if (applies && !guarded(stmt)) {
        for (const f of checkStatement(ctx, stmt)) {
          // A preceding DROP … IF EXISTS of the same object makes the CREATE re-runnable.
          if (f.messageId !== "ifExists" && createdKeys(stmt).some((k) => dropped.has(k))) continue;
          if (f.messageId === "needsGuard" && f.what.startsWith("ADD CONSTRAINT") && dropped.has(`constraint:${alterTable(stmt)?.relation.relname}.${f.what.slice("ADD CONSTRAINT ".length)}`)) continue;
          ctx.report({ messageId: f.messageId, statement: stmt, data: { what: f.what }, ...(f.fix ? { fix: f.fix } : {}) });
        }
      }
      for (const k of droppedKeys(stmt)) dropped.add(k);
      for (const c of droppedConstraints(stmt)) dropped.add(`constraint:${c}`);
    }
  },
});

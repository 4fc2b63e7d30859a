/**
 * The one place SQL is produced from the catalog: identifiers quoted only when needed (QuoteUtils),
 * literals escaped, expressions and statements deparsed from their AST (pgsql-deparser), and the
 * definitions of catalog objects (`CREATE TABLE …`, `ADD CONSTRAINT …`, `CREATE INDEX …`) assembled
 * from those pieces. Nothing here reads user text as SQL; every user-provided name goes through
 * `quoteName` and every user expression through `exprSql`.
 */
import type { Node } from "@pgsql/types";
import { deparseSync, QuoteUtils } from "pgsql-deparser";
import { asNode, stringValues } from "../parse/ast.js";
import { effectiveSearchPath, keyOf, makeObjectName } from "./names.js";
import type {
  Catalog,
  Column,
  Constraint,
  FkAction,
  FunctionDef,
  Grants,
  Index,
  ObjectKey,
  Policy,
  Sequence,
  SequenceOptions,
  Table,
  Trigger,
  TypeDef,
  View,
} from "./types.js";

export function quoteName(name: string): string {
  return QuoteUtils.quoteIdentifier(name);
}

/**
 * `"name"` always: how the runners quote (pq.QuoteIdentifier, Flyway's `doQuote`, Prisma's quoting), and
 * how we quote names our own code makes (savepoints, scratch databases, backup tables), so that a name can
 * never become SQL whatever it holds.
 */
export function alwaysQuoted(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A string literal (`'it''s'`; `E'…'` when it holds backslashes, so the text survives any setting). */
export function literal(value: string): string {
  return value.includes("\\") ? `E'${value.replace(/\\/g, "\\\\").replace(/'/g, "''")}'` : `'${value.replace(/'/g, "''")}'`;
}

const rendered = new WeakMap<object, string>();

/** An expression or query as SQL, memoised per AST node (catalog nodes are shared and immutable). */
export function exprSql(node: Node): string {
  let text = rendered.get(node);
  if (text === undefined) {
    text = deparseSync(node, { pretty: false });
    rendered.set(node, text);
  }
  return text;
}

/** A whole statement node as SQL (pretty when it reads better on several lines, like CREATE FUNCTION). */
export function statementSql(node: Node, pretty = false): string {
  return deparseSync(node, { pretty }).replace(/;\s*$/, "");
}

/** Renders names relative to a search path: objects in its first schema stay unqualified. */
export class Renderer {
  readonly defaultSchema: string;

  constructor(
    readonly catalog: Catalog,
    searchPath: readonly string[],
  ) {
    this.defaultSchema = effectiveSearchPath(searchPath)[0] ?? "public";
  }

  name(schema: string, name: string): string {
    return schema === this.defaultSchema ? quoteName(name) : `${quoteName(schema)}.${quoteName(name)}`;
  }

  /** The current name of a relation (table, view, sequence, index) by key. */
  relation(key: ObjectKey): string {
    const c = this.catalog;
    const o = c.tables.get(key) ?? c.views.get(key) ?? c.sequences.get(key) ?? c.indexes.get(key);
    if (o) return this.name(o.schema, o.name);
    const dot = key.indexOf(".");
    return this.name(key.slice(0, dot), key.slice(dot + 1));
  }

  columnList(columns: readonly string[]): string {
    return columns.map(quoteName).join(", ");
  }

  // ── columns ────────────────────────────────────────────────────────────────

  /**
   * `name type [COLLATE …] [GENERATED …] [DEFAULT …] [NOT NULL]`. `serialOf` is set when the column
   * can be written as serial (its sequence is re-created with it); `nullable` drops NOT NULL.
   */
  columnDef(table: Table, column: Column, opts: { serial?: string; nullable?: boolean; identitySequence?: Sequence } = {}): string {
    const parts = [quoteName(column.name), opts.serial ?? column.type];
    if (column.collation) parts.push(`COLLATE ${column.collation}`);
    if (column.generated) parts.push(`GENERATED ALWAYS AS (${exprSql(column.generated.expression)}) ${column.generated.stored ? "STORED" : "VIRTUAL"}`);
    if (column.identity) {
      const seqOpts = opts.identitySequence ? this.identityOptions(table, column, opts.identitySequence) : "";
      parts.push(`GENERATED ${column.identity === "always" ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY${seqOpts}`);
    }
    if (column.default && !opts.serial) parts.push(`DEFAULT ${exprSql(column.default)}`);
    if (column.notNull && !opts.nullable) parts.push(this.notNullClause(table, column));
    return parts.join(" ");
  }

  /** `NOT NULL`, named when the recorded name is not the one PostgreSQL would choose. */
  notNullClause(table: Table, column: Column): string {
    const usual = `${table.name}_${column.name}_not_null`;
    return column.notNullName && column.notNullName !== usual && column.notNullName.length < 63
      ? `CONSTRAINT ${quoteName(column.notNullName)} NOT NULL`
      : "NOT NULL";
  }

  private identityOptions(table: Table, column: Column, seq: Sequence): string {
    const opts = sequenceOptionsSql(seq.options, column.type);
    const usualName = makeObjectName(table.name, column.name, "seq");
    const named = seq.name !== usualName || seq.schema !== table.schema ? `SEQUENCE NAME ${this.name(seq.schema, seq.name)}` : "";
    const all = [named, opts].filter(Boolean).join(" ");
    return all ? ` (${all})` : "";
  }

  // ── constraints ────────────────────────────────────────────────────────────

  /** `CONSTRAINT name …` as written in CREATE TABLE or after ADD (NOT VALID only when `withNotValid`). */
  constraintDef(c: Constraint, withNotValid = true): string {
    const body = this.constraintBody(c);
    const attrs: string[] = [];
    if (c.deferrable) attrs.push("DEFERRABLE");
    if (c.initiallyDeferred) attrs.push("INITIALLY DEFERRED");
    if (c.noInherit) attrs.push("NO INHERIT");
    if (c.notValid && withNotValid) attrs.push("NOT VALID");
    return [`CONSTRAINT ${quoteName(c.name)}`, body, ...attrs].join(" ");
  }

  private constraintBody(c: Constraint): string {
    switch (c.type) {
      case "primary":
      case "unique": {
        let s = c.type === "primary" ? "PRIMARY KEY" : c.nullsNotDistinct ? "UNIQUE NULLS NOT DISTINCT" : "UNIQUE";
        s += ` (${this.columnList(c.columns)})`;
        if (c.include?.length) s += ` INCLUDE (${this.columnList(c.include)})`;
        if (c.indexOptions?.length) s += ` WITH (${c.indexOptions.map(defElemSql).join(", ")})`;
        return s;
      }
      case "check":
        return `CHECK (${c.expression ? exprSql(c.expression) : "true"})`;
      case "foreign": {
        const fk = c.foreignKey!;
        let s = `FOREIGN KEY (${this.columnList(fk.columns)}) REFERENCES ${this.relation(fk.table)}`;
        if (fk.refColumns.length) s += ` (${this.columnList(fk.refColumns)})`;
        if (fk.match === "full") s += " MATCH FULL";
        else if (fk.match === "partial") s += " MATCH PARTIAL";
        if (fk.onUpdate !== "no action") s += ` ON UPDATE ${fkAction(fk.onUpdate)}`;
        if (fk.onDelete !== "no action") {
          s += ` ON DELETE ${fkAction(fk.onDelete)}`;
          if (fk.onDeleteColumns?.length) s += ` (${this.columnList(fk.onDeleteColumns)})`;
        }
        return s;
      }
      case "exclusion": {
        const x = c.exclusion!;
        const elems = x.elements.map((e) => `${exprSql(e.element)} WITH ${operatorSql(e.operator)}`);
        let s = `EXCLUDE USING ${quoteName(x.method)} (${elems.join(", ")})`;
        if (c.include?.length) s += ` INCLUDE (${this.columnList(c.include)})`;
        if (c.indexOptions?.length) s += ` WITH (${c.indexOptions.map(defElemSql).join(", ")})`;
        if (x.predicate) s += ` WHERE (${exprSql(x.predicate)})`;
        return s;
      }
    }
  }

  // ── tables ─────────────────────────────────────────────────────────────────

  /**
   * `CREATE TABLE` with the columns and the constraints that can be written inline (foreign keys to
   * other tables are left to `ADD CONSTRAINT` statements, so tables re-created together can be in any order).
   * Returns the statement and the column names written as serial.
   */
  createTable(table: Table, opts: { inlineForeignKeys?: boolean; serialColumns?: ReadonlySet<string>; ifNotExists?: boolean } = {}): string {
    const lines: string[] = [];
    for (const col of table.columns) {
      const serial = opts.serialColumns?.has(col.name) ? serialTypeFor(col.type) : undefined;
      const identitySequence = col.identity ? this.identitySequenceOf(table, col) : undefined;
      lines.push(this.columnDef(table, col, { ...(serial ? { serial } : {}), ...(identitySequence ? { identitySequence } : {}) }));
    }
    for (const c of table.constraints) {
      if (!isInlineConstraint(table, c, !!opts.inlineForeignKeys)) continue;
      lines.push(this.constraintDef(c, false));
    }
    const kind = table.unlogged ? "UNLOGGED TABLE" : table.kind === "foreign" ? "FOREIGN TABLE" : "TABLE";
    const ine = opts.ifNotExists ? " IF NOT EXISTS" : "";
    const name = this.relation(keyOf(table.schema, table.name));
    if (table.partitionOf) {
      const parent = this.relation(table.partitionOf.parent);
      const body = lines.length ? ` (\n  ${lines.join(",\n  ")}\n)` : "";
      return `CREATE ${kind}${ine} ${name} PARTITION OF ${parent}${body} ${partitionBoundSql(table.partitionOf.bound)}${this.tableTail(table)}`;
    }
    let sql = `CREATE ${kind}${ine} ${name} (${lines.length ? `\n  ${lines.join(",\n  ")}\n` : ""})`;
    if (table.inherits?.length) sql += ` INHERITS (${table.inherits.map((k) => this.relation(k)).join(", ")})`;
    return sql + this.tableTail(table);
  }

  private tableTail(table: Table): string {
    let sql = "";
    if (table.partitionBy) sql += ` ${partitionSpecSql(table.partitionBy)}`;
    if (table.options?.length) sql += ` WITH (${table.options.map(defElemSql).join(", ")})`;
    if (table.foreign) {
      sql += ` SERVER ${quoteName(table.foreign.server)}`;
      if (table.foreign.options?.length) sql += ` OPTIONS (${table.foreign.options.map(genericOptionSql).join(", ")})`;
    }
    return sql;
  }

  identitySequenceOf(table: Table, col: Column): Sequence | undefined {
    const tableKey = keyOf(table.schema, table.name);
    for (const s of this.catalog.sequences.values()) {
      if (s.identity && s.ownedBy?.table === tableKey && s.ownedBy.column === col.name) return s;
    }
    return undefined;
  }

  // ── indexes ────────────────────────────────────────────────────────────────

  createIndex(index: Index, opts: { concurrently?: boolean; ifNotExists?: boolean } = {}): string {
    const params = index.params.map((p) => exprSql(p)).join(", ");
    let sql = `CREATE ${index.unique ? "UNIQUE " : ""}INDEX ${opts.concurrently ? "CONCURRENTLY " : ""}${opts.ifNotExists ? "IF NOT EXISTS " : ""}${quoteName(index.name)}`;
    sql += ` ON ${this.relation(index.table)}`;
    if (index.method !== "btree") sql += ` USING ${quoteName(index.method)}`;
    sql += ` (${params})`;
    if (index.include.length) sql += ` INCLUDE (${this.columnList(index.include)})`;
    if (index.nullsNotDistinct) sql += " NULLS NOT DISTINCT";
    if (index.options?.length) sql += ` WITH (${index.options.map(defElemSql).join(", ")})`;
    if (index.tablespace) sql += ` TABLESPACE ${quoteName(index.tablespace)}`;
    if (index.predicate) sql += ` WHERE ${exprSql(index.predicate)}`;
    return sql;
  }

  // ── triggers, policies ─────────────────────────────────────────────────────

  createTrigger(tableKey: ObjectKey, trigger: Trigger): string {
    const stmt = asNode(trigger.statement, "CreateTrigStmt");
    if (!stmt) return "";
    const fn = this.functionByKey(trigger.function);
    const relation = this.rangeVar(tableKey);
    const funcname = fn ? this.nameNodes(fn.schema, fn.name) : stmt.funcname;
    const node: Node = { CreateTrigStmt: { ...stmt, replace: false, relation, funcname } };
    return statementSql(node);
  }

  createPolicy(tableKey: ObjectKey, p: Policy): string {
    let sql = `CREATE POLICY ${quoteName(p.name)} ON ${this.relation(tableKey)}`;
    if (!p.permissive) sql += " AS RESTRICTIVE";
    if (p.command !== "all") sql += ` FOR ${p.command.toUpperCase()}`;
    if (!(p.roles.length === 1 && p.roles[0] === "public")) sql += ` TO ${p.roles.map(roleSql).join(", ")}`;
    if (p.using) sql += ` USING (${exprSql(p.using)})`;
    if (p.withCheck) sql += ` WITH CHECK (${exprSql(p.withCheck)})`;
    return sql;
  }

  // ── sequences, types, views, functions ────────────────────────────────────

  createSequence(seq: Sequence, opts: { ifNotExists?: boolean } = {}): string {
    const o = sequenceOptionsSql(seq.options, undefined);
    return `CREATE ${seq.unlogged ? "UNLOGGED " : ""}SEQUENCE ${opts.ifNotExists ? "IF NOT EXISTS " : ""}${this.name(seq.schema, seq.name)}${o ? ` ${o}` : ""}`;
  }

  createType(t: TypeDef): string[] {
    const name = this.name(t.schema, t.name);
    switch (t.kind) {
      case "enum":
        return [`CREATE TYPE ${name} AS ENUM (${t.labels.map(literal).join(", ")})`];
      case "composite":
        return [`CREATE TYPE ${name} AS (${t.attributes.map((a) => `${quoteName(a.name)} ${a.type}${a.collation ? ` COLLATE ${a.collation}` : ""}`).join(", ")})`];
      case "domain": {
        let sql = `CREATE DOMAIN ${name} AS ${t.baseType}`;
        if (t.collation) sql += ` COLLATE ${t.collation}`;
        if (t.default) sql += ` DEFAULT ${exprSql(t.default)}`;
        if (t.notNull) sql += " NOT NULL";
        const later: string[] = [];
        for (const c of t.checks) {
          if (c.notValid) later.push(`ALTER DOMAIN ${name} ADD CONSTRAINT ${quoteName(c.name)} CHECK (${exprSql(c.expression)}) NOT VALID`);
          else sql += ` CONSTRAINT ${quoteName(c.name)} CHECK (${exprSql(c.expression)})`;
        }
        return [sql, ...later];
      }
      default: {
        const node = renameDefinition(t.statement, this.nameNodes(t.schema, t.name));
        return [statementSql(node)];
      }
    }
  }

  createView(v: View, opts: { orReplace?: boolean } = {}): string {
    const name = this.name(v.schema, v.name);
    const cols = v.columns?.length ? ` (${this.columnList(v.columns)})` : "";
    const withOpts = v.options?.length ? ` WITH (${v.options.map(defElemSql).join(", ")})` : "";
    const query = exprSql(v.query);
    if (v.materialized) return `CREATE MATERIALIZED VIEW ${name}${cols}${withOpts} AS ${query}${v.withNoData ? " WITH NO DATA" : ""}`;
    const check = v.checkOption ? ` WITH ${v.checkOption.toUpperCase()} CHECK OPTION` : "";
    return `CREATE ${opts.orReplace ? "OR REPLACE " : ""}VIEW ${name}${cols}${withOpts} AS ${query}${check}`;
  }

  createFunction(f: FunctionDef): string {
    const fn = asNode(f.statement, "CreateFunctionStmt");
    if (fn) {
      const node: Node = { CreateFunctionStmt: { ...fn, replace: true, funcname: this.nameNodes(f.schema, f.name) } };
      return statementSql(node, true);
    }
    return statementSql(renameDefinition(f.statement, this.nameNodes(f.schema, f.name)));
  }

  /** `f(integer, text)` as DROP FUNCTION / COMMENT ON FUNCTION want it. */
  functionSignature(f: FunctionDef): string {
    return `${this.name(f.schema, f.name)}(${f.argTypes.join(", ")})`;
  }

  functionByKey(key: string): FunctionDef | undefined {
    const direct = this.catalog.functions.get(key);
    if (direct) return direct;
    // Trigger functions are recorded by name only (`schema.name`): find the overload without arguments.
    return this.catalog.functions.get(`${key}()`);
  }

  // ── grants and comments ────────────────────────────────────────────────────

  grant(objectSql: string, grantee: string, privileges: readonly string[]): string {
    return `GRANT ${privileges.join(", ")} ON ${objectSql} TO ${roleSql(grantee)}`;
  }

  revoke(objectSql: string, grantee: string, privileges: readonly string[]): string {
    return `REVOKE ${privileges.join(", ")} ON ${objectSql} FROM ${roleSql(grantee)}`;
  }

  /** GRANT statements recreating every privilege in `grants`. */
  grants(objectSql: string, grants: Grants | undefined): string[] {
    if (!grants) return [];
    return [...grants.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([who, privs]) => this.grant(objectSql, who, privs));
  }

  comment(objectSql: string, text: string | undefined): string {
    return `COMMENT ON ${objectSql} IS ${text === undefined ? "NULL" : literal(text)}`;
  }

  // ── AST helpers ────────────────────────────────────────────────────────────

  rangeVar(key: ObjectKey): { schemaname?: string; relname: string; inh: boolean; relpersistence: string } {
    const c = this.catalog;
    const o = c.tables.get(key) ?? c.views.get(key);
    const dot = key.indexOf(".");
    const schema = o?.schema ?? key.slice(0, dot);
    const name = o?.name ?? key.slice(dot + 1);
    return schema === this.defaultSchema ? { relname: name, inh: true, relpersistence: "p" } : { schemaname: schema, relname: name, inh: true, relpersistence: "p" };
  }

  nameNodes(schema: string, name: string): Node[] {
    const names = schema === this.defaultSchema ? [name] : [schema, name];
    return names.map((sval) => ({ String: { sval } }));
  }
}

/**
 * Can `c` be written inside CREATE TABLE? Not when it is NOT VALID (only ALTER TABLE … ADD can say
 * that), not a foreign key unless asked (the referenced table may come later), and not a unique
 * constraint on the same key as one before it: CREATE TABLE merges those into one index.
 */
export function isInlineConstraint(table: Table, c: Constraint, inlineForeignKeys = false): boolean {
  if (c.notValid) return false;
  if (c.type === "foreign") return inlineForeignKeys;
  if (c.type !== "primary" && c.type !== "unique") return true;
  const ordered = [...table.constraints.filter((x) => x.type === "primary"), ...table.constraints.filter((x) => x.type === "unique")];
  const key = (x: Constraint): string => JSON.stringify([x.columns, x.include ?? [], !!x.nullsNotDistinct, x.deferrable, x.initiallyDeferred]);
  const first = ordered.find((x) => key(x) === key(c) && !x.notValid);
  return first === c;
}

export function fkAction(a: FkAction): string {
  return a.toUpperCase();
}

export function roleSql(role: string): string {
  switch (role) {
    case "public":
      return "PUBLIC";
    case "current_user":
    case "session_user":
    case "current_role":
      return role.toUpperCase();
    default:
      return quoteName(role);
  }
}

function operatorSql(names: Node[]): string {
  const parts = stringValues(names);
  if (parts.length === 1) return parts[0]!;
  return `OPERATOR(${parts.slice(0, -1).map(quoteName).join(".")}.${parts.at(-1)})`;
}

/** `fillfactor=70`, `security_barrier`, `check_option='local'`. */
export function defElemSql(node: Node): string {
  const d = asNode(node, "DefElem");
  if (!d) return exprSql(node);
  const name = d.defnamespace ? `${quoteName(d.defnamespace)}.${quoteName(d.defname ?? "")}` : quoteName(d.defname ?? "");
  if (!d.arg) return name;
  return `${name}=${defArgSql(d.arg)}`;
}

function defArgSql(arg: Node): string {
  const s = asNode(arg, "String");
  if (s) return /^[a-z_][a-z0-9_]*$/.test(s.sval ?? "") ? (s.sval ?? "") : literal(s.sval ?? "");
  const i = asNode(arg, "Integer");
  if (i) return String(i.ival ?? 0);
  const f = asNode(arg, "Float");
  if (f) return f.fval ?? "0";
  const b = asNode(arg, "Boolean");
  if (b) return b.boolval ? "true" : "false";
  const tn = asNode(arg, "TypeName");
  if (tn) return stringValues(tn.names).map(quoteName).join(".");
  return exprSql(arg);
}

function genericOptionSql(node: Node): string {
  const d = asNode(node, "DefElem");
  if (!d) return exprSql(node);
  const value = asNode(d.arg, "String")?.sval ?? "";
  return `${quoteName(d.defname ?? "")} ${literal(value)}`;
}

function partitionSpecSql(node: Node): string {
  const spec = asNode(node, "PartitionSpec");
  if (!spec) return "";
  const strategy = (spec.strategy ?? "").replace(/^PARTITION_STRATEGY_/, "");
  const params = (spec.partParams ?? []).map((p) => {
    const e = asNode(p, "PartitionElem");
    if (!e) return exprSql(p);
    let s = e.name ? quoteName(e.name) : e.expr ? `(${exprSql(e.expr)})` : "";
    if (e.collation?.length) s += ` COLLATE ${stringValues(e.collation).map(quoteName).join(".")}`;
    if (e.opclass?.length) s += ` ${stringValues(e.opclass).map(quoteName).join(".")}`;
    return s;
  });
  return `PARTITION BY ${strategy} (${params.join(", ")})`;
}

function partitionBoundSql(node: Node): string {
  const b = asNode(node, "PartitionBoundSpec");
  if (!b) return "DEFAULT";
  if (b.is_default) return "DEFAULT";
  const list = (items: Node[] | undefined): string => (items ?? []).map((n) => exprSql(n)).join(", ");
  if (b.strategy === "l") return `FOR VALUES IN (${list(b.listdatums)})`;
  if (b.strategy === "r") return `FOR VALUES FROM (${list(b.lowerdatums)}) TO (${list(b.upperdatums)})`;
  if (b.strategy === "h") return `FOR VALUES WITH (MODULUS ${b.modulus ?? 0}, REMAINDER ${b.remainder ?? 0})`;
  return "DEFAULT";
}

/** The limits PostgreSQL gives a sequence of each type. */
export const SEQUENCE_LIMITS: Record<SequenceOptions["type"], { min: string; max: string }> = {
  smallint: { min: "-32768", max: "32767" },
  integer: { min: "-2147483648", max: "2147483647" },
  bigint: { min: "-9223372036854775808", max: "9223372036854775807" },
};

/** The options a sequence gets when none are given (ascending). */
export function defaultSequenceOptions(type: SequenceOptions["type"] = "bigint", increment = "1"): SequenceOptions {
  const ascending = !increment.startsWith("-");
  const limits = SEQUENCE_LIMITS[type];
  const min = ascending ? "1" : limits.min;
  const max = ascending ? limits.max : "-1";
  return { type, increment, min, max, start: ascending ? min : max, cache: "1", cycle: false };
}

/** The option clauses that differ from what PostgreSQL would choose for a sequence of that type. */
export function sequenceOptionsSql(o: SequenceOptions, columnType: string | undefined): string {
  const parts: string[] = [];
  const naturalType = columnType === "smallint" || columnType === "integer" || columnType === "bigint" ? columnType : "bigint";
  if (o.type !== naturalType) parts.push(`AS ${o.type}`);
  const d = defaultSequenceOptions(o.type, o.increment);
  if (o.increment !== "1") parts.push(`INCREMENT BY ${o.increment}`);
  if (o.min !== d.min) parts.push(`MINVALUE ${o.min}`);
  if (o.max !== d.max) parts.push(`MAXVALUE ${o.max}`);
  const naturalStart = o.increment.startsWith("-") ? o.max : o.min;
  if (o.start !== naturalStart) parts.push(`START WITH ${o.start}`);
  if (o.cache !== "1") parts.push(`CACHE ${o.cache}`);
  if (o.cycle) parts.push("CYCLE");
  return parts.join(" ");
}

export function serialTypeFor(type: string): string | undefined {
  return type === "integer" ? "serial" : type === "bigint" ? "bigserial" : type === "smallint" ? "smallserial" : undefined;
}

/** A defining statement (DefineStmt, CreateRangeStmt, …) with its object name replaced. */
function renameDefinition(node: Node, names: Node[]): Node {
  const define = asNode(node, "DefineStmt");
  if (define) return { DefineStmt: { ...define, defnames: names } };
  const range = asNode(node, "CreateRangeStmt");
  if (range) return { CreateRangeStmt: { ...range, typeName: names } };
  return node;
}

/**
 * The core of the inverter: the SQL that takes the schema from one catalog (`from`, after a forward
 * statement) back to another (`to`, before it), with what is lost on the way.
 *
 * Why diff-based: a forward statement can have many effects (CASCADE drops, implicit sequences and
 * indexes, sub-commands); the replay already models them, so comparing the catalog before and after
 * the statement sees all of them, and the inverse re-creates exactly the prior definitions from the
 * replayed model. Persistent maps make the comparison cost the size of the change. What a diff cannot
 * see (renames, data, enum values added, a type change's intent) is handled by the statement families
 * (`src/invert/families/`) before or instead of this.
 *
 * Order: everything that depends on what goes away is dropped first (views, triggers, policies, foreign
 * keys, indexes, constraints, tables, columns, functions, sequences, types, schemas), then what comes
 * back is created in dependency order (schemas, extensions, types, sequences, functions, tables,
 * columns, constraints, indexes, foreign keys, views, triggers, policies, comments, grants).
 */
import type { Node } from "@pgsql/types";
import { defaultGrants } from "../catalog/apply/objects.js";
import { diffMaps } from "../catalog/pmap.js";
import { Renderer, defElemSql, exprSql, isInlineConstraint, literal, quoteName, sequenceOptionsSql, serialTypeFor } from "../catalog/render.js";
import { columnsRead, sameNode } from "../catalog/exprs.js";
import { asNode } from "../parse/ast.js";
import { keyOf, makeObjectName, relationNameTaken } from "../catalog/names.js";
import { nextvalSequence } from "../catalog/exprs.js";
import { readsSequence } from "../catalog/apply/drop.js";
import { renameLabel } from "../catalog/apply/type.js";
import type { Catalog, Column, Constraint, FunctionDef, Grants, Index, ObjectKey, Policy, Sequence, Table, Trigger, TypeDef, View } from "../catalog/types.js";
import type { InverseStatement } from "./types.js";

export interface RestoreOptions {
  searchPath: readonly string[];
  /** Build and drop indexes CONCURRENTLY (the forward statement did, and the runner allows it). */
  concurrently?: boolean;
  /** An expression to restore a column's old values from on a type change (a shadow copy), by `table key` and column. */
  usingFor?: (table: ObjectKey, column: string) => string | undefined;
  /** Statements around that type change (filling a temporary column from a backup table, dropping it). */
  aroundTypeChange?: (table: ObjectKey, column: string) => { before: string[]; after: string[] } | undefined;
}

export interface RestoreResult {
  statements: InverseStatement[];
  /** Data the restored schema cannot bring back (each makes the statement lossy). */
  lost: string[];
  /** Parts that cannot be restored at all (each makes the statement irreversible). */
  impossible: string[];
  /** Commented-out recipes for the impossible parts. */
  recipes: string[];
  /** Column type changes performed (table key, column, from → to), for the type-change family to classify. */
  typeChanges: { table: ObjectKey; column: string; from: string; to: string }[];
}

const tx = (sql: string, comment?: string): InverseStatement => ({ sql, transactional: true, ...(comment ? { comment } : {}) });

/** Restores `to` from `from`. */
export function restore(from: Catalog, to: Catalog, options: RestoreOptions): RestoreResult {
  return new Restore(from, to, options).run();
}

class Restore {
  private readonly drop: InverseStatement[][] = [[], [], [], [], [], [], [], [], [], []];
  private readonly create: InverseStatement[][] = [[], [], [], [], [], [], [], [], [], [], [], [], [], []];
  private readonly out: RestoreResult = { statements: [], lost: [], impossible: [], recipes: [], typeChanges: [] };
  /** Renders names as they are before the down step runs (objects being dropped). */
  private readonly old: Renderer;
  /** Renders names as they will be (objects being re-created). */
  private readonly neu: Renderer;
  /** Sequences re-created implicitly (serial or identity columns of re-created tables and columns). */
  private readonly implicitSequences = new Set<ObjectKey>();
  /** Tables dropped or re-created whole: their parts need no separate statements. */
  private readonly droppedTables = new Set<ObjectKey>();
  private readonly createdTables = new Set<ObjectKey>();
  /** Enum labels this down renames back (type key → [label now, label then]): defaults follow them by themselves. */
  private readonly labelRenames = new Map<ObjectKey, [string, string][]>();
  /** Tables the down cannot re-create: what is on them or reads them cannot come back either. */
  private readonly unrestorable = new Set<ObjectKey>();

  constructor(
    private readonly from: Catalog,
    private readonly to: Catalog,
    private readonly options: RestoreOptions,
  ) {
    this.old = new Renderer(from, options.searchPath);
    this.neu = new Renderer(to, options.searchPath);
  }

  run(): RestoreResult {
    const tables = diffMaps(this.from.tables, this.to.tables);
    for (const c of tables) {
      if (c.before && !c.after) this.droppedTables.add(c.key);
      if (!c.before && c.after) this.createdTables.add(c.key);
    }
    this.schemas();
    this.extensions();
    this.types();
    this.sequences();
    this.functions();
    for (const c of tables) this.table(c.key, c.before, c.after);
    this.indexes();
    this.rebuildExpressionIndexes();
    this.views();
    const out = this.out;
    // A loop, not `[...drop.flat(), ...create.flat()]`: this runs per statement, over 24 mostly empty groups.
    const statements: InverseStatement[] = [];
    for (const group of this.drop) for (const st of group) statements.push(st);
    for (const group of this.create) for (const st of group) statements.push(st);
    out.statements = statements;
    return out;
  }

  // ── phases (indexes into drop[] / create[] fix the order) ─────────────────
  // drop: 0 views, 1 triggers+policies, 2 foreign keys, 3 indexes, 4 constraints, 5 tables, 6 columns, 7 functions, 8 sequences+types, 9 schemas+extensions
  // create: 0 schemas+extensions, 1 types, 2 sequences, 3 functions, 4 tables, 5 columns+column changes, 6 constraints, 7 indexes, 8 foreign keys, 9 views, 10 indexes on materialized views, 11 triggers+policies, 12 comments+grants+owned-by, 13 row security

  private schemas(): void {
    for (const c of diffMaps(this.from.schemas, this.to.schemas)) {
      const name = quoteName(c.key);
      if (c.before && !c.after) this.drop[9]!.push(tx(`DROP SCHEMA IF EXISTS ${name}`));
      else if (!c.before && c.after) {
        this.create[0]!.push(tx(`CREATE SCHEMA IF NOT EXISTS ${name}`));
        this.commentAndGrants(`SCHEMA ${name}`, undefined, c.after.comment, new Map(), c.after.grants);
      } else if (c.before && c.after) {
        this.commentAndGrants(`SCHEMA ${name}`, c.before.comment, c.after.comment, c.before.grants, c.after.grants);
      }
    }
  }

  private extensions(): void {
    for (const c of diffMaps(this.from.extensions, this.to.extensions)) {
      const name = quoteName(c.key);
      if (c.before && !c.after) this.drop[9]!.push(tx(`DROP EXTENSION IF EXISTS ${name}`));
      else if (!c.before && c.after) {
        let sql = `CREATE EXTENSION IF NOT EXISTS ${name}`;
        if (c.after.schema) sql += ` SCHEMA ${quoteName(c.after.schema)}`;
        if (c.after.version) sql += ` VERSION ${literal(c.after.version)}`;
        this.create[0]!.push(tx(sql));
        if (c.after.comment !== undefined) this.create[12]!.push(tx(this.neu.comment(`EXTENSION ${name}`, c.after.comment)));
      } else if (c.before && c.after) {
        if (c.before.schema !== c.after.schema && c.after.schema) this.create[0]!.push(tx(`ALTER EXTENSION ${name} SET SCHEMA ${quoteName(c.after.schema)}`));
        if (c.before.version !== c.after.version && c.after.version) this.create[0]!.push(tx(`ALTER EXTENSION ${name} UPDATE TO ${literal(c.after.version)}`));
        if (c.before.comment !== c.after.comment) this.create[12]!.push(tx(this.neu.comment(`EXTENSION ${name}`, c.after.comment)));
      }
    }
  }

  private types(): void {
    for (const c of diffMaps(this.from.types, this.to.types)) {
      if (c.before && !c.after) {
        this.drop[8]!.push(tx(`DROP ${c.before.kind === "domain" ? "DOMAIN" : "TYPE"} IF EXISTS ${this.old.name(c.before.schema, c.before.name)}`));
      } else if (!c.before && c.after) {
        for (const sql of this.neu.createType(c.after)) this.create[1]!.push(tx(sql));
        this.typeExtras(c.after, undefined);
      } else if (c.before && c.after) {
        this.alterType(c.before, c.after);
      }
    }
  }

  private typeExtras(t: TypeDef, prev: TypeDef | undefined): void {
    const what = `${t.kind === "domain" ? "DOMAIN" : "TYPE"} ${this.neu.name(t.schema, t.name)}`;
    const base = defaultGrants("type");
    this.commentAndGrants(what, prev?.comment, t.comment, prev ? (prev.grants ?? base) : base, t.grants ?? base);
  }

  private alterType(now: TypeDef, want: TypeDef): void {
    const name = this.neu.name(want.schema, want.name);
    if (now.kind !== want.kind) {
      this.out.impossible.push(`type ${name} changed kind`);
      return;
    }
    if (now.schema !== want.schema || now.name !== want.name) {
      // Renames are inverted by the rename family; a diff reaching here means a move we can mirror.
      this.create[1]!.push(tx(`ALTER TYPE ${this.old.name(now.schema, now.name)} RENAME TO ${quoteName(want.name)}`));
    }
    if (now.kind === "enum" && want.kind === "enum") {
      const added = now.labels.filter((l) => !want.labels.includes(l));
      const removed = want.labels.filter((l) => !now.labels.includes(l));
      if (added.length && !removed.length) {
        this.out.impossible.push(`PostgreSQL cannot remove enum values (${added.map(literal).join(", ")} added to ${name})`);
        this.out.recipes.push(...enumRecipe(this.to, want, added, this.neu));
      } else if (removed.length && added.length === removed.length) {
        // Renamed labels (RENAME VALUE): rename them back in order.
        added.forEach((label, i) => this.create[1]!.push(tx(`ALTER TYPE ${name} RENAME VALUE ${literal(label)} TO ${literal(removed[i]!)}`)));
        this.labelRenames.set(keyOf(now.schema, now.name), added.map((label, i) => [label, removed[i]!]));
      } else if (removed.length) {
        this.out.impossible.push(`enum ${name} lost values it cannot get back`);
      }
    } else if (now.kind === "domain" && want.kind === "domain") {
      if (!sameNode(now.default, want.default)) {
        this.create[1]!.push(tx(want.default ? `ALTER DOMAIN ${name} SET DEFAULT ${exprSql(want.default)}` : `ALTER DOMAIN ${name} DROP DEFAULT`));
      }
      if (now.notNull !== want.notNull) this.create[1]!.push(tx(`ALTER DOMAIN ${name} ${want.notNull ? "SET" : "DROP"} NOT NULL`));
      for (const c of now.checks) {
        const w = want.checks.find((x) => x.name === c.name);
        if (!w || !sameNode(w.expression, c.expression) || w.notValid !== c.notValid) this.drop[8]!.push(tx(`ALTER DOMAIN ${this.old.name(now.schema, now.name)} DROP CONSTRAINT IF EXISTS ${quoteName(c.name)}`));
      }
      for (const c of want.checks) {
        const n = now.checks.find((x) => x.name === c.name);
        if (!n || !sameNode(n.expression, c.expression) || n.notValid !== c.notValid) {
          this.create[1]!.push(tx(`ALTER DOMAIN ${name} ADD CONSTRAINT ${quoteName(c.name)} CHECK (${exprSql(c.expression)})${c.notValid ? " NOT VALID" : ""}`));
        }
      }
    } else if (now.kind === "composite" && want.kind === "composite") {
      for (const a of now.attributes) if (!want.attributes.some((w) => w.name === a.name)) this.create[1]!.push(tx(`ALTER TYPE ${name} DROP ATTRIBUTE IF EXISTS ${quoteName(a.name)}`));
      for (const a of want.attributes) {
        const n = now.attributes.find((x) => x.name === a.name);
        if (!n) this.create[1]!.push(tx(`ALTER TYPE ${name} ADD ATTRIBUTE ${quoteName(a.name)} ${a.type}`));
        else if (n.type !== a.type) this.create[1]!.push(tx(`ALTER TYPE ${name} ALTER ATTRIBUTE ${quoteName(a.name)} TYPE ${a.type}`));
      }
    } else if (now.kind === "range" || now.kind === "other") {
      if (want.kind === now.kind && !sameNode(now.statement, want.statement)) this.out.impossible.push(`type ${name} was redefined`);
    }
    this.typeExtras(want, now);
  }

  private sequences(): void {
    for (const c of diffMaps(this.from.sequences, this.to.sequences)) {
      if (c.before && !c.after) {
        const s = c.before;
        // A serial or identity sequence goes with its column or table; an identity sequence also goes
        // with DROP IDENTITY (PostgreSQL refuses to drop it on its own).
        if (s.ownedBy && (this.droppedTables.has(s.ownedBy.table) || this.columnDropped(s.ownedBy.table, s.ownedBy.column))) continue;
        if (s.identity) continue;
        this.drop[8]!.push(tx(`DROP SEQUENCE IF EXISTS ${this.old.name(s.schema, s.name)}`));
      } else if (!c.before && c.after) {
        const s = c.after;
        const withTable = s.ownedBy && !this.from.tables.has(s.ownedBy.table);
        if (!withTable) this.out.lost.push(`sequence ${this.neu.name(s.schema, s.name)} comes back at its start value`);
        if (this.implicitSequenceOf(s)) {
          this.implicitSequences.add(c.key);
          this.sequenceExtras(s, undefined, true);
          continue;
        }
        this.create[2]!.push(tx(this.neu.createSequence(s, { ifNotExists: true })));
        this.sequenceExtras(s, undefined, false);
      } else if (c.before && c.after) {
        this.alterSequence(c.before, c.after);
      }
    }
  }

  /** True when re-creating the owning column re-creates the sequence (serial written as such, identity). */
  private implicitSequenceOf(s: Sequence): boolean {
    if (!s.ownedBy) return false;
    const table = this.to.tables.get(s.ownedBy.table);
    const col = table?.columns.find((c) => c.name === s.ownedBy!.column);
    if (!table || !col) return false;
    const comesBack = !this.from.tables.has(s.ownedBy.table) || !this.columnIn(this.from, s.ownedBy.table, col.id);
    // ADD GENERATED … AS IDENTITY on a column that lost its identity creates the sequence too.
    const regainsIdentity = !!col.identity && !this.from.tables.get(s.ownedBy.table)?.columns.find((c) => c.id === col.id)?.identity;
    if (s.identity) return !!col.identity && (comesBack || regainsIdentity);
    if (!comesBack) return false;
    return this.serialSequenceFor(table, col) === s;
  }

  /** The sequence a re-created column can recreate by being written as serial, if any. */
  private serialSequenceFor(table: Table, col: Column): Sequence | undefined {
    const serial = serialTypeFor(col.type);
    const names = nextvalSequence(col.default);
    if (!serial || !names) return undefined;
    const seqKey = names.length > 1 ? keyOf(names[0]!, names[1]!) : keyOf(table.schema, names[0]!);
    const s = this.to.sequences.get(seqKey);
    if (!s || s.identity || s.ownedBy?.table !== keyOf(table.schema, table.name) || s.ownedBy.column !== col.name) return undefined;
    if (s.schema !== table.schema || s.name !== makeObjectName(table.name, col.name, "seq")) return undefined;
    if (relationNameTaken(this.from, s.schema, s.name)) return undefined;
    if (sequenceOptionsSql(s.options, col.type) !== "") return undefined;
    return s;
  }

  private sequenceExtras(s: Sequence, prev: Sequence | undefined, implicit: boolean): void {
    const name = this.neu.name(s.schema, s.name);
    if (!implicit && s.ownedBy && (!prev || prev.ownedBy?.table !== s.ownedBy.table || prev.ownedBy.column !== s.ownedBy.column)) {
      this.create[12]!.push(tx(`ALTER SEQUENCE ${name} OWNED BY ${this.neu.relation(s.ownedBy.table)}.${quoteName(s.ownedBy.column)}`));
    }
    this.commentAndGrants(`SEQUENCE ${name}`, prev?.comment, s.comment, prev?.grants ?? new Map(), s.grants);
  }

  private alterSequence(now: Sequence, want: Sequence): void {
    const name = this.neu.name(want.schema, want.name);
    if (now.name !== want.name || now.schema !== want.schema) {
      this.create[2]!.push(tx(`ALTER SEQUENCE ${this.old.name(now.schema, now.name)} RENAME TO ${quoteName(want.name)}`));
    }
    const o = now.options;
    const w = want.options;
    const parts: string[] = [];
    if (o.type !== w.type) parts.push(`AS ${w.type}`);
    if (o.increment !== w.increment) parts.push(`INCREMENT BY ${w.increment}`);
    if (o.min !== w.min) parts.push(`MINVALUE ${w.min}`);
    if (o.max !== w.max) parts.push(`MAXVALUE ${w.max}`);
    if (o.start !== w.start) parts.push(`START WITH ${w.start}`);
    if (o.cache !== w.cache) parts.push(`CACHE ${w.cache}`);
    if (o.cycle !== w.cycle) parts.push(w.cycle ? "CYCLE" : "NO CYCLE");
    if (parts.length) this.create[2]!.push(tx(`ALTER SEQUENCE ${name} ${parts.join(" ")}`));
    if (now.ownedBy && !want.ownedBy) this.create[12]!.push(tx(`ALTER SEQUENCE ${name} OWNED BY NONE`));
    this.sequenceExtras(want, now, false);
  }

  private functions(): void {
    for (const c of diffMaps(this.from.functions, this.to.functions)) {
      if (c.before && !c.after) {
        this.drop[7]!.push(tx(`DROP ${kindWord(c.before)} IF EXISTS ${this.old.functionSignature(c.before)}`));
      } else if (!c.before && c.after) {
        this.create[3]!.push(tx(this.neu.createFunction(c.after)));
        this.functionExtras(c.after, undefined);
      } else if (c.before && c.after) {
        if (!sameNode(c.before.statement, c.after.statement) || c.before.name !== c.after.name) {
          if (c.before.returns !== c.after.returns || c.before.kind !== c.after.kind) {
            this.drop[7]!.push(tx(`DROP ${kindWord(c.before)} IF EXISTS ${this.old.functionSignature(c.before)}`));
          }
          this.create[3]!.push(tx(this.neu.createFunction(c.after)));
        }
        this.functionExtras(c.after, c.before);
      }
    }
  }

  private functionExtras(f: FunctionDef, prev: FunctionDef | undefined): void {
    const what = `${kindWord(f)} ${this.neu.functionSignature(f)}`;
    const base = defaultGrants("function");
    this.commentAndGrants(what, prev?.comment, f.comment, prev?.grants ?? base, f.grants);
  }

  // ── tables ─────────────────────────────────────────────────────────────────

  private columnIn(c: Catalog, table: ObjectKey, id: number): boolean {
    return !!c.tables.get(table)?.columns.some((x) => x.id === id);
  }

  /** A column's default as it reads once the down has renamed its enum's labels back (it holds the label's OID). */
  private afterLabelRenames(col: Column): Node | undefined {
    const renames = col.default && col.typeRef ? this.labelRenames.get(col.typeRef) : undefined;
    return renames ? renames.reduce((expr, [from, to]) => renameLabel(expr, from, to), col.default!) : col.default;
  }

  /** Whether `expr` is `nextval` of a sequence this down drops. */
  private dropsSequenceRead(expr: Node): boolean {
    for (const s of this.from.sequences.values()) if (!this.to.sequences.has(keyOf(s.schema, s.name)) && readsSequence(expr, s)) return true;
    return false;
  }

  private columnDropped(table: ObjectKey, column: string): boolean {
    const now = this.from.tables.get(table);
    const want = this.to.tables.get(table);
    const col = now?.columns.find((c) => c.name === column);
    return !!col && !!want && !want.columns.some((c) => c.id === col.id);
  }

  private table(key: ObjectKey, now: Table | undefined, want: Table | undefined): void {
    if (now && !want) {
      this.drop[5]!.push(tx(`DROP ${now.kind === "foreign" ? "FOREIGN TABLE" : "TABLE"} IF EXISTS ${this.old.relation(key)}`));
      return;
    }
    if (!now && want) {
      this.recreateTable(key, want);
      return;
    }
    if (now && want) this.alterTable(key, now, want);
  }

  private recreateTable(key: ObjectKey, t: Table): void {
    const serial = new Set<string>();
    for (const col of t.columns) {
      const s = this.serialSequenceFor(t, col);
      if (s && this.implicitSequences.has(keyOf(s.schema, s.name))) serial.add(col.name);
    }
    if (t.createdAs && t.columns.length === 0) {
      this.out.impossible.push(`the columns of ${this.neu.relation(key)} (CREATE TABLE AS) are not known`);
      this.unrestorable.add(key);
      return;
    }
    const untyped = t.columns.filter((c) => c.typeUnknown).map((c) => quoteName(c.name));
    if (untyped.length) {
      this.out.impossible.push(`the type of ${this.neu.relation(key)}.${untyped.join(", ")} (CREATE TABLE AS) is not known, so the table cannot be re-created`);
      this.unrestorable.add(key);
      return;
    }
    this.out.lost.push(`the rows of ${this.neu.relation(key)} are gone (the table comes back empty)`);
    this.create[4]!.push(tx(this.neu.createTable(t, { serialColumns: serial, ifNotExists: true })));
    const name = this.neu.relation(key);
    for (const c of t.constraints) {
      if (isInlineConstraint(t, c)) continue;
      this.create[c.type === "foreign" ? 8 : 6]!.push(tx(`ALTER TABLE ${name} ADD ${this.neu.constraintDef(c)}`));
    }
    for (const c of t.constraints) if (c.comment !== undefined) this.create[12]!.push(tx(this.neu.comment(`CONSTRAINT ${quoteName(c.name)} ON ${name}`, c.comment)));
    for (const col of t.columns) {
      if (col.comment !== undefined) this.create[12]!.push(tx(this.neu.comment(`COLUMN ${name}.${quoteName(col.name)}`, col.comment)));
      this.columnOptions(name, undefined, col);
    }
    for (const tr of t.triggers) this.addTrigger(key, tr);
    for (const p of t.policies) this.create[11]!.push(tx(this.neu.createPolicy(key, p)));
    this.tableProperties(key, undefined, t);
    // Foreign keys of other tables that pointed at this one (dropped by CASCADE) are re-added by
    // alterTable of those tables: they changed too.
  }

  private addTrigger(key: ObjectKey, tr: Trigger): void {
    this.create[11]!.push(tx(this.neu.createTrigger(key, tr)));
    if (tr.enabled !== "origin") this.create[11]!.push(tx(`ALTER TABLE ${this.neu.relation(key)} ${triggerState(tr.enabled)} TRIGGER ${quoteName(tr.name)}`));
    if (tr.comment !== undefined) this.create[12]!.push(tx(this.neu.comment(`TRIGGER ${quoteName(tr.name)} ON ${this.neu.relation(key)}`, tr.comment)));
  }

  private tableProperties(key: ObjectKey, now: Table | undefined, want: Table): void {
    const name = this.neu.relation(key);
    const kind = want.kind === "foreign" ? "FOREIGN TABLE" : "TABLE";
    if ((now?.rowSecurity ?? false) !== want.rowSecurity) this.create[13]!.push(tx(`ALTER TABLE ${name} ${want.rowSecurity ? "ENABLE" : "DISABLE"} ROW LEVEL SECURITY`));
    if ((now?.forceRowSecurity ?? false) !== want.forceRowSecurity) this.create[13]!.push(tx(`ALTER TABLE ${name} ${want.forceRowSecurity ? "" : "NO "}FORCE ROW LEVEL SECURITY`));
    if (now) {
      if (now.unlogged !== want.unlogged) this.create[5]!.push(tx(`ALTER TABLE ${name} SET ${want.unlogged ? "UNLOGGED" : "LOGGED"}`));
      if (!sameNode(now.options, want.options)) {
        const names = (o: Table["options"]): string[] => (o ?? []).map((n) => defElemSql(n).split("=")[0]!.trim());
        const reset = names(now.options).filter((n) => !names(want.options).includes(n));
        if (reset.length) this.create[5]!.push(tx(`ALTER TABLE ${name} RESET (${reset.join(", ")})`));
        if (want.options?.length) this.create[5]!.push(tx(`ALTER TABLE ${name} SET (${want.options.map((o) => defElemSql(o)).join(", ")})`));
      }
      if (now.partitionOf?.parent !== want.partitionOf?.parent) {
        if (now.partitionOf) this.create[5]!.push(tx(`ALTER TABLE ${this.neu.relation(now.partitionOf.parent)} DETACH PARTITION ${name}`));
        if (want.partitionOf) this.out.impossible.push(`re-attaching partition ${name} is not generated`);
      }
    }
    this.commentAndGrants(`${kind} ${name}`, now?.comment, want.comment, now?.grants ?? new Map(), want.grants);
  }


  private alterTable(key: ObjectKey, now: Table, want: Table): void {
    const oldName = this.old.relation(key);
    const name = this.neu.relation(key);
    // Columns, matched by identity (through maps: a find per column was quadratic on wide tables; the
    // first column of an id wins, as find did).
    const wantIds = new Set(want.columns.map((c) => c.id));
    const nowById = new Map<Column["id"], Column>();
    for (const c of now.columns) if (!nowById.has(c.id)) nowById.set(c.id, c);
    for (const col of now.columns) {
      if (wantIds.has(col.id)) continue;
      this.drop[6]!.push(tx(`ALTER TABLE ${oldName} DROP COLUMN IF EXISTS ${quoteName(col.name)}`));
    }
    for (const col of want.columns) {
      const cur = nowById.get(col.id);
      if (!cur) this.addColumn(key, want, col);
      // The replay keeps an untouched column's object: nothing of it to restore (wide tables made this the hot path).
      else if (cur !== col) this.alterColumn(key, want, cur, col);
    }
    // Constraints, matched by name.
    for (const c of now.constraints) {
      const w = want.constraints.find((x) => x.name === c.name);
      if (w && sameConstraint(c, w)) continue;
      this.drop[c.type === "foreign" ? 2 : 4]!.push(tx(`ALTER TABLE ${oldName} DROP CONSTRAINT IF EXISTS ${quoteName(c.name)}`));
    }
    for (const c of want.constraints) {
      const n = now.constraints.find((x) => x.name === c.name);
      if (n && sameConstraint(n, c)) {
        if (n.comment !== c.comment) this.create[12]!.push(tx(this.neu.comment(`CONSTRAINT ${quoteName(c.name)} ON ${name}`, c.comment)));
        continue;
      }
      if (c.foreignKey && this.unrestorable.has(c.foreignKey.table)) {
        this.out.impossible.push(`foreign key ${quoteName(c.name)} on ${name} references ${this.neu.relation(c.foreignKey.table)}, which the down cannot re-create`);
        continue;
      }
      this.create[c.type === "foreign" ? 8 : 6]!.push(tx(`ALTER TABLE ${name} ADD ${this.neu.constraintDef(c)}`));
      if (c.comment !== undefined) this.create[12]!.push(tx(this.neu.comment(`CONSTRAINT ${quoteName(c.name)} ON ${name}`, c.comment)));
    }
    // NOT NULL constraint names (PostgreSQL 18) follow columns; a rename of one is mirrored.
    // Triggers and policies, by name.
    this.triggers(key, now, want);
    this.policies(key, now, want);
    this.tableProperties(key, now, want);
  }

  private addColumn(key: ObjectKey, t: Table, col: Column): void {
    const name = this.neu.relation(key);
    if (col.typeUnknown) {
      this.out.impossible.push(`the type of ${name}.${quoteName(col.name)} (CREATE TABLE AS) is not known, so the column cannot be re-added`);
      return;
    }
    const s = this.serialSequenceFor(t, col);
    const serial = s && this.implicitSequences.has(keyOf(s.schema, s.name)) ? serialTypeFor(col.type) : undefined;
    const identitySequence = col.identity ? this.neu.identitySequenceOf(t, col) : undefined;
    const canBeNotNull = !col.notNull || !!col.default || !!serial || !!col.identity || !!col.generated;
    const def = this.neu.columnDef(t, col, { ...(serial ? { serial } : {}), ...(identitySequence ? { identitySequence } : {}), nullable: !canBeNotNull });
    this.out.lost.push(`the values of ${name}.${quoteName(col.name)} are gone (the column comes back ${canBeNotNull && col.default ? "with its default" : "empty"})`);
    if (!canBeNotNull) {
      this.create[5]!.push(
        tx(
          `ALTER TABLE ${name} ADD COLUMN IF NOT EXISTS ${def}`,
          `${col.name} was NOT NULL without a default: it is re-added nullable (NOT NULL would fail on a non-empty table), and NOT NULL is restored only if the table is empty`,
        ),
      );
      this.create[5]!.push(tx(guardedSetNotNull(name, quoteName(col.name))));
    } else {
      this.create[5]!.push(tx(`ALTER TABLE ${name} ADD COLUMN IF NOT EXISTS ${def}`));
    }
    if (col.comment !== undefined) this.create[12]!.push(tx(this.neu.comment(`COLUMN ${name}.${quoteName(col.name)}`, col.comment)));
    this.columnOptions(name, undefined, col);
  }

  private columnOptions(name: string, now: Column | undefined, col: Column): void {
    const c = quoteName(col.name);
    if ((now?.statistics ?? -1) !== (col.statistics ?? -1)) this.create[5]!.push(tx(`ALTER TABLE ${name} ALTER COLUMN ${c} SET STATISTICS ${col.statistics ?? -1}`));
    if (now?.storage !== col.storage && (now || col.storage)) this.create[5]!.push(tx(`ALTER TABLE ${name} ALTER COLUMN ${c} SET STORAGE ${(col.storage ?? "default").toUpperCase()}`));
    if (now && now.compression !== col.compression) this.create[5]!.push(tx(`ALTER TABLE ${name} ALTER COLUMN ${c} SET COMPRESSION ${col.compression ?? "default"}`));
    else if (!now && col.compression) this.create[5]!.push(tx(`ALTER TABLE ${name} ALTER COLUMN ${c} SET COMPRESSION ${col.compression}`));
  }

  private alterColumn(key: ObjectKey, t: Table, now: Column, want: Column): void {
    const name = this.neu.relation(key);
    let c = quoteName(now.name);
    if (now.name !== want.name) {
      this.create[5]!.push(tx(`ALTER TABLE ${name} RENAME COLUMN ${c} TO ${quoteName(want.name)}`));
      c = quoteName(want.name);
    }
    const col = `ALTER TABLE ${name} ALTER COLUMN ${c}`;
    if (now.generated && !want.generated) {
      this.out.impossible.push(`${name}.${c} was a generated column; PostgreSQL cannot make a column generated again`);
    } else if (want.generated && now.generated && !sameNode(now.generated.expression, want.generated.expression)) {
      this.create[5]!.push(tx(`${col} SET EXPRESSION AS (${exprSql(want.generated.expression)})`));
    }
    if (now.identity && !want.identity) this.create[5]!.push(tx(`${col} DROP IDENTITY IF EXISTS`));
    if (want.typeUnknown && now.type !== want.type) {
      this.out.impossible.push(`the type ${name}.${c} had before (CREATE TABLE AS) is not known, so it cannot be changed back`);
    } else if (now.type !== want.type || now.collation !== want.collation) {
      const custom = this.options.usingFor?.(key, want.name);
      // There is no cast from an enum to another type but text: go through text.
      const fromEnum = !!now.typeRef && this.from.types.get(now.typeRef)?.kind === "enum";
      const using = custom ?? (fromEnum && want.type !== "text" ? `${c}::text::${want.type}` : `${c}::${want.type}`);
      const collate = want.collation ? ` COLLATE ${want.collation}` : "";
      // A transform's default may not cast to the old type: drop it first, set the old one after.
      const resetDefault = !!now.default && now.type !== want.type && custom !== undefined;
      const around = this.options.aroundTypeChange?.(key, want.name);
      const about = (aspect: "type" | "default"): InverseStatement["about"] => ({ table: key, column: want.name, aspect });
      if (resetDefault) this.create[5]!.push({ ...tx(`${col} DROP DEFAULT`), about: about("default") });
      for (const sql of around?.before ?? []) this.create[5]!.push(tx(sql));
      this.create[5]!.push({ ...tx(`${col} TYPE ${want.type}${collate} USING ${using}`), about: about("type") });
      for (const sql of around?.after ?? []) this.create[5]!.push(tx(sql));
      if (resetDefault && want.default) this.create[5]!.push({ ...tx(`${col} SET DEFAULT ${exprSql(want.default)}`), about: about("default") });
      if (now.type !== want.type) this.out.typeChanges.push({ table: key, column: want.name, from: now.type, to: want.type });
    }
    if (!sameNode(this.afterLabelRenames(now), want.default) && !(now.default && now.type !== want.type && this.options.usingFor?.(key, want.name) !== undefined)) {
      const about: InverseStatement["about"] = { table: key, column: want.name, aspect: "default" };
      // A default reading a sequence this down drops must go before the sequence (or the column or table
      // owning it) does: PostgreSQL refuses the drop while the default depends on it (2BP01).
      const early = !!now.default && this.dropsSequenceRead(now.default);
      if (early) this.drop[0]!.push({ ...tx(`ALTER TABLE ${this.old.relation(key)} ALTER COLUMN ${quoteName(now.name)} DROP DEFAULT`), about });
      if (want.default || !early) this.create[5]!.push({ ...tx(want.default ? `${col} SET DEFAULT ${exprSql(want.default)}` : `${col} DROP DEFAULT`), about });
    }
    if (!now.notNull && want.notNull && !want.identity) this.create[5]!.push(tx(`${col} SET NOT NULL`));
    if (now.notNull && !want.notNull && !now.identity) this.create[5]!.push(tx(`${col} DROP NOT NULL`));
    if (!now.identity && want.identity) {
      const seq = this.neu.identitySequenceOf(t, want);
      const opts = seq ? [this.identitySequenceName(t, want, seq), sequenceOptionsSql(seq.options, want.type)].filter(Boolean).join(" ") : "";
      this.create[5]!.push(tx(`${col} ADD GENERATED ${want.identity === "always" ? "ALWAYS" : "BY DEFAULT"} AS IDENTITY${opts ? ` (${opts})` : ""}`));
    } else if (now.identity && want.identity && now.identity !== want.identity) {
      this.create[5]!.push(tx(`${col} SET GENERATED ${want.identity === "always" ? "ALWAYS" : "BY DEFAULT"}`));
    }
    if (now.comment !== want.comment) this.create[12]!.push(tx(this.neu.comment(`COLUMN ${name}.${c}`, want.comment)));
    this.columnOptions(name, now, want);
  }

  /**
   * `SEQUENCE NAME …` when ADD GENERATED would not pick the sequence's name by itself: PostgreSQL
   * names it `<table>_<column>_seq`, with a number added when that name is taken when the down runs.
   */
  private identitySequenceName(t: Table, col: Column, seq: Sequence): string {
    const usual = makeObjectName(t.name, col.name, "seq");
    if (seq.schema === t.schema && seq.name === usual && !relationNameTaken(this.from, seq.schema, usual)) return "";
    return `SEQUENCE NAME ${this.neu.name(seq.schema, seq.name)}`;
  }

  private triggers(key: ObjectKey, now: Table, want: Table): void {
    const oldName = this.old.relation(key);
    const name = this.neu.relation(key);
    for (const tr of now.triggers) {
      const w = want.triggers.find((x) => x.name === tr.name);
      if (w && sameNode(w.statement, tr.statement)) continue;
      this.drop[1]!.push(tx(`DROP TRIGGER IF EXISTS ${quoteName(tr.name)} ON ${oldName}`));
    }
    for (const tr of want.triggers) {
      const n = now.triggers.find((x) => x.name === tr.name);
      if (!n || !sameNode(n.statement, tr.statement)) {
        this.addTrigger(key, tr);
        continue;
      }
      if (n.enabled !== tr.enabled) this.create[11]!.push(tx(`ALTER TABLE ${name} ${triggerState(tr.enabled)} TRIGGER ${quoteName(tr.name)}`));
      if (n.comment !== tr.comment) this.create[12]!.push(tx(this.neu.comment(`TRIGGER ${quoteName(tr.name)} ON ${name}`, tr.comment)));
    }
  }

  private policies(key: ObjectKey, now: Table, want: Table): void {
    const oldName = this.old.relation(key);
    const name = this.neu.relation(key);
    for (const p of now.policies) {
      const w = want.policies.find((x) => x.name === p.name);
      if (w && (samePolicy(w, p) || alterablePolicy(p, w))) continue;
      this.drop[1]!.push(tx(`DROP POLICY IF EXISTS ${quoteName(p.name)} ON ${oldName}`));
    }
    for (const p of want.policies) {
      const n = now.policies.find((x) => x.name === p.name);
      if (n && samePolicy(n, p)) {
        if (n.comment !== p.comment) this.create[12]!.push(tx(this.neu.comment(`POLICY ${quoteName(p.name)} ON ${name}`, p.comment)));
        continue;
      }
      if (n && alterablePolicy(n, p)) {
        const parts: string[] = [];
        if (n.roles.join() !== p.roles.join()) parts.push(`TO ${p.roles.map((r) => (r === "public" ? "PUBLIC" : quoteName(r))).join(", ")}`);
        if (!sameNode(n.using, p.using)) parts.push(`USING (${p.using ? exprSql(p.using) : "true"})`);
        if (!sameNode(n.withCheck, p.withCheck)) parts.push(`WITH CHECK (${p.withCheck ? exprSql(p.withCheck) : "true"})`);
        this.create[11]!.push(tx(`ALTER POLICY ${quoteName(p.name)} ON ${name} ${parts.join(" ")}`));
      } else {
        this.create[11]!.push(tx(this.neu.createPolicy(key, p)));
      }
      if (p.comment !== undefined && n?.comment !== p.comment) this.create[12]!.push(tx(this.neu.comment(`POLICY ${quoteName(p.name)} ON ${name}`, p.comment)));
    }
  }

  // ── indexes, views ─────────────────────────────────────────────────────────

  private readonly createdIndexes = new Set<ObjectKey>();

  private indexes(): void {
    for (const c of diffMaps(this.from.indexes, this.to.indexes)) {
      const now = c.before;
      const want = c.after;
      // Indexes go with their table, view or constraint; only stand-alone ones are dropped here.
      if (now && (!want || !sameIndex(now, want)) && !now.constraint && (this.to.tables.has(now.table) || this.to.views.has(now.table))) {
        const concurrently = !!this.options.concurrently;
        this.drop[3]!.push({ sql: `DROP INDEX ${concurrently ? "CONCURRENTLY " : ""}IF EXISTS ${this.old.name(now.schema, now.name)}`, transactional: !concurrently });
      }
      if (want && (!now || !sameIndex(now, want))) {
        if (!want.constraint) this.createIndex(want);
      } else if (now && want && now.comment !== want.comment) {
        this.create[12]!.push(tx(this.neu.comment(`INDEX ${this.neu.name(want.schema, want.name)}`, want.comment)));
      }
    }
  }

  /**
   * PostgreSQL rebuilds the indexes on a column whose type changes from their definition text, so an
   * expression written against the old type comes back with casts (`f((c)::character varying)`). After
   * changing a type back, expression and partial indexes on the column are re-created from their
   * original definition so they read as before.
   */
  private rebuildExpressionIndexes(): void {
    for (const change of this.out.typeChanges) {
      for (const i of this.to.indexes.values()) {
        if (i.table !== change.table || i.constraint) continue;
        const key = keyOf(i.schema, i.name);
        if (this.createdIndexes.has(key)) continue;
        const readsColumn = (n: Node | undefined): boolean => !!n && columnsRead(n).includes(change.column);
        const expressionOnColumn =
          i.params.some((p) => {
            const el = asNode(p, "IndexElem");
            return !!el?.expr && readsColumn(el.expr);
          }) || readsColumn(i.predicate);
        if (!expressionOnColumn) continue;
        const old = this.from.indexes.get(key) ?? i;
        this.create[7]!.push(tx(`DROP INDEX IF EXISTS ${this.old.name(old.schema, old.name)}`));
        this.createIndex(i);
      }
    }
  }

  private createIndex(i: Index): void {
    const key = keyOf(i.schema, i.name);
    if (this.createdIndexes.has(key) || this.unrestorable.has(i.table)) return;
    this.createdIndexes.add(key);
    const concurrently = !!this.options.concurrently;
    const phase = this.to.views.has(i.table) ? 10 : 7;
    this.create[phase]!.push({ sql: this.neu.createIndex(i, { concurrently, ifNotExists: true }), transactional: !concurrently });
    if (i.comment !== undefined) this.create[12]!.push(tx(this.neu.comment(`INDEX ${this.neu.name(i.schema, i.name)}`, i.comment)));
  }

  private views(): void {
    const changes = diffMaps(this.from.views, this.to.views);
    const dropped = new Set<ObjectKey>();
    const created = new Set<ObjectKey>();
    const skipped = new Set<ObjectKey>();
    for (const c of changes) {
      if (c.before && (!c.after || !sameView(c.before, c.after))) dropped.add(c.key);
      if (c.after && (!c.before || !sameView(c.before, c.after))) created.add(c.key);
    }
    // A view that is dropped and re-created takes the views reading it along.
    let grew = true;
    while (grew) {
      grew = false;
      for (const v of this.from.views.values()) {
        const k = keyOf(v.schema, v.name);
        if (dropped.has(k) || !v.dependsOn.some((d) => dropped.has(d))) continue;
        dropped.add(k);
        if (this.to.views.has(k)) created.add(k);
        grew = true;
      }
    }
    for (const k of orderViews(this.from, dropped).reverse()) {
      const v = this.from.views.get(k)!;
      this.drop[0]!.push(tx(`DROP ${v.materialized ? "MATERIALIZED VIEW" : "VIEW"} IF EXISTS ${this.old.name(v.schema, v.name)}`));
    }
    for (const k of orderViews(this.to, created)) {
      const v = this.to.views.get(k)!;
      const missing = v.dependsOn.filter((d) => this.unrestorable.has(d) || skipped.has(d));
      if (missing.length) {
        skipped.add(k);
        this.out.impossible.push(`${this.neu.name(v.schema, v.name)} reads ${missing.map((d) => this.neu.relation(d)).join(", ")}, which the down cannot re-create`);
        continue;
      }
      const prev = this.from.views.get(k);
      this.create[9]!.push(tx(this.neu.createView(v)));
      const name = this.neu.name(v.schema, v.name);
      const kind = v.materialized ? "MATERIALIZED VIEW" : "VIEW";
      this.commentAndGrants(`${kind} ${name}`, undefined, v.comment, new Map(), v.grants);
      for (const [col, text] of v.columnComments ?? []) this.create[12]!.push(tx(this.neu.comment(`COLUMN ${name}.${quoteName(col)}`, text)));
      // Indexes of a re-created materialized view come back with it.
      if (v.materialized && prev) for (const i of this.to.indexes.values()) if (i.table === k) this.createIndex(i);
    }
    for (const c of changes) {
      if (!c.before || !c.after || dropped.has(c.key)) continue;
      const name = this.neu.name(c.after.schema, c.after.name);
      const kind = c.after.materialized ? "MATERIALIZED VIEW" : "VIEW";
      if (c.before.name !== c.after.name) this.create[9]!.push(tx(`ALTER ${kind} ${this.old.name(c.before.schema, c.before.name)} RENAME TO ${quoteName(c.after.name)}`));
      this.commentAndGrants(`${kind} ${name}`, c.before.comment, c.after.comment, c.before.grants, c.after.grants);
    }
  }

  // ── comments and grants ────────────────────────────────────────────────────

  private commentAndGrants(what: string, oldComment: string | undefined, comment: string | undefined, oldGrants: Grants, grants: Grants): void {
    if (oldComment !== comment) this.create[12]!.push(tx(this.neu.comment(what, comment)));
    const onWhat = what.replace(/^(TABLE|VIEW|MATERIALIZED VIEW|FOREIGN TABLE) /, "TABLE ");
    for (const [who, privs] of grants) {
      const had = oldGrants.get(who) ?? [];
      const add = privs.filter((p) => !had.includes(p));
      if (add.length) this.create[12]!.push(tx(this.neu.grant(onWhat, who, add)));
    }
    for (const [who, had] of oldGrants) {
      const keep = grants.get(who) ?? [];
      const remove = had.filter((p) => !keep.includes(p));
      if (remove.length) this.create[12]!.push(tx(this.neu.revoke(onWhat, who, remove)));
    }
  }
}


function kindWord(f: FunctionDef): string {
  return f.kind === "procedure" ? "PROCEDURE" : f.kind === "aggregate" ? "AGGREGATE" : "FUNCTION";
}

function triggerState(s: Trigger["enabled"]): string {
  return s === "disabled" ? "DISABLE" : s === "always" ? "ENABLE ALWAYS" : s === "replica" ? "ENABLE REPLICA" : "ENABLE";
}

function sameConstraint(a: Constraint, b: Constraint): boolean {
  if (a === b) return true;
  const { comment: _a, ...x } = a;
  const { comment: _b, ...y } = b;
  return sameNode(x, y);
}

function sameIndex(a: Index, b: Index): boolean {
  const { comment: _a, origin: _o, ...x } = a;
  const { comment: _b, origin: _p, ...y } = b;
  return sameNode(x, y);
}

function sameView(a: View, b: View): boolean {
  return (
    a.materialized === b.materialized &&
    a.name === b.name &&
    a.schema === b.schema &&
    sameNode(a.query, b.query) &&
    sameNode(a.columns, b.columns) &&
    sameNode(a.options, b.options) &&
    a.checkOption === b.checkOption &&
    !!a.withNoData === !!b.withNoData
  );
}

function samePolicy(a: Policy, b: Policy): boolean {
  const { comment: _a, ...x } = a;
  const { comment: _b, ...y } = b;
  return sameNode(x, y);
}

/** ALTER POLICY can change roles, USING and WITH CHECK (it cannot remove a clause or change the command). */
function alterablePolicy(now: Policy, want: Policy): boolean {
  return now.command === want.command && now.permissive === want.permissive && (!now.using || !!want.using) && (!now.withCheck || !!want.withCheck);
}

/** Views in dependency order (what a view reads comes first). */
function orderViews(c: Catalog, keys: ReadonlySet<ObjectKey>): ObjectKey[] {
  const out: ObjectKey[] = [];
  const seen = new Set<ObjectKey>();
  const visit = (k: ObjectKey): void => {
    if (seen.has(k)) return;
    seen.add(k);
    for (const d of c.views.get(k)?.dependsOn ?? []) if (keys.has(d)) visit(d);
    out.push(k);
  };
  for (const k of [...keys].sort()) visit(k);
  return out;
}

/** `DO $$ … $$`: SET NOT NULL only when the table is empty, else say why not. */
export function guardedSetNotNull(table: string, column: string): string {
  const body = `BEGIN
  IF NOT EXISTS (SELECT 1 FROM ${table}) THEN
    ALTER TABLE ${table} ALTER COLUMN ${column} SET NOT NULL;
  ELSE
    RAISE NOTICE ${literal(`${table}.${column} stays nullable: the table has rows and the old values are gone`)};
  END IF;
END`;
  return `DO ${dollarQuote(body)}`;
}

export function dollarQuote(body: string): string {
  let tag = "$$";
  for (let i = 0; body.includes(tag); i++) tag = `$ml${i || ""}$`;
  return `${tag}\n${body}\n${tag}`;
}

/** The commented-out recipe for removing enum values PostgreSQL cannot drop. */
function enumRecipe(c: Catalog, e: Extract<TypeDef, { kind: "enum" }>, added: string[], r: Renderer): string[] {
  const name = r.name(e.schema, e.name);
  const old = r.name(e.schema, `${e.name}_old`);
  const users: string[] = [];
  const key = keyOf(e.schema, e.name);
  for (const t of c.tables.values()) {
    for (const col of t.columns) if (col.typeRef === key) users.push(`${r.relation(keyOf(t.schema, t.name))}.${quoteName(col.name)}`);
  }
  const lines = [
    `PostgreSQL cannot drop an enum value. To remove ${added.map(literal).join(", ")} from ${name}, once no row uses it:`,
    ...users.map((u) => {
      const [tbl, col] = splitColumn(u);
      return `DO $$ BEGIN IF EXISTS (SELECT 1 FROM ${tbl} WHERE ${col}::text IN (${added.map(literal).join(", ")})) THEN RAISE EXCEPTION ${literal(`value still in use in ${u}`)}; END IF; END $$;`;
    }),
    `ALTER TYPE ${name} RENAME TO ${quoteName(`${e.name}_old`)};`,
    `CREATE TYPE ${name} AS ENUM (${e.labels.map(literal).join(", ")});`,
  ];
  for (const u of users) {
    const [tbl, col] = splitColumn(u);
    lines.push(`ALTER TABLE ${tbl} ALTER COLUMN ${col} TYPE ${name} USING ${col}::text::${name};`);
  }
  lines.push(`DROP TYPE ${old};`);
  return lines;
}

function splitColumn(u: string): [string, string] {
  const at = u.lastIndexOf(".");
  return [u.slice(0, at), u.slice(at + 1)];
}

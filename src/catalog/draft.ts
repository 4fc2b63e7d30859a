/**
 * A catalog being changed by one statement. It is itself a `Catalog` (name resolution and default
 * names read the state so far, e.g. the second unnamed unique constraint of a CREATE TABLE sees the
 * first), every write replaces one entry of one persistent map, and `finish()` freezes the result.
 * Nothing of the base catalog is ever modified.
 */
import type { Statement } from "../parse/types.js";
import { indexesOfTable } from "./lookup.js";
import { Resolver, keyOf } from "./names.js";
import type { PMap} from "./pmap.js";
import { toPMap } from "./pmap.js";
import type {
  Catalog,
  Column,
  Extension,
  FunctionDef,
  Index,
  ObjectKey,
  Origin,
  SchemaDef,
  Sequence,
  Table,
  TypeDef,
  UnmodelledStatement,
  View,
} from "./types.js";

export interface ApplyEnv {
  migrationId: string;
  path: string;
  searchPath: readonly string[];
  statement: Statement;
}

export class Draft implements Catalog {
  schemas: PMap<SchemaDef>;
  tables: PMap<Table>;
  indexes: PMap<Index>;
  types: PMap<TypeDef>;
  sequences: PMap<Sequence>;
  views: PMap<View>;
  functions: PMap<FunctionDef>;
  extensions: PMap<Extension>;
  unmodelled: readonly UnmodelledStatement[];
  session: Catalog["session"];
  readonly resolver: Resolver;
  readonly origin: Origin;

  constructor(
    readonly base: Catalog,
    readonly env: ApplyEnv,
  ) {
    this.schemas = toPMap(base.schemas);
    this.tables = toPMap(base.tables);
    this.indexes = toPMap(base.indexes);
    this.types = toPMap(base.types);
    this.sequences = toPMap(base.sequences);
    this.views = toPMap(base.views);
    this.functions = toPMap(base.functions);
    this.extensions = toPMap(base.extensions);
    this.unmodelled = base.unmodelled;
    this.session = base.session;
    const searchPath = base.session?.migrationId === env.migrationId ? base.session.searchPath : env.searchPath;
    this.resolver = new Resolver(this, searchPath);
    this.origin = { migrationId: env.migrationId, path: env.path, line: env.statement.range.start.line };
  }

  finish(): Catalog {
    const b = this.base;
    if (
      this.schemas === b.schemas &&
      this.tables === b.tables &&
      this.indexes === b.indexes &&
      this.types === b.types &&
      this.sequences === b.sequences &&
      this.views === b.views &&
      this.functions === b.functions &&
      this.extensions === b.extensions &&
      this.unmodelled === b.unmodelled &&
      this.session === b.session
    ) {
      return b;
    }
    const out: Catalog = {
      schemas: this.schemas,
      tables: this.tables,
      indexes: this.indexes,
      types: this.types,
      sequences: this.sequences,
      views: this.views,
      functions: this.functions,
      extensions: this.extensions,
      unmodelled: this.unmodelled,
      ...(this.session ? { session: this.session } : {}),
    };
    return out;
  }

  /** Records that the statement (or part of it) was not modelled. */
  unmodelledStatement(reason: string, tag: string = this.env.statement.tag): void {
    // Inside a DO block (an EXCEPTION handler or an IF around it), "already exists" is the case the
    // guard is there for: the statement does nothing, which is exactly what the replay did.
    if (this.env.statement.guard && reason.includes("already exists")) return;
    this.unmodelled = [
      ...this.unmodelled,
      { migrationId: this.env.migrationId, path: this.env.path, line: this.env.statement.range.start.line, tag, reason },
    ];
  }

  // ── tables ─────────────────────────────────────────────────────────────────

  updateTable(key: ObjectKey, fn: (t: Table) => Table): Table | undefined {
    const t = this.tables.get(key);
    if (!t) return undefined;
    const next = fn(t);
    if (next !== t) this.tables = this.tables.set(key, next);
    return next;
  }

  updateColumn(key: ObjectKey, column: string, fn: (c: Column) => Column): void {
    this.updateTable(key, (t) => {
      const i = t.columns.findIndex((c) => c.name === column);
      if (i < 0) return t;
      const next = fn(t.columns[i]!);
      if (next === t.columns[i]) return t;
      const columns = t.columns.slice();
      columns[i] = next;
      return { ...t, columns };
    });
  }

  /** Indexes on a table or materialized view, sorted by name. */
  indexesOn(key: ObjectKey): Index[] {
    return indexesOfTable(this.indexes, key).sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  indexKey(i: { schema: string; name: string }): ObjectKey {
    return keyOf(i.schema, i.name);
  }

  /** Sequences owned by a table's columns (serial and identity ones). */
  sequencesOwnedBy(key: ObjectKey, column?: string): Sequence[] {
    const out: Sequence[] = [];
    // forEach walks the trie's leaves directly; `values()` is a generator, an object per sequence.
    this.sequences.forEach((s) => {
      if (s.ownedBy?.table === key && (column === undefined || s.ownedBy.column === column)) out.push(s);
    });
    return out;
  }
}

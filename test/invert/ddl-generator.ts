/**
 * Random migrations for the property test: each step is one or two statements chosen from the DDL the
 * down generator supports, always valid against the schema so far (the generator replays what it
 * emits with the catalog replay, and picks its targets from the result). Tables stay empty, so every
 * statement PostgreSQL accepts on an empty database is fair game.
 */
import type { Node } from "@pgsql/types";
import { exprSql } from "../../src/catalog/render.js";
import { applyStatement, emptyCatalog } from "../../src/catalog/replay.js";
import type { Catalog, Table } from "../../src/catalog/types.js";
import { parseSql } from "../../src/parse/parse.js";
import { SourceText } from "../../src/parse/source.js";

/** mulberry32: small, fast, good enough for choosing. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TYPES = ["integer", "bigint", "smallint", "text", "varchar(40)", "varchar(200)", "boolean", "timestamptz", "timestamp", "numeric(10,2)", "numeric", "jsonb", "uuid", "date", "real"];
const DEFAULTS: Record<string, string[]> = {
  integer: ["0", "42"],
  bigint: ["0"],
  smallint: ["1"],
  text: ["''", "'x'"],
  "varchar(40)": ["'a'"],
  "varchar(200)": ["'b'"],
  boolean: ["false", "true"],
  timestamptz: ["now()"],
  timestamp: ["now()"],
  "numeric(10,2)": ["0"],
  numeric: ["1.5"],
  jsonb: ["'{}'::jsonb"],
  uuid: [],
  date: ["CURRENT_DATE"],
  real: ["0"],
};
/** Type changes PostgreSQL performs without USING on an empty table (and the widening ones). */
const TYPE_CHANGES: Record<string, string[]> = {
  integer: ["bigint", "numeric", "text", "smallint"],
  smallint: ["integer", "bigint"],
  bigint: ["integer", "numeric(20,0)"],
  text: ["varchar(100)", "varchar(40)"],
  "character varying(40)": ["text", "varchar(80)", "varchar(10)"],
  "character varying(200)": ["text", "varchar(20)"],
  "timestamp without time zone": ["timestamptz", "timestamp(3)"],
  "timestamp with time zone": ["timestamp", "timestamptz(3)"],
  "numeric(10,2)": ["numeric(12,2)", "numeric", "numeric(10,4)"],
  real: ["double precision"],
  date: ["timestamp"],
};

export interface Generated {
  history: string;
  ups: string[];
  /** Per up, the families the generator wrote into it that its text does not show. */
  families: string[][];
}

class Gen {
  catalog: Catalog = emptyCatalog();
  private n = 0;
  constructor(
    private readonly r: () => number,
    private readonly schema: string,
  ) {}

  /** Families of the current migration that its text does not show (the property test counts them). */
  families = new Set<string>();
  family(name: string): void {
    this.families.add(name);
  }

  pick<T>(xs: readonly T[]): T | undefined {
    return xs.length ? xs[Math.floor(this.r() * xs.length)] : undefined;
  }
  chance(p: number): boolean {
    return this.r() < p;
  }
  id(prefix: string): string {
    return `${prefix}${++this.n}`;
  }
  q(name: string): string {
    return `${this.schema}.${name}`;
  }

  apply(sql: string): void {
    const parsed = parseSql(new SourceText(sql, "gen.sql"));
    if (parsed.syntaxErrors.length) throw new Error(`generator wrote bad SQL: ${sql}\n${parsed.syntaxErrors[0]!.message}`);
    for (const s of parsed.statements) this.catalog = applyStatement(this.catalog, s, { migrationId: "gen", path: "gen.sql", searchPath: ["public"] });
  }

  /** Views, policies or foreign keys elsewhere that a DROP without CASCADE would trip over. */
  hasDependants(t: Table): boolean {
    const key = `${t.schema}.${t.name}`;
    if ([...this.catalog.views.values()].some((v) => v.dependsOn.includes(key))) return true;
    if (t.policies.length) return true;
    // A default anywhere reading a sequence this table owns (serial) goes only with CASCADE.
    if ([...this.catalog.sequences.values()].some((s) => s.ownedBy?.table === key && this.sequenceUsers(s.name).length)) return true;
    return [...this.catalog.tables.values()].some((x) => x !== t && x.constraints.some((c) => c.foreignKey?.table === key));
  }

  /** The columns (`table.column`) whose default is `nextval` of sequence `name` of this schema. */
  sequenceUsers(name: string): string[] {
    return this.tables().flatMap((t) => t.columns.filter((c) => nextvalOf(c.default) === name).map((c) => `${t.name}.${c.name}`));
  }

  tables(): Table[] {
    return [...this.catalog.tables.values()].filter((t) => t.schema === this.schema).sort((a, b) => (a.name < b.name ? -1 : 1));
  }
  enums(): string[] {
    return [...this.catalog.types.values()].filter((t) => t.schema === this.schema && t.kind === "enum").map((t) => t.name).sort();
  }

  columnDef(t: Table | undefined): string {
    const type = this.pick(TYPES)!;
    const enumType = this.chance(0.15) ? this.pick(this.enums()) : undefined;
    const name = this.id("c");
    let sql = `${name} ${enumType ? this.q(enumType) : type}`;
    // An enum column's default is one of its labels (a later RENAME VALUE renames it in the default too).
    const enumDef = enumType ? this.catalog.types.get(`${this.schema}.${enumType}`) : undefined;
    const def = enumDef?.kind === "enum" ? `'${this.pick(enumDef.labels)}'` : enumType ? undefined : this.pick(DEFAULTS[type] ?? []);
    if (def && this.chance(0.4)) sql += ` DEFAULT ${def}`;
    if (this.chance(0.3)) sql += " NOT NULL";
    if (t && this.chance(0.1) && !enumType && type !== "jsonb") sql += " UNIQUE";
    return sql;
  }

  createTable(): string {
    const name = this.id("t");
    const cols = [this.pick(["id serial PRIMARY KEY", "id bigserial PRIMARY KEY", "id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "id uuid PRIMARY KEY", "id integer"])!];
    const n = 1 + Math.floor(this.r() * 4);
    for (let i = 0; i < n; i++) cols.push(this.columnDef(undefined));
    const ref = this.pick(this.tables().filter((t) => t.constraints.some((c) => c.type === "primary" && c.columns.length === 1)));
    if (ref && this.chance(0.5)) {
      const pk = ref.constraints.find((c) => c.type === "primary")!;
      const refCol = ref.columns.find((c) => c.name === pk.columns[0])!;
      const type = refCol.type === "uuid" ? "uuid" : refCol.type;
      cols.push(`${this.id("ref")} ${type} REFERENCES ${this.q(ref.name)}${this.pick(["", " ON DELETE CASCADE", " ON DELETE SET NULL"])}`);
    }
    if (this.chance(0.3)) cols.push(`CHECK (${cols[1]!.split(" ")[0]} IS NOT NULL OR true)`);
    return `CREATE TABLE ${this.q(name)} (\n  ${cols.join(",\n  ")}\n)`;
  }

  /** `CREATE VIEW … SELECT *`, or a view re-created over * after its table gained or renamed a column. */
  viewOverStar(t: Table | undefined): string[] | undefined {
    if (!t) return undefined;
    const tq = this.q(t.name);
    const key = `${this.schema}.${t.name}`;
    const v = this.pick([...this.catalog.views.values()].filter((x) => x.schema === this.schema && x.dependsOn.length === 1 && x.dependsOn[0] === key));
    const readBy = (name: string): boolean => [...this.catalog.views.values()].some((x) => x.dependsOn.includes(`${this.schema}.${name}`));
    if (!v || this.chance(0.3)) {
      const mat = this.chance(0.3);
      const star = this.chance(0.5) ? "*" : "x.*";
      return [`CREATE ${mat ? "MATERIALIZED VIEW" : "VIEW"} ${this.q(this.id(mat ? "mv" : "v"))} AS SELECT ${star}${this.chance(0.3) ? ", 1 AS one" : ""} FROM ${tq} x`];
    }
    const kind = v.materialized ? "MATERIALIZED VIEW" : "VIEW";
    const col = this.pick(t.columns.filter((c) => !c.identity));
    const change = this.chance(0.5) || !col ? `ALTER TABLE ${tq} ADD COLUMN ${this.columnDef(t)}` : `ALTER TABLE ${tq} RENAME COLUMN ${col.name} TO ${this.id("r")}`;
    const drop = `DROP ${kind} ${this.q(v.name)}${readBy(v.name) ? " CASCADE" : ""}`;
    const create = `CREATE ${kind} ${this.q(v.name)} AS SELECT * FROM ${tq}`;
    return this.chance(0.5) ? [change, drop, create] : [drop, change, create];
  }

  /** CREATE TABLE AS / SELECT INTO with aggregates, UNION ALL, literals and casts. */
  tableFromQuery(t: Table | undefined): string[] | undefined {
    if (!t) return undefined;
    const tq = this.q(t.name);
    const name = this.q(this.id("ct"));
    const g = this.pick(t.columns.filter((c) => AGGREGATABLE.has(c.type)));
    const n = this.pick(t.columns.filter((c) => SUMMABLE.has(c.type)));
    const any = this.pick(t.columns)!;
    switch (this.pick(["aggregate", "union", "into", "literals"])) {
      case "aggregate":
        if (!g) return undefined;
        return [`CREATE TABLE ${name} AS SELECT ${g.name}, count(*) AS n${n ? `, sum(${n.name}) AS total, max(${n.name}) AS top` : ""} FROM ${tq} GROUP BY ${g.name}`];
      case "union":
        return [`CREATE TABLE ${name} AS SELECT ${any.name} FROM ${tq} UNION ALL SELECT ${any.name} FROM ${tq}`];
      case "into":
        return [`SELECT ${any.name}, 1 AS one, 'x'::text AS label INTO ${name} FROM ${tq}`];
      default:
        return [`CREATE TABLE ${name} AS SELECT ${any.name}::text AS txt, now() AS at, true AS flag, 2.5 AS ratio FROM ${tq}`];
    }
  }

  /** A type change and a default of the new type, in one migration (the down restores the type first). */
  typeAndDefault(t: Table | undefined): string[] | undefined {
    if (!t) return undefined;
    const key = `${this.schema}.${t.name}`;
    const col = this.pick(t.columns.filter((c) => !c.identity && TYPE_AND_DEFAULT[c.type] && !nextvalOf(c.default)));
    if (!col) return undefined;
    const inFk = [...this.catalog.tables.values()].some((x) => x.constraints.some((c) => c.foreignKey && (c.foreignKey.table === key || x === t) && (c.columns.includes(col.name) || c.foreignKey.refColumns.includes(col.name))));
    const inView = [...this.catalog.views.values()].some((v) => v.dependsOn.includes(key));
    const inIndex = [...this.catalog.indexes.values()].some((i) => i.table === key && i.columns.includes(col.name));
    if (inFk || inView || inIndex) return undefined;
    const [to, def] = this.pick(TYPE_AND_DEFAULT[col.type]!)!;
    const tq = this.q(t.name);
    const type = `ALTER TABLE ${tq} ALTER COLUMN ${col.name} TYPE ${to}`;
    const setDefault = `ALTER TABLE ${tq} ALTER COLUMN ${col.name} SET DEFAULT ${def}`;
    return this.chance(0.7) ? [type, setDefault] : [`ALTER TABLE ${tq} ALTER COLUMN ${col.name} DROP DEFAULT`, type, setDefault];
  }

  /** serial → identity (the identity's sequence takes the serial's name) and identity → serial. */
  identitySwap(t: Table | undefined): string[] | undefined {
    if (!t) return undefined;
    const tq = this.q(t.name);
    const serial = t.columns.find((c) => (c.type === "integer" || c.type === "bigint") && nextvalOf(c.default));
    if (serial) {
      const seq = nextvalOf(serial.default)!;
      // Another column may read the same sequence (the sequence-users family): CASCADE takes its default.
      const others = this.sequenceUsers(seq).filter((u) => u !== `${t.name}.${serial.name}`);
      return [`ALTER TABLE ${tq} ALTER COLUMN ${serial.name} DROP DEFAULT`, `DROP SEQUENCE ${this.q(seq)}${others.length ? " CASCADE" : ""}`, `ALTER TABLE ${tq} ALTER COLUMN ${serial.name} ADD GENERATED ${this.pick(["ALWAYS", "BY DEFAULT"])} AS IDENTITY`];
    }
    const identity = t.columns.find((c) => c.identity);
    if (!identity) return undefined;
    const seq = this.id("sq");
    return [
      `ALTER TABLE ${tq} ALTER COLUMN ${identity.name} DROP IDENTITY`,
      `CREATE SEQUENCE ${this.q(seq)} AS ${identity.type === "bigint" ? "bigint" : "integer"} OWNED BY ${tq}.${identity.name}`,
      `ALTER TABLE ${tq} ALTER COLUMN ${identity.name} SET DEFAULT nextval('${this.q(seq)}')`,
    ];
  }

  /**
   * Sequences other objects use (issue 11): a default reading a free sequence or another table's serial
   * sequence, OWNED BY, a DROP SEQUENCE … CASCADE that takes the defaults of tables the up keeps, and a
   * serial column with another column's default on its sequence in one statement.
   */
  sequenceUse(t: Table | undefined): string[] | undefined {
    if (!t) return undefined;
    const tq = this.q(t.name);
    const col = this.pick(t.columns.filter((c) => (c.type === "integer" || c.type === "bigint") && !c.identity && !c.generated && !c.default));
    const seqs = [...this.catalog.sequences.values()].filter((s) => s.schema === this.schema && !s.identity).sort((a, b) => (a.name < b.name ? -1 : 1));
    switch (this.pick(["default", "owned", "drop", "same-statement"])) {
      case "default": {
        const s = this.pick(seqs);
        return s && col ? [`ALTER TABLE ${tq} ALTER COLUMN ${col.name} SET DEFAULT nextval('${this.q(s.name)}')`] : undefined;
      }
      case "owned": {
        const s = this.pick(seqs.filter((x) => !x.ownedBy));
        return s && col ? [`ALTER SEQUENCE ${this.q(s.name)} OWNED BY ${tq}.${col.name}`] : undefined;
      }
      case "drop": {
        const s = this.pick(seqs.filter((x) => this.sequenceUsers(x.name).length));
        return s ? [`DROP SEQUENCE ${this.q(s.name)} CASCADE`] : undefined;
      }
      default: {
        if (!col) return undefined;
        const n = this.id("n");
        return [`ALTER TABLE ${tq} ADD COLUMN ${n} serial, ALTER COLUMN ${col.name} SET DEFAULT nextval('${this.q(`${t.name}_${n}_seq`)}')`];
      }
    }
  }

  step(): string[] {
    const tables = this.tables();
    const t = this.pick(tables);
    const col = t ? this.pick(t.columns.filter((c) => !c.identity)) : undefined;
    const tq = t ? this.q(t.name) : "";
    const choices: (() => string[] | undefined)[] = [
      () => [this.createTable()],
      () => (t && tables.length > 2 ? [`DROP TABLE ${tq}${this.chance(0.5) || this.hasDependants(t) ? " CASCADE" : ""}`] : undefined),
      () => (t ? [`ALTER TABLE ${tq} ADD COLUMN ${this.columnDef(t)}`] : undefined),
      () => (t && col && t.columns.length > 1 ? [`ALTER TABLE ${tq} DROP COLUMN ${col.name}${this.chance(0.5) || this.hasDependants(t) ? " CASCADE" : ""}`] : undefined),
      () => (t && col ? [`ALTER TABLE ${tq} RENAME COLUMN ${col.name} TO ${this.id("r")}`] : undefined),
      () => (t ? [`ALTER TABLE ${tq} RENAME TO ${this.id("rt")}`] : undefined),
      () => {
        if (!t || !col) return undefined;
        const def = this.pick(DEFAULTS[col.type === "character varying(40)" ? "varchar(40)" : col.type === "timestamp with time zone" ? "timestamptz" : col.type] ?? []);
        return col.default && this.chance(0.5) ? [`ALTER TABLE ${tq} ALTER COLUMN ${col.name} DROP DEFAULT`] : def ? [`ALTER TABLE ${tq} ALTER COLUMN ${col.name} SET DEFAULT ${def}`] : undefined;
      },
      () => {
        if (!t || !col) return undefined;
        const inPk = t.constraints.some((c) => c.type === "primary" && c.columns.includes(col.name));
        return inPk && col.notNull ? undefined : [`ALTER TABLE ${tq} ALTER COLUMN ${col.name} ${col.notNull ? "DROP" : "SET"} NOT NULL`];
      },
      () => {
        if (!t || !col || col.default) return undefined;
        const to = this.pick(TYPE_CHANGES[col.type] ?? []);
        if (!to) return undefined;
        const inIndex = [...this.catalog.indexes.values()].some((i) => i.table === `${this.schema}.${t.name}` && i.columns.includes(col.name));
        const inFk = [...this.catalog.tables.values()].some((x) => x.constraints.some((c) => c.foreignKey && (c.foreignKey.table === `${this.schema}.${t.name}` || x === t) && (c.columns.includes(col.name) || c.foreignKey.refColumns.includes(col.name))));
        const inView = [...this.catalog.views.values()].some((v) => v.dependsOn.includes(`${this.schema}.${t.name}`));
        if (inFk || inView || (inIndex && this.chance(0.5))) return undefined;
        return [`ALTER TABLE ${tq} ALTER COLUMN ${col.name} TYPE ${to}`];
      },
      () => {
        if (!t || !col) return undefined;
        const kind = this.pick(["unique", "check", "check-named"])!;
        if (kind === "unique" && col.type !== "jsonb") return [`ALTER TABLE ${tq} ADD UNIQUE (${col.name})`];
        if (kind === "check") return [`ALTER TABLE ${tq} ADD CHECK (${col.name} IS NOT NULL OR ${col.name} IS NULL)`];
        return [`ALTER TABLE ${tq} ADD CONSTRAINT ${this.id("ck")} CHECK (${col.name} IS DISTINCT FROM NULL)${this.chance(0.5) ? " NOT VALID" : ""}`];
      },
      () => {
        const c = t ? this.pick(t.constraints.filter((x) => x.type !== "primary")) : undefined;
        return c ? [`ALTER TABLE ${tq} DROP CONSTRAINT ${c.name}${this.chance(0.3) ? " CASCADE" : ""}`] : undefined;
      },
      () => {
        if (!t || !col || col.type === "jsonb") return undefined;
        const named = this.chance(0.5) ? `${this.id("ix")} ` : "";
        const unique = this.chance(0.2) ? "UNIQUE " : "";
        const where = this.chance(0.2) ? ` WHERE ${col.name} IS NOT NULL` : "";
        const expr = col.type === "text" && this.chance(0.5) ? `(lower(${col.name}))` : col.name;
        return [`CREATE ${unique}INDEX ${named}ON ${tq} (${expr})${where}`];
      },
      () => {
        const i = this.pick([...this.catalog.indexes.values()].filter((x) => x.schema === this.schema && !x.constraint));
        return i ? [`DROP INDEX ${this.q(i.name)}`] : undefined;
      },
      () => [`CREATE TYPE ${this.q(this.id("e"))} AS ENUM ('a', 'b', 'c')`],
      () => {
        const e = this.pick(this.enums());
        const t2 = e ? this.catalog.types.get(`${this.schema}.${e}`) : undefined;
        // Mostly a label a default uses, when there is one (the default must follow the rename).
        const inDefault = (l: string): boolean => this.tables().some((x) => x.columns.some((c) => c.typeRef === `${this.schema}.${e}` && !!c.default && exprSql(c.default).includes(`'${l}'`)));
        const labels = t2?.kind === "enum" ? t2.labels : [];
        const used = labels.filter(inDefault);
        const label = used.length && this.chance(0.7) ? this.pick(used) : this.pick(labels);
        if (!e || !label) return undefined;
        if (inDefault(label)) this.family("labelInDefault");
        return [`ALTER TYPE ${this.q(e)} RENAME VALUE '${label}' TO '${this.id("v")}'`];
      },
      () => {
        const e = this.pick(this.enums());
        if (!e) return undefined;
        const used = [...this.catalog.tables.values()].some((x) => x.columns.some((c) => c.typeRef === `${this.schema}.${e}`));
        return used ? undefined : [`DROP TYPE ${this.q(e)}`];
      },
      () => (t && col ? [`CREATE VIEW ${this.q(this.id("v"))} AS SELECT ${col.name} FROM ${tq}`] : undefined),
      () => {
        const v = this.pick([...this.catalog.views.values()].filter((x) => x.schema === this.schema));
        return v ? [`DROP ${v.materialized ? "MATERIALIZED VIEW" : "VIEW"} ${this.q(v.name)}${this.chance(0.5) ? " CASCADE" : ""}`] : undefined;
      },
      () => (t ? [`COMMENT ON TABLE ${tq} IS ${this.chance(0.2) ? "NULL" : `'${this.id("note")}'`}`] : undefined),
      () => (t && col ? [`COMMENT ON COLUMN ${tq}.${col.name} IS '${this.id("note")}'`] : undefined),
      () => (t ? [`ALTER TABLE ${tq} ${t.rowSecurity ? "DISABLE" : "ENABLE"} ROW LEVEL SECURITY`] : undefined),
      () => (t && col ? [`CREATE POLICY ${this.id("p")} ON ${tq} FOR SELECT USING (${col.name} IS NOT NULL)`] : undefined),
      () => {
        const p = t ? this.pick(t.policies) : undefined;
        return p ? [`DROP POLICY ${p.name} ON ${tq}`] : undefined;
      },
      () => [`CREATE SEQUENCE ${this.q(this.id("s"))}${this.chance(0.5) ? " INCREMENT BY 5" : ""}${this.chance(0.3) ? " AS integer" : ""}`],
      () => {
        const s = this.pick([...this.catalog.sequences.values()].filter((x) => x.schema === this.schema && !x.ownedBy));
        if (!s) return undefined;
        return this.chance(0.5) ? [`ALTER SEQUENCE ${this.q(s.name)} INCREMENT BY ${2 + Math.floor(this.r() * 5)} CACHE 3`] : [`DROP SEQUENCE ${this.q(s.name)}${this.sequenceUsers(s.name).length ? " CASCADE" : ""}`];
      },
      () => {
        const name = this.id("f");
        return [`CREATE FUNCTION ${this.q(name)}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`];
      },
      () => {
        const f = this.pick([...this.catalog.functions.values()].filter((x) => x.schema === this.schema && x.returns === "trigger"));
        if (!f || !t) return undefined;
        return [`CREATE TRIGGER ${this.id("tg")} BEFORE INSERT ON ${tq} FOR EACH ROW EXECUTE FUNCTION ${this.q(f.name)}()`];
      },
      () => {
        const tr = t ? this.pick(t.triggers) : undefined;
        return tr ? [`DROP TRIGGER ${tr.name} ON ${tq}`] : undefined;
      },
      () => {
        const ref = this.pick(tables.filter((x) => x.constraints.some((c) => c.type === "primary" && c.columns.length === 1)));
        const pk = ref?.constraints.find((c) => c.type === "primary");
        const refType = ref?.columns.find((c) => c.name === pk?.columns[0])?.type;
        const local = t?.columns.find((c) => c.type === refType && !c.identity);
        if (!ref || !pk || !t || !local) return undefined;
        const named = this.chance(0.5) ? `CONSTRAINT ${this.id("fk")} ` : "";
        return [`ALTER TABLE ${tq} ADD ${named}FOREIGN KEY (${local.name}) REFERENCES ${this.q(ref.name)} (${pk.columns[0]})${this.pick(["", " ON DELETE CASCADE", " ON UPDATE CASCADE", " NOT VALID"])}`];
      },
      () => {
        const i = this.pick([...this.catalog.indexes.values()].filter((x) => x.schema === this.schema));
        return i ? [`ALTER INDEX ${this.q(i.name)} RENAME TO ${this.id("ri")}`] : undefined;
      },
      () => {
        const c = t ? this.pick(t.constraints) : undefined;
        return c ? [`ALTER TABLE ${tq} RENAME CONSTRAINT ${c.name} TO ${this.id("rc")}`] : undefined;
      },
      () => {
        const e = this.pick(this.enums());
        return e ? [`ALTER TYPE ${this.q(e)} RENAME TO ${this.id("re")}`] : undefined;
      },
      () => (t && col ? [`CREATE MATERIALIZED VIEW ${this.q(this.id("mv"))} AS SELECT ${col.name}, count(*) AS n FROM ${tq} GROUP BY ${col.name}${this.chance(0.3) ? " WITH NO DATA" : ""}`] : undefined),
      () => {
        const v = this.pick([...this.catalog.views.values()].filter((x) => x.schema === this.schema && !x.materialized));
        if (!v) return undefined;
        return [`CREATE OR REPLACE VIEW ${this.q(v.name)} AS SELECT s.*, 1 AS ${this.id("x")} FROM (${sqlOfView(v.query)}) s`];
      },
      () => [`CREATE DOMAIN ${this.q(this.id("d"))} AS ${this.pick(["integer", "text"])}${this.chance(0.5) ? " NOT NULL" : ""}${this.chance(0.5) ? " CHECK (VALUE IS NOT NULL)" : ""}`],
      () => {
        const name = this.id("fn");
        return [`CREATE FUNCTION ${this.q(name)}(a integer, b text DEFAULT 'x') RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT b || a $$`];
      },
      () => {
        const f = this.pick([...this.catalog.functions.values()].filter((x) => x.schema === this.schema && x.argTypes.length === 2));
        if (!f) return undefined;
        return this.chance(0.5)
          ? [`CREATE OR REPLACE FUNCTION ${this.q(f.name)}(a integer, b text DEFAULT 'y') RETURNS text LANGUAGE sql STABLE AS $$ SELECT a || b $$`]
          : [`DROP FUNCTION ${this.q(f.name)}(integer, text)`];
      },
      // Issue 11's families: views over *, CREATE TABLE AS with aggregates and unions, a type change
      // with a default change, serial ⇄ identity swaps, sequences other objects use.
      () => this.viewOverStar(t),
      () => this.tableFromQuery(t),
      () => this.typeAndDefault(t),
      () => this.identitySwap(t),
      () => this.sequenceUse(t),
      () => this.sequenceUse(t),
      () => {
        // An enum column with one of its labels as default (renamed later by RENAME VALUE).
        const e = this.pick(this.enums());
        const def = e ? this.catalog.types.get(`${this.schema}.${e}`) : undefined;
        return t && def?.kind === "enum" ? [`ALTER TABLE ${tq} ADD COLUMN ${this.id("c")} ${this.q(def.name)} DEFAULT '${this.pick(def.labels)}'`] : undefined;
      },
      () => (t ? [`ALTER TABLE ${tq} SET (fillfactor = ${50 + Math.floor(this.r() * 50)})`] : undefined),
      () => (t && col ? [`ALTER TABLE ${tq} ALTER COLUMN ${col.name} SET STATISTICS ${this.pick([100, 500, -1])}`] : undefined),
      () => (t ? [`GRANT ${this.pick(["SELECT", "SELECT, INSERT", "ALL"])} ON ${tq} TO mlv_test_prop`] : undefined),
      () => (t && t.grants.size ? [`REVOKE ALL ON ${tq} FROM mlv_test_prop`] : undefined),
    ];
    for (let tries = 0; tries < 20; tries++) {
      const sql = this.pick(choices)!();
      if (sql) return sql;
    }
    return [this.createTable()];
  }
}

const AGGREGATABLE = new Set(["integer", "bigint", "smallint", "text", "numeric", "numeric(10,2)", "real", "date", "timestamp with time zone", "timestamp without time zone", "character varying(40)", "character varying(200)"]);
const SUMMABLE = new Set(["integer", "bigint", "smallint", "numeric", "numeric(10,2)", "real"]);
/** Type changes whose old default PostgreSQL converts, with a default of the new type. */
const TYPE_AND_DEFAULT: Record<string, [string, string][]> = {
  "character varying(40)": [["text", "'x'::text"], ["varchar(80)", "'y'"]],
  "character varying(200)": [["text", "'z'::text"]],
  text: [["varchar(100)", "'w'::character varying"]],
  integer: [["bigint", "7"], ["numeric", "1.5"]],
  smallint: [["integer", "3"]],
  "numeric(10,2)": [["numeric(12,2)", "2.5"]],
};

/** A base schema and `steps` migrations of one or two random statements, all in schema `schema`. */
export function generate(seed: number, steps: number, schema: string): Generated {
  const g = new Gen(rng(seed), schema);
  const history = [
    "DO $$ BEGIN CREATE ROLE mlv_test_prop; EXCEPTION WHEN duplicate_object THEN NULL; END $$",
    `CREATE SCHEMA ${schema}`,
  ];
  for (const s of history) g.apply(s);
  for (let i = 0; i < 2; i++) {
    const t = g.createTable();
    g.apply(t);
    history.push(t);
  }
  const ups: string[] = [];
  const families: string[][] = [];
  for (let i = 0; i < steps; i++) {
    g.families = new Set();
    const stmts: string[] = [];
    do {
      const step = g.step();
      for (const s of step) g.apply(s);
      stmts.push(...step);
    } while (stmts.length < 3 && g.chance(0.2));
    ups.push(stmts.map((s) => `${s};\n`).join(""));
    families.push([...g.families]);
  }
  return { history: history.map((s) => `${s};\n`).join(""), ups, families };
}

function sqlOfView(query: Node): string {
  return exprSql(query);
}

/** The sequence a `nextval('s')` default reads (unqualified name), if it is one. */
function nextvalOf(def: Node | undefined): string | undefined {
  if (!def) return undefined;
  const m = /nextval\('(?:[a-z0-9_]+\.)?([a-z0-9_]+)'/.exec(exprSql(def));
  return m?.[1];
}

/** CREATE SEQUENCE / ALTER SEQUENCE, and sequence option lists shared with identity columns. */
import type { AlterSeqStmt, CreateSeqStmt, Node } from "@pgsql/types";
import { asNode, stringValues } from "../../parse/ast.js";
import type { Draft } from "../draft.js";
import { keyOf, truncateIdentifier } from "../names.js";
import { SEQUENCE_LIMITS, defaultSequenceOptions } from "../render.js";
import type { SequenceOptions } from "../types.js";

function numberArg(arg: Node | undefined): string | undefined {
  const i = asNode(arg, "Integer");
  if (i) return String(i.ival ?? 0);
  const f = asNode(arg, "Float");
  if (f?.fval !== undefined) return f.fval.replace(/^\+/, "");
  return undefined;
}

/**
 * Applies an option list to `base` the way PostgreSQL's `init_params` does: on ALTER … AS, limits that
 * were the old type's extremes follow the new type; `NO MINVALUE` / `NO MAXVALUE` restore the default.
 */
export function sequenceOptionsFrom(options: readonly Node[], base: SequenceOptions, isAlter: boolean): SequenceOptions {
  const o: SequenceOptions = { ...base };
  let min: Node | null | undefined;
  let max: Node | null | undefined;
  let startGiven = false;
  let resetMin = false;
  let resetMax = false;
  for (const n of options) {
    const d = asNode(n, "DefElem");
    if (!d) continue;
    switch (d.defname) {
      case "as": {
        const t = stringValues(asNode(d.arg, "TypeName")?.names).at(-1);
        const type = t === "int2" || t === "smallint" ? "smallint" : t === "int4" || t === "integer" ? "integer" : "bigint";
        if (isAlter && type !== base.type) {
          resetMax = base.max === SEQUENCE_LIMITS[base.type].max;
          resetMin = base.min === SEQUENCE_LIMITS[base.type].min;
        }
        o.type = type;
        break;
      }
      case "increment":
        o.increment = numberArg(d.arg) ?? o.increment;
        break;
      case "minvalue":
        min = d.arg ?? null;
        break;
      case "maxvalue":
        max = d.arg ?? null;
        break;
      case "start":
        startGiven = true;
        o.start = numberArg(d.arg) ?? o.start;
        break;
      case "cache":
        o.cache = numberArg(d.arg) ?? o.cache;
        break;
      case "cycle":
        o.cycle = asNode(d.arg, "Boolean")?.boolval ?? true;
        break;
      default:
        break;
    }
  }
  const descending = o.increment.startsWith("-");
  const limits = SEQUENCE_LIMITS[o.type];
  if (max) o.max = numberArg(max) ?? o.max;
  else if (!isAlter || max === null || resetMax) o.max = !descending || resetMax ? limits.max : "-1";
  if (min) o.min = numberArg(min) ?? o.min;
  else if (!isAlter || min === null || resetMin) o.min = descending || resetMin ? limits.min : "1";
  if (!startGiven && !isAlter) o.start = descending ? o.max : o.min;
  return o;
}

export function applyCreateSequence(d: Draft, stmt: CreateSeqStmt): void {
  const rv = stmt.sequence;
  if (!rv?.relname) return;
  if (rv.relpersistence === "t") return;
  const schema = d.resolver.schemaFor(rv);
  const name = truncateIdentifier(rv.relname);
  const key = keyOf(schema, name);
  if (d.sequences.has(key) || d.tables.has(key) || d.views.has(key)) {
    if (!stmt.if_not_exists) d.unmodelledStatement(`relation ${key} already exists`);
    return;
  }
  const options = stmt.options ?? [];
  let ownedBy: { table: string; column: string } | undefined;
  for (const n of options) {
    const de = asNode(n, "DefElem");
    if (de?.defname === "owned_by") ownedBy = ownedByOf(d, de.arg);
  }
  d.sequences = d.sequences.set(key, {
    schema,
    name,
    options: sequenceOptionsFrom(options, defaultSequenceOptions("bigint"), false),
    ...(ownedBy ? { ownedBy } : {}),
    ...(rv.relpersistence === "u" ? { unlogged: true } : {}),
    grants: new Map(),
    origin: d.origin,
  });
}

function ownedByOf(d: Draft, arg: Node | undefined): { table: string; column: string } | undefined {
  const names = stringValues(asNode(arg, "List")?.items);
  if (names.length === 1 && names[0] === "none") return undefined;
  if (names.length < 2) return undefined;
  const column = names.at(-1)!;
  const table = d.resolver.resolve(names.slice(0, -1), d.tables);
  return { table, column };
}

export function applyAlterSequence(d: Draft, stmt: AlterSeqStmt): void {
  const key = d.resolver.resolve(d.resolver.rangeVarNames(stmt.sequence), d.sequences);
  const seq = d.sequences.get(key);
  if (!seq) {
    if (!stmt.missing_ok) d.unmodelledStatement(`sequence ${key} is not known`);
    return;
  }
  let ownedBy = seq.ownedBy;
  let ownedChanged = false;
  for (const n of stmt.options ?? []) {
    const de = asNode(n, "DefElem");
    if (de?.defname === "owned_by") {
      ownedBy = ownedByOf(d, de.arg);
      ownedChanged = true;
    }
  }
  const options = sequenceOptionsFrom(stmt.options ?? [], seq.options, true);
  const { ownedBy: _o, ...rest } = seq;
  d.sequences = d.sequences.set(key, { ...rest, options, ...(ownedChanged ? (ownedBy ? { ownedBy } : {}) : seq.ownedBy ? { ownedBy: seq.ownedBy } : {}) });
}

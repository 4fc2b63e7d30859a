/** ALTER TABLE (and ALTER VIEW / MATERIALIZED VIEW / SEQUENCE / INDEX … sharing the node), one sub-command at a time. */
import type { AlterTableCmd, AlterTableStmt, Node } from "@pgsql/types";
import { asNode, stringValues } from "../../parse/ast.js";
import type { Draft } from "../draft.js";
import { keyOf } from "../names.js";
import { quoteName } from "../render.js";
import { resolveType } from "../typename.js";
import type { Column, ObjectKey, Table, Trigger } from "../types.js";
import { dropColumn, dropConstraint } from "./drop.js";
import { sequenceOptionsFrom } from "./sequence.js";
import { addConstraints, buildColumn, createIdentitySequence, nameNotNulls, type PendingConstraint } from "./table.js";

export function applyAlterTable(d: Draft, stmt: AlterTableStmt): void {
  const names = d.resolver.rangeVarNames(stmt.relation);
  const key = d.resolver.resolve(names, d.tables, d.views, d.sequences, d.indexes);
  if (!d.tables.has(key)) {
    if (d.views.has(key) || d.indexes.has(key) || d.sequences.has(key)) {
      applyToOther(d, key, stmt);
      return;
    }
    if (!stmt.missing_ok) d.unmodelledStatement(`table ${key} is not known`);
    return;
  }
  for (const c of stmt.cmds ?? []) {
    const cmd = asNode(c, "AlterTableCmd");
    if (cmd) applyCommand(d, key, cmd);
  }
}

/** ALTER TABLE on a view, index or sequence: only the few sub-commands that apply to them. */
function applyToOther(d: Draft, key: ObjectKey, stmt: AlterTableStmt): void {
  for (const c of stmt.cmds ?? []) {
    const cmd = asNode(c, "AlterTableCmd");
    if (!cmd) continue;
    if (cmd.subtype === "AT_ChangeOwner") continue;
    if (cmd.subtype === "AT_SetRelOptions" || cmd.subtype === "AT_ResetRelOptions") {
      const v = d.views.get(key);
      if (v) {
        const options = mergeOptions(v.options, cmd.def, cmd.subtype === "AT_ResetRelOptions");
        const { options: _o, ...rest } = v;
        d.views = d.views.set(key, options.length ? { ...rest, options } : rest);
        continue;
      }
      const i = d.indexes.get(key);
      if (i) {
        const options = mergeOptions(i.options, cmd.def, cmd.subtype === "AT_ResetRelOptions");
        const { options: _o, ...rest } = i;
        d.indexes = d.indexes.set(key, options.length ? { ...rest, options } : rest);
        continue;
      }
    }
    d.unmodelledStatement(`ALTER … ${cmd.subtype ?? "?"} on ${key} is not modelled`);
  }
}

function mergeOptions(current: Node[] | undefined, def: Node | undefined, reset: boolean): Node[] {
  const given = asNode(def, "List")?.items ?? [];
  const names = new Set(given.map((n) => asNode(n, "DefElem")?.defname));
  const kept = (current ?? []).filter((n) => !names.has(asNode(n, "DefElem")?.defname));
  return reset ? kept : [...kept, ...given];
}

function column(t: Table, name: string | undefined): Column | undefined {
  return t.columns.find((c) => c.name === name);
}

function applyCommand(d: Draft, key: ObjectKey, cmd: AlterTableCmd): void {
  const t = d.tables.get(key);
  if (!t) return;
  switch (cmd.subtype) {
    case "AT_AddColumn": {
      const def = asNode(cmd.def, "ColumnDef");
      if (!def) return;
      if (column(t, def.colname)) {
        if (!cmd.missing_ok) d.unmodelledStatement(`column ${def.colname} of ${key} already exists`);
        return;
      }
      const pending: PendingConstraint[] = [];
      const col = buildColumn(d, t, def, t.nextColumnId, pending);
      let next: Table = { ...d.tables.get(key)!, columns: [...t.columns, col], nextColumnId: t.nextColumnId + 1 };
      d.tables = d.tables.set(key, next);
      next = addConstraints(d, next, pending, { inCreate: false });
      next = nameNotNulls(d, next, []);
      d.tables = d.tables.set(key, next);
      return;
    }
    case "AT_DropColumn":
      if (!column(t, cmd.name)) {
        if (!cmd.missing_ok) d.unmodelledStatement(`column ${cmd.name} of ${key} is not known`);
        return;
      }
      dropColumn(d, key, cmd.name!, cmd.behavior === "DROP_CASCADE");
      return;
    case "AT_ColumnDefault":
      d.updateColumn(key, cmd.name!, (c) => {
        const { default: _d, ...rest } = c;
        return cmd.def ? { ...rest, default: cmd.def } : rest;
      });
      return;
    case "AT_SetNotNull":
      d.updateColumn(key, cmd.name!, (c) => (c.notNull ? c : { ...c, notNull: true }));
      d.updateTable(key, (tt) => nameNotNulls(d, tt, []));
      return;
    case "AT_DropNotNull":
      d.updateColumn(key, cmd.name!, (c) => {
        if (!c.notNull) return c;
        const { notNullName: _n, ...rest } = c;
        return { ...rest, notNull: false };
      });
      return;
    case "AT_AlterColumnType": {
      const def = asNode(cmd.def, "ColumnDef");
      if (!def) return;
      const resolved = resolveType(def.typeName, d.resolver);
      d.updateColumn(key, cmd.name!, (c) => {
        const { typeRef: _r, collation: _c, ...rest } = c;
        const next: Column = { ...rest, type: resolved.serial ?? resolved.text };
        if (resolved.ref) next.typeRef = resolved.ref;
        if (def.collClause) next.collation = stringValues(def.collClause.collname).map(quoteName).join(".");
        return next;
      });
      return;
    }
    case "AT_AddConstraint": {
      const con = asNode(cmd.def, "Constraint");
      if (!con) return;
      if (con.conname && t.constraints.some((c) => c.name === con.conname)) {
        d.unmodelledStatement(`constraint ${con.conname} of ${key} already exists`);
        return;
      }
      if (con.contype === "CONSTR_NOTNULL") {
        const col = stringValues(con.keys)[0];
        d.updateColumn(key, col ?? "", (c) => ({ ...c, notNull: true, ...(con.conname ? { notNullName: con.conname } : {}) }));
        d.updateTable(key, (tt) => nameNotNulls(d, tt, []));
        return;
      }
      addConstraints(d, t, [{ node: con }], { inCreate: false });
      return;
    }
    case "AT_DropConstraint":
      if (!dropConstraint(d, key, cmd.name!, cmd.behavior === "DROP_CASCADE")) {
        // PostgreSQL 18 can drop a NOT NULL constraint by name.
        const nn = t.columns.find((c) => c.notNullName === cmd.name);
        if (nn) {
          d.updateColumn(key, nn.name, (c) => {
            const { notNullName: _n, ...rest } = c;
            return { ...rest, notNull: false };
          });
        } else if (!cmd.missing_ok) d.unmodelledStatement(`constraint ${cmd.name} of ${key} is not known`);
      }
      return;
    case "AT_ValidateConstraint":
      d.updateTable(key, (tt) => ({ ...tt, constraints: tt.constraints.map((c) => (c.name === cmd.name && c.notValid ? { ...c, notValid: false } : c)) }));
      return;
    case "AT_AlterConstraint": {
      const alter = asNode(cmd.def, "ATAlterConstraint") as { conname?: string; alterDeferrability?: boolean; deferrable?: boolean; initdeferred?: boolean } | undefined;
      if (!alter?.conname) return;
      d.updateTable(key, (tt) => ({
        ...tt,
        constraints: tt.constraints.map((c) =>
          c.name === alter.conname && alter.alterDeferrability !== false ? { ...c, deferrable: !!alter.deferrable, initiallyDeferred: !!alter.initdeferred } : c,
        ),
      }));
      return;
    }
    case "AT_EnableRowSecurity":
      d.updateTable(key, (tt) => (tt.rowSecurity ? tt : { ...tt, rowSecurity: true }));
      return;
    case "AT_DisableRowSecurity":
      d.updateTable(key, (tt) => (tt.rowSecurity ? { ...tt, rowSecurity: false } : tt));
      return;
    case "AT_ForceRowSecurity":
      d.updateTable(key, (tt) => (tt.forceRowSecurity ? tt : { ...tt, forceRowSecurity: true }));
      return;
    case "AT_NoForceRowSecurity":
      d.updateTable(key, (tt) => (tt.forceRowSecurity ? { ...tt, forceRowSecurity: false } : tt));
      return;
    case "AT_SetStatistics": {
      const n = asNode(cmd.def, "Integer")?.ival ?? 0;
      d.updateColumn(key, cmd.name!, (c) => {
        const { statistics: _s, ...rest } = c;
        return n === -1 ? rest : { ...rest, statistics: n };
      });
      return;
    }
    case "AT_SetStorage": {
      const s = asNode(cmd.def, "String")?.sval?.toLowerCase();
      // SET STORAGE DEFAULT (PostgreSQL 16) goes back to the type's storage: no setting of its own.
      d.updateColumn(key, cmd.name!, (c) => {
        const { storage: _s, ...rest } = c;
        return s === "default" ? rest : { ...c, ...(s ? { storage: s } : {}) };
      });
      return;
    }
    case "AT_SetCompression": {
      const s = asNode(cmd.def, "String")?.sval;
      d.updateColumn(key, cmd.name!, (c) => {
        const { compression: _c, ...rest } = c;
        return s && s !== "default" ? { ...rest, compression: s } : rest;
      });
      return;
    }
    case "AT_SetRelOptions":
    case "AT_ResetRelOptions":
      d.updateTable(key, (tt) => {
        const options = mergeOptions(tt.options, cmd.def, cmd.subtype === "AT_ResetRelOptions");
        const { options: _o, ...rest } = tt;
        return options.length ? { ...rest, options } : rest;
      });
      return;
    case "AT_SetLogged":
      d.updateTable(key, (tt) => ({ ...tt, unlogged: false }));
      return;
    case "AT_SetUnLogged":
      d.updateTable(key, (tt) => ({ ...tt, unlogged: true }));
      return;
    case "AT_EnableTrig":
    case "AT_DisableTrig":
    case "AT_EnableAlwaysTrig":
    case "AT_EnableReplicaTrig":
    case "AT_EnableTrigAll":
    case "AT_DisableTrigAll":
    case "AT_EnableTrigUser":
    case "AT_DisableTrigUser": {
      const state: Trigger["enabled"] =
        cmd.subtype === "AT_EnableAlwaysTrig"
          ? "always"
          : cmd.subtype === "AT_EnableReplicaTrig"
            ? "replica"
            : cmd.subtype.startsWith("AT_Disable")
              ? "disabled"
              : "origin";
      const all = cmd.subtype.endsWith("All") || cmd.subtype.endsWith("User");
      d.updateTable(key, (tt) => ({ ...tt, triggers: tt.triggers.map((tr) => (all || tr.name === cmd.name ? { ...tr, enabled: state } : tr)) }));
      return;
    }
    case "AT_AddIdentity": {
      const con = asNode(cmd.def, "Constraint");
      if (!con) return;
      const col = column(t, cmd.name);
      if (!col) return;
      createIdentitySequence(d, t, col.name, col.type, con.options);
      d.updateColumn(key, col.name, (c) => ({ ...c, identity: con.generated_when === "a" ? "always" : "by default", notNull: true }));
      d.updateTable(key, (tt) => nameNotNulls(d, tt, []));
      return;
    }
    case "AT_SetIdentity": {
      const opts = asNode(cmd.def, "List")?.items ?? [];
      const generated = opts.map((o) => asNode(o, "DefElem")).find((o) => o?.defname === "generated");
      if (generated) {
        const when = asNode(generated.arg, "Integer")?.ival;
        d.updateColumn(key, cmd.name!, (c) => ({ ...c, identity: when === 97 ? "always" : "by default" }));
      }
      const seq = d.sequencesOwnedBy(key, cmd.name).find((s) => s.identity);
      const seqOpts = opts.filter((o) => asNode(o, "DefElem")?.defname !== "generated");
      if (seq && seqOpts.length) {
        d.sequences = d.sequences.set(keyOf(seq.schema, seq.name), { ...seq, options: sequenceOptionsFrom(seqOpts, seq.options, true) });
      }
      return;
    }
    case "AT_DropIdentity": {
      const seq = d.sequencesOwnedBy(key, cmd.name).find((s) => s.identity);
      if (seq) d.sequences = d.sequences.delete(keyOf(seq.schema, seq.name));
      d.updateColumn(key, cmd.name!, (c) => {
        const { identity: _i, ...rest } = c;
        return rest;
      });
      return;
    }
    case "AT_SetExpression": {
      const expr = cmd.def;
      d.updateColumn(key, cmd.name!, (c) => (c.generated && expr ? { ...c, generated: { ...c.generated, expression: expr } } : c));
      return;
    }
    case "AT_DropExpression":
      d.updateColumn(key, cmd.name!, (c) => {
        const { generated: _g, ...rest } = c;
        return rest;
      });
      return;
    case "AT_AttachPartition": {
      const spec = asNode(cmd.def, "PartitionCmd");
      const child = d.resolver.table(spec?.name);
      if (spec?.bound) d.updateTable(child, (tt) => ({ ...tt, partitionOf: { parent: key, bound: { PartitionBoundSpec: spec.bound! } } }));
      return;
    }
    case "AT_DetachPartition": {
      const spec = asNode(cmd.def, "PartitionCmd");
      const child = d.resolver.table(spec?.name);
      d.updateTable(child, (tt) => {
        const { partitionOf: _p, ...rest } = tt;
        return rest;
      });
      return;
    }
    case "AT_AddInherit":
    case "AT_DropInherit": {
      const parent = d.resolver.table(asNode(cmd.def, "RangeVar"));
      d.updateTable(key, (tt) => {
        const list = (tt.inherits ?? []).filter((p) => p !== parent);
        if (cmd.subtype === "AT_AddInherit") list.push(parent);
        const { inherits: _i, ...rest } = tt;
        return list.length ? { ...rest, inherits: list } : rest;
      });
      return;
    }
    case "AT_ChangeOwner":
      // Owners are not part of the schema a down restores (every object belongs to the migration role).
      return;
    default:
      d.unmodelledStatement(`ALTER TABLE ${cmd.subtype ?? "?"} is not modelled`);
  }
}

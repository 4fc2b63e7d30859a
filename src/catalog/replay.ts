/**
 * Replay entry points used by the pipeline. PLACEHOLDER: the catalog owner replaces the bodies.
 */
import type { Statement } from "../parse/types.js";
import type { Catalog } from "./types.js";

export interface ApplyContext {
  migrationId: string;
  path: string;
  /** Schemas unqualified names resolve to, first match wins (default `["public"]`). */
  searchPath: readonly string[];
}

export function emptyCatalog(): Catalog {
  return {
    schemas: new Map([["public", { name: "public", grants: new Map() }]]),
    tables: new Map(),
    indexes: new Map(),
    types: new Map(),
    sequences: new Map(),
    views: new Map(),
    functions: new Map(),
    extensions: new Map(),
    unmodelled: [],
  };
}

/** The catalog after `statement`. Never throws: what cannot be modelled is recorded in `unmodelled`. */
export function applyStatement(catalog: Catalog, statement: Statement, ctx: ApplyContext): Catalog {
  void statement;
  void ctx;
  return catalog;
}

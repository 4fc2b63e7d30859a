/**
 * Schema-builder calls (knex's `knex.schema…`, Kysely's `db.schema…`, node-pg-migrate's `pgm.*`) as the
 * SQL the library compiles them to, read statically. Each library's mapper lives in its own module and
 * is listed in `./index.ts`; the extractor offers every call chain rooted at the runner parameter to
 * them before reporting it as `dynamic-sql`.
 *
 * Which library a chain is for: the folder's layout says (`BuilderContext.layout`); for a hand-rolled
 * runner or a module read alone, each mapper tells its library's chains apart by imports and shape.
 *
 * A mapper answers for a whole chain or not at all: a chain it only partly understands (an option it
 * does not map, a value it cannot read statically) is `dynamic` with the reason, never a guess — a
 * wrong statement would make the catalog, and so the down's class, wrong.
 */
import type { ModuleStyle } from "../../layout/types.js";
import type { JsNode } from "../module.js";

export interface BuilderContext {
  /** The module's text (node spans index into it). */
  text: string;
  /** The names the runner object goes by in this function (`knex`, `db`, `pgm`, `this`). */
  runner: ReadonlySet<string>;
  /**
   * The runner the module's folder was recognised as (its layout). Where it names a builder library,
   * only that library's mapper is asked and it claims the chain without guessing; where it is
   * `plain-ts` or not known (a module read on its own), each mapper guesses from the module's text.
   */
  layout?: ModuleStyle;
  /** A string the node holds statically (a literal, a template without `${}`, a `const`), else undefined. */
  stringOf(node: JsNode): string | undefined;
}

export type BuilderResult =
  /** The chain compiles to these statements, in order (no trailing `;` needed). */
  | { sql: string[] }
  /** The chain is this library's builder but cannot be read statically: why (shown in `dynamic-sql`). */
  | { dynamic: string };

export interface BuilderMapper {
  /** `knex`, `kysely`, `node-pg-migrate`: the sink name findings show is `<library>:<method>`. */
  library: string;
  /** The outermost call of a chain rooted at the runner; undefined when this is not the library's builder. */
  compile(call: JsNode, ctx: BuilderContext): BuilderResult | undefined;
}

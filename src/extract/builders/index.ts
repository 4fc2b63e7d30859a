/** The schema-builder mappers the extractor consults, one module per library (see ./builder.ts). */
import type { ModuleStyle } from "../../layout/types.js";
import type { BuilderMapper } from "./builder.js";
import { knexBuilder } from "./knex.js";
import { kyselyMapper } from "./kysely.js";
import { nodePgMigrateMapper } from "./node-pg-migrate.js";

// Each mapper claims only its own library's chains (knex's and Kysely's `x.schema.createTable(…)` look
// alike: without a layout naming the library, each checks the module's kysely import and the chain's
// `.execute()`), so the order is free.
export const builderMappers: readonly BuilderMapper[] = [kyselyMapper, nodePgMigrateMapper, knexBuilder];

/**
 * The mappers for a module of this layout: the layout's own library only (none for TypeORM and
 * MikroORM, whose builder APIs are not mapped), or all of them where the layout does not name one.
 */
export function buildersFor(layout: ModuleStyle | undefined): readonly BuilderMapper[] {
  if (layout === undefined || layout === "plain-ts") return builderMappers;
  return builderMappers.filter((m) => m.library === layout);
}

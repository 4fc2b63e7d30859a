/** The schema-builder mappers the extractor consults, one module per library (see ./builder.ts). */
import type { BuilderMapper } from "./builder.js";
import { kyselyMapper } from "./kysely.js";
import { nodePgMigrateMapper } from "./node-pg-migrate.js";

export const builderMappers: readonly BuilderMapper[] = [
  kyselyMapper,
  nodePgMigrateMapper,
];

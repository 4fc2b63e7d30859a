/** The schema-builder mappers the extractor consults, one module per library (see ./builder.ts). */
import type { BuilderMapper } from "./builder.js";
import { knexBuilder } from "./knex.js";

export const builderMappers: readonly BuilderMapper[] = [
  knexBuilder,
];

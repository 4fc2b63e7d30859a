/** The schema-builder mappers the extractor consults, one module per library (see ./builder.ts). */
import type { BuilderMapper } from "./builder.js";
import { kyselyMapper } from "./kysely.js";

export const builderMappers: readonly BuilderMapper[] = [
  kyselyMapper,
];

export { loadParser, MAX_FILE_BYTES, parseSql } from "./parse.js";
export { SourceText, type Position, type Range } from "./source.js";
export { findSections, type Sections } from "./sections.js";
export * from "./ast.js";
export type * from "./types.js";

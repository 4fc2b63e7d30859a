/**
 * Layouts: which files are migrations, in which order, where their downs live or are written, and
 * whether the runner wraps each one in a transaction. See docs/layouts.md for every framework.
 */
export { discover, candidateRoots, type DiscoverOptions, type DiscoveredSet, type TransactionOverride } from "./discover.js";
export { LAYOUTS, LAYOUT_IDS, detectLayout, isLayoutId, layoutById } from "./registry.js";
export { memoryFs, nodeFs, type DiscoveryFs, type EntryKind } from "./fs.js";
export { LayoutInputError, type LayoutErrorCode } from "./errors.js";
export { matchesGlob } from "./glob.js";
export type * from "./types.js";

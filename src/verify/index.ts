/** The verify engine's public surface: engines, snapshots and diffs, round trips, the history runner. */
export type { Engine } from "./engine.js";
export { PgliteEngine, pgliteExtensions, type PgliteEngineOptions } from "./pglite.js";
export { ServerEngine, type ServerEngineOptions } from "./server.js";
export { EngineSqlError, VerifyUsageError, type SqlError } from "./errors.js";
export { readSnapshot, type Snapshot, type Relation, type Column } from "./snapshot.js";
export { diff, isSame, formatDiff, canonicalJson, type SnapshotDiff, type Difference, type ColumnOrderDifference } from "./diff.js";
export { prepare, runScript, type PreparedScript, type ScriptFailure, type Location } from "./script.js";
export { roundTrip, applyUp, type RoundTripInput, type RoundTripResult, type RoundTripStatus, type PhaseFailure } from "./roundtrip.js";
export {
  verifyMigrations,
  handWrittenDown,
  popUnit,
  isFailing,
  VERIFY_STATUSES,
  type VerifyOptions,
  type VerifyReport,
  type VerifyStatus,
  type MigrationResult,
  type DownSupplier,
} from "./verify.js";
export { generatedDowns } from "./generated.js";
export { installShim, supabaseShimSql, type ShimMode } from "./shim.js";
export { formatText, formatJson, summaryLine, type SetReport } from "./format.js";

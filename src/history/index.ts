/**
 * The project's history: git (`--since`), `migration-lint.lock` and the history rules, dependencies
 * between migrations, rollback plans across migrations. Modules:
 *   git.ts        which files changed since a ref (merge base with HEAD, untracked files included)
 *   since.ts      changed files → migrations to lint, and which of them are new (unapplied)
 *   lint.ts       lintWithHistory: lintFiles + --since + the lock checks (the CLI's default command)
 *   lock-file.ts  the lock's format and I/O (find, read, atomic write)
 *   lock.ts       what the lock means: entries per set, and the three history rules' findings (pure)
 *   journal.ts    drizzle's meta/_journal.json, for the `when` checks
 *   deps.ts       the dependency graph between migrations, from the replayed catalogs (pure)
 *   rollback.ts   rollback plans across migrations and their script (pure)
 *   find.ts       a migration named on the command line (id, version, file, prefix)
 *   api.ts        lockMigrations, migrationDependencies, rollbackPlan: the lock, deps and plan commands as functions
 */
export { lintWithHistory, type HistoryLintOptions, type HistoryLintResult } from "./lint.js";
export { lockMigrations, migrationDependencies, rollbackPlan, type LockOptions, type LockOutcome, type RollbackOptions, type SetDependencies } from "./api.js";
export { LOCK_FILE, type Lock, type LockedSet, type LockedMigration } from "./lock-file.js";
export { dependentsOf, type DependencyGraph, type Dependency, type Dependents } from "./deps.js";
export { renderRollback, irreversibleParts, type RollbackPlan, type RollbackPart, type RollbackRange, type DownSource } from "./rollback.js";
export { changedSince, type ChangedFiles, type ChangeKind } from "./git.js";

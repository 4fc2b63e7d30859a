/**
 * Every rule, in documentation order. One rule per file; each file's default export is its rule.
 */
import type { Rule } from "../src/lint/rule.js";
import addingAutoIncrementColumn from "./adding-auto-increment-column.js";
import addingExclusionConstraint from "./adding-exclusion-constraint.js";
import addingFieldWithDefault from "./adding-field-with-default.js";
import addingForeignKeyConstraint from "./adding-foreign-key-constraint.js";
import addingNotNullableField from "./adding-not-nullable-field.js";
import addingPrimaryKeyConstraint from "./adding-primary-key-constraint.js";
import addingRequiredField from "./adding-required-field.js";
import addingStoredGeneratedColumn from "./adding-stored-generated-column.js";
import banAlterDomainWithAddConstraint from "./ban-alter-domain-with-add-constraint.js";
import banCharField from "./ban-char-field.js";
import banCreateDomainWithConstraint from "./ban-create-domain-with-constraint.js";
import banDropColumn from "./ban-drop-column.js";
import banDropDatabase from "./ban-drop-database.js";
import banDropNotNull from "./ban-drop-not-null.js";
import banDropSchema from "./ban-drop-schema.js";
import banDropTable from "./ban-drop-table.js";
import banDuplicateColumnAssignments from "./ban-duplicate-column-assignments.js";
import banTruncateCascade from "./ban-truncate-cascade.js";
import changingColumnType from "./changing-column-type.js";
import concurrentlyInTransaction from "./concurrently-in-transaction.js";
import constraintMissingNotValid from "./constraint-missing-not-valid.js";
import destructiveRequiresPreflight from "./destructive-requires-preflight.js";
import disallowedUniqueConstraint from "./disallowed-unique-constraint.js";
import dmlWithoutWhere from "./dml-without-where.js";
import downMismatch from "./down-mismatch.js";
import dynamicSql from "./dynamic-sql.js";
import emptyMigration from "./empty-migration.js";
import enumAddValue from "./enum-add-value.js";
import enumValueUsedInTransaction from "./enum-value-used-in-transaction.js";
import foreignKeyWithoutIndex from "./foreign-key-without-index.js";
import identifierTooLong from "./identifier-too-long.js";
import irreversibleMigration from "./irreversible-migration.js";
import liveRollbackSection from "./live-rollback-section.js";
import lossyMigration from "./lossy-migration.js";
import migrationModified from "./migration-modified.js";
import migrationOutOfOrder from "./migration-out-of-order.js";
import migrationRemoved from "./migration-removed.js";
import missingDown from "./missing-down.js";
import preferBigintOverInt from "./prefer-bigint-over-int.js";
import preferBigintOverSmallint from "./prefer-bigint-over-smallint.js";
import preferIdentity from "./prefer-identity.js";
import preferJsonb from "./prefer-jsonb.js";
import preferTextField from "./prefer-text-field.js";
import preferTimestamptz from "./prefer-timestamptz.js";
import renamingColumn from "./renaming-column.js";
import renamingTable from "./renaming-table.js";
import requireConcurrentIndexCreation from "./require-concurrent-index-creation.js";
import requireConcurrentIndexDeletion from "./require-concurrent-index-deletion.js";
import requireConcurrentPartitionDetach from "./require-concurrent-partition-detach.js";
import requireConcurrentRefresh from "./require-concurrent-refresh.js";
import requireConcurrentReindex from "./require-concurrent-reindex.js";
import requireEnumValueOrdering from "./require-enum-value-ordering.js";
import requireIdempotent from "./require-idempotent.js";
import requireLockTimeout from "./require-lock-timeout.js";
import requireStatementTimeout from "./require-statement-timeout.js";
import requireTableSchema from "./require-table-schema.js";
import requireTransaction from "./require-transaction.js";
import setLoggedUnlogged from "./set-logged-unlogged.js";
import statementAfterAccessExclusive from "./statement-after-access-exclusive.js";
import strayMigrationFile from "./stray-migration-file.js";
import syntaxError from "./syntax-error.js";
import transformRequiresShadowColumn from "./transform-requires-shadow-column.js";
import transactionNesting from "./transaction-nesting.js";
import unclosedTransaction from "./unclosed-transaction.js";
import unusedIgnore from "./unused-ignore.js";
import vacuumFullOrCluster from "./vacuum-full-or-cluster.js";

export const allRules: readonly Rule[] = [
  // correctness
  syntaxError,
  dynamicSql,
  emptyMigration,
  strayMigrationFile,
  liveRollbackSection,
  unusedIgnore,
  identifierTooLong,
  banDuplicateColumnAssignments,
  // transactions
  requireTransaction,
  transactionNesting,
  unclosedTransaction,
  concurrentlyInTransaction,
  enumValueUsedInTransaction,
  // idempotency
  requireIdempotent,
  // data loss
  destructiveRequiresPreflight,
  // reversibility (the down generator's classes)
  irreversibleMigration,
  lossyMigration,
  enumAddValue,
  transformRequiresShadowColumn,
  downMismatch,
  missingDown,
  // locking: indexes
  requireConcurrentIndexCreation,
  requireConcurrentIndexDeletion,
  requireConcurrentReindex,
  requireConcurrentPartitionDetach,
  requireConcurrentRefresh,
  // locking: columns
  addingFieldWithDefault,
  addingStoredGeneratedColumn,
  addingAutoIncrementColumn,
  addingRequiredField,
  addingNotNullableField,
  changingColumnType,
  banDropNotNull,
  // locking: constraints
  addingForeignKeyConstraint,
  constraintMissingNotValid,
  addingPrimaryKeyConstraint,
  disallowedUniqueConstraint,
  addingExclusionConstraint,
  foreignKeyWithoutIndex,
  banCreateDomainWithConstraint,
  banAlterDomainWithAddConstraint,
  // locking: tables
  setLoggedUnlogged,
  vacuumFullOrCluster,
  statementAfterAccessExclusive,
  requireLockTimeout,
  requireStatementTimeout,
  dmlWithoutWhere,
  // breaking and destructive changes
  banDropColumn,
  banDropTable,
  banDropSchema,
  banDropDatabase,
  banTruncateCascade,
  renamingColumn,
  renamingTable,
  // style
  preferBigintOverInt,
  preferBigintOverSmallint,
  preferIdentity,
  preferTextField,
  preferTimestamptz,
  banCharField,
  preferJsonb,
  requireEnumValueOrdering,
  requireTableSchema,
  // history: against migration-lint.lock and drizzle's journal (findings made by src/history/lock.ts)
  migrationModified,
  migrationRemoved,
  migrationOutOfOrder,
];

export const ruleIds: ReadonlySet<string> = new Set(allRules.map((r) => r.meta.id));

/**
 * Every rule, in documentation order. One rule per file; each file's default export is its rule.
 */
import type { Rule } from "../src/lint/rule.js";
import concurrentlyInTransaction from "./concurrently-in-transaction.js";
import emptyMigration from "./empty-migration.js";
import enumValueUsedInTransaction from "./enum-value-used-in-transaction.js";
import requireTransaction from "./require-transaction.js";
import syntaxError from "./syntax-error.js";
import transactionNesting from "./transaction-nesting.js";
import unclosedTransaction from "./unclosed-transaction.js";
import unusedIgnore from "./unused-ignore.js";

export const allRules: readonly Rule[] = [
  syntaxError,
  emptyMigration,
  unusedIgnore,
  // transactions
  requireTransaction,
  transactionNesting,
  unclosedTransaction,
  concurrentlyInTransaction,
  enumValueUsedInTransaction,
];

export const ruleIds: ReadonlySet<string> = new Set(allRules.map((r) => r.meta.id));

/**
 * Every rule, in documentation order. One rule per file; each file's default export is its rule.
 */
import type { Rule } from "../src/lint/rule.js";
import emptyMigration from "./empty-migration.js";
import syntaxError from "./syntax-error.js";
import unusedIgnore from "./unused-ignore.js";

export const allRules: readonly Rule[] = [syntaxError, emptyMigration, unusedIgnore];

export const ruleIds: ReadonlySet<string> = new Set(allRules.map((r) => r.meta.id));

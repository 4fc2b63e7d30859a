/**
 * migration-lint's public API; it mirrors the CLI.
 *   lintFiles(paths)   — lint + reversibility + down plans (what `migration-lint [paths]` prints)
 *   generateDown(path) — the generated down of one migration (what `migration-lint down` prints)
 *   verify(paths)      — round trips on embedded PostgreSQL or a server (`migration-lint verify`)
 *   lintSql(…)         — the same pipeline on SQL strings
 */
export { lintFiles, lintSql, verify, generateDown, discoverSets, resolveConfig, reportedFiles } from "./api.js";
export type { LintOptions, LintResult, VerifyPathsOptions, GeneratedDownFactory } from "./api.js";
export { allRules } from "../rules/index.js";
export { defineRule, type Rule, type RuleContext } from "./lint/rule.js";
export type { Finding, Severity, RuleMeta } from "./lint/types.js";
export type { DownPlan, Reversibility, StatementInverse } from "./invert/types.js";
export type { Migration, MigrationSet, LayoutId } from "./layout/types.js";
export type { Config, ConfigInput } from "./config/schema.js";
export { formatters, FORMATS, type FormatId } from "./report/index.js";
export { InputError } from "./errors.js";

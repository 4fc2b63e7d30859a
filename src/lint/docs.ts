/**
 * The rule documentation, rendered from each rule's meta so it is written once: `docs/rules/<id>.md`
 * per rule and the table in `docs/rules.md` (between the `rules-table` markers; the rest of that page
 * is prose kept as written). `test/rules/docs.test.ts` fails when the committed pages are stale;
 * `UPDATE_DOCS=1` (or `node dist/src/lint/docs.js`) rewrites them.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { Rule } from "./rule.js";
import type { RuleMeta } from "./types.js";

export const PEERS = ["squawk", "atlas", "strong_migrations", "eugene", "pgfence"] as const;
const PEER_TITLES: Record<(typeof PEERS)[number], string> = {
  squawk: "squawk",
  atlas: "Atlas",
  strong_migrations: "strong_migrations",
  eugene: "eugene",
  pgfence: "pgfence",
};

export const TABLE_START = "<!-- rules-table:start (generated from the rules' meta by src/lint/docs.ts; do not edit) -->";
export const TABLE_END = "<!-- rules-table:end -->";

/**
 * Message placeholders read as `<name>` in prose. `{{where}}` only adds context when the finding has
 * some (where a statement must move to), so the docs leave it out.
 */
const placeholders = (s: string): string => s.replace(/\{\{\s*where\s*\}\}/g, "").replace(/\{\{\s*(\w+)\s*\}\}/g, "<$1>");
const cell = (s: string): string => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const code = (ids: readonly string[] | undefined): string => (ids?.length ? ids.map((i) => `\`${i}\``).join(", ") : "·");

function helpLines(meta: RuleMeta): string[] {
  if (typeof meta.help === "string") return [placeholders(meta.help)];
  const entries = Object.entries(meta.help as Record<string, string | undefined>).filter((e): e is [string, string] => !!e[1]);
  const distinct = [...new Set(entries.map(([, h]) => h))];
  if (distinct.length === 1) return distinct.map(placeholders);
  return entries.map(([id, h]) => `- \`${id}\`: ${placeholders(h)}`);
}

export function renderRuleDoc(meta: RuleMeta): string {
  const lines: string[] = [];
  const runner = meta.docs.runner;
  lines.push(`# ${meta.id}`, "", meta.description, "");
  lines.push("| category | default severity | auto-fix |", "|---|---|---|");
  lines.push(`| ${meta.category} | ${meta.defaultSeverity} | ${meta.fixable ? "yes" : "no"} |`, "");
  lines.push("## Why", "", meta.docs.rationale, "");
  const setting: string[] = [];
  if (runner?.transactional !== undefined) setting.push(runner.transactional ? "a runner that wraps each migration in a transaction" : "a runner that does not wrap migrations in a transaction");
  if (runner?.pgVersion !== undefined) setting.push(`PostgreSQL ${runner.pgVersion}`);
  const context = setting.length ? ` (with ${setting.join(", ")})` : "";
  if (runner?.history) lines.push("## Example setup", "", "The examples below follow this earlier, applied migration:", "", "```sql", runner.history.trimEnd(), "```", "");
  const down = (sql: string | undefined): string[] => (sql === undefined ? [] : ["With this down:", "", "```sql", sql.trimEnd() || "-- (empty)", "```", ""]);
  lines.push("## Bad", "", `This raises the rule${context}:`, "", "```sql", meta.docs.bad.trimEnd(), "```", "", ...down(meta.docs.downs?.bad));
  lines.push("## Good", "", `This does not${context}:`, "", "```sql", meta.docs.good.trimEnd(), "```", "", ...down(meta.docs.downs?.good));
  lines.push("## What to do", "", ...helpLines(meta), "");
  lines.push("## Messages", "");
  for (const [id, template] of Object.entries(meta.messages as Record<string, string>)) lines.push(`- \`${id}\`: ${placeholders(template)}`);
  lines.push("");
  const peers = PEERS.filter((p) => meta.docs.peers?.[p]?.length);
  lines.push("## Peers", "");
  if (peers.length) for (const p of peers) lines.push(`- ${PEER_TITLES[p]}: ${code(meta.docs.peers![p])}`);
  else lines.push("No peer tool has this check.");
  lines.push("", "Examples on this page are run by the test suite (`test/rules/docs.test.ts`): the bad one must raise the rule and the good one must not.", "");
  return lines.join("\n");
}

export function renderRulesTable(rules: readonly Rule[]): string {
  const lines = [
    TABLE_START,
    "",
    `| rule | category | severity | fix | what it flags | ${PEERS.map((p) => PEER_TITLES[p]).join(" | ")} |`,
    `|---|---|---|---|---|${PEERS.map(() => "---").join("|")}|`,
  ];
  for (const { meta } of rules) {
    const peers = PEERS.map((p) => code(meta.docs.peers?.[p]));
    lines.push(`| [\`${meta.id}\`](rules/${meta.id}.md) | ${meta.category} | ${meta.defaultSeverity} | ${meta.fixable ? "yes" : ""} | ${cell(meta.description)} | ${peers.join(" | ")} |`);
  }
  lines.push("", TABLE_END);
  return lines.join("\n");
}

/** docs/rules.md with its generated table replaced (or appended when the markers are missing). */
export function renderRulesPage(existing: string | undefined, rules: readonly Rule[]): string {
  const table = renderRulesTable(rules);
  if (existing) {
    const start = existing.indexOf(TABLE_START);
    const end = existing.indexOf(TABLE_END);
    if (start >= 0 && end > start) return existing.slice(0, start) + table + existing.slice(end + TABLE_END.length);
    return `${existing.trimEnd()}\n\n${table}\n`;
  }
  return `# Rules\n\n${table}\n`;
}

export interface DocFile {
  path: string;
  text: string;
}

/** Every generated file under `docsDir`, as it should be. */
export function renderDocs(rules: readonly Rule[], docsDir: string): DocFile[] {
  const page = path.join(docsDir, "rules.md");
  const out: DocFile[] = [{ path: page, text: renderRulesPage(existsSync(page) ? readFileSync(page, "utf8") : undefined, rules) }];
  for (const { meta } of rules) out.push({ path: path.join(docsDir, "rules", `${meta.id}.md`), text: renderRuleDoc(meta) });
  return out;
}

export function writeDocs(files: readonly DocFile[]): void {
  for (const f of files) {
    mkdirSync(path.dirname(f.path), { recursive: true });
    writeFileSync(f.path, f.text);
  }
}

// `node dist/src/lint/docs.js [docsDir]` regenerates the pages.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { allRules } = (await import(new URL("../../rules/index.js", import.meta.url).href)) as { allRules: readonly Rule[] };
  writeDocs(renderDocs(allRules, process.argv[2] ?? "docs"));
}

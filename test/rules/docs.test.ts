/**
 * The docs are the tests: every rule's `docs.bad` must raise it and `docs.good` must not, and the
 * generated pages (`docs/rules/<id>.md`, the table in `docs/rules.md`) must match the metas.
 * `UPDATE_DOCS=1` rewrites the pages.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { renderDocs, writeDocs } from "../../src/lint/docs.js";
import { loadParser } from "../../src/parse/parse.js";
import { projectCases, runProjectCase } from "../project-fixtures.js";
import { runRule } from "./tester.js";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DOCS = path.join(ROOT, "docs");

describe("rule docs examples", () => {
  beforeAll(async () => {
    await loadParser();
  });
  for (const rule of allRules) {
    const { docs } = rule.meta;
    if (docs.project) {
      // These examples tell a story of files (edit a locked migration, delete one, leave a file out of
      // the journal): fixtures/projects/<id>-bad and -good replay that story in real folders.
      it(`${rule.meta.id}: the docs' story (fixtures/projects/${rule.meta.id}-bad) raises it, -good does not`, async () => {
        const cases = projectCases().filter((c) => c.name.startsWith(`${rule.meta.id}-`));
        const bad = cases.find((c) => c.name.endsWith("-bad"));
        const good = cases.find((c) => c.name.endsWith("-good"));
        expect(bad && good, `fixtures/projects/${rule.meta.id}-bad and -good`).toBeTruthy();
        expect((await runProjectCase(bad!.dir)).map((f) => f[0])).toContain(rule.meta.id);
        expect((await runProjectCase(good!.dir)).map((f) => f[0])).not.toContain(rule.meta.id);
      });
      continue;
    }
    const settings = { transactional: docs.runner?.transactional, pgVersion: docs.runner?.pgVersion, history: docs.runner?.history ? [docs.runner.history] : [] };
    it(`${rule.meta.id}: docs.bad raises it`, () => {
      expect(runRule(rule, { sql: docs.bad, ...settings, ...(docs.downs?.bad !== undefined ? { down: docs.downs.bad } : {}) }).findings.length).toBeGreaterThan(0);
    });
    it(`${rule.meta.id}: docs.good does not`, () => {
      expect(runRule(rule, { sql: docs.good, ...settings, ...(docs.downs?.good !== undefined ? { down: docs.downs.good } : {}) }).findings.map((f) => f.message)).toEqual([]);
    });
  }
});

describe("rule metas", () => {
  it("ids are unique and match their file names", () => {
    const files = readdirSync(path.join(ROOT, "rules")).filter((f) => f.endsWith(".ts") && f !== "index.ts");
    const ids = allRules.map((r) => r.meta.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(files).toContain(`${id}.ts`);
  });
  it("every message id has help, and help has no unknown message ids", () => {
    for (const { meta } of allRules) {
      if (typeof meta.help === "string") continue;
      const messages = Object.keys(meta.messages);
      for (const id of Object.keys(meta.help)) expect(messages, `${meta.id}: help for unknown message ${id}`).toContain(id);
      for (const id of messages) expect(meta.help, `${meta.id}: no help for ${id}`).toHaveProperty(id);
    }
  });
});

it("docs/rules/*.md and docs/rules.md are generated from the metas", () => {
  const files = renderDocs(allRules, DOCS);
  if (process.env["UPDATE_DOCS"] === "1") writeDocs(files);
  for (const f of files) {
    expect(existsSync(f.path), `${path.relative(ROOT, f.path)} is missing: run UPDATE_DOCS=1 npx vitest run test/rules/docs.test.ts`).toBe(true);
    expect(readFileSync(f.path, "utf8"), `${path.relative(ROOT, f.path)} is stale: run UPDATE_DOCS=1 npx vitest run test/rules/docs.test.ts`).toBe(f.text);
  }
  // No page for a rule that no longer exists.
  const pages = readdirSync(path.join(DOCS, "rules")).filter((f) => f.endsWith(".md"));
  expect(pages.sort()).toEqual(allRules.map((r) => `${r.meta.id}.md`).sort());
});

/**
 * The down-generator fixtures (`fixtures/invert/<case>/`) as migration sets, analysed the way the
 * golden runner analyses them: `history/*.sql` replayed first (prelude), then `up.sql`.
 * `case.json` may say `transactional` (does the runner wrap migrations, default true) and `roundTrip`
 * (the expected verify status of the generated down; default `exact`, or `exact-except-column-order`
 * for lossy cases that re-add a column).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { analyzeSet, type AnalyzedMigration } from "../../src/pipeline/analyze.js";
import { migrationSetFromSql, type SqlMigrationInput } from "../../src/pipeline/in-memory.js";
import type { MigrationSet } from "../../src/layout/types.js";

export const INVERT_FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/invert");

export interface InvertCase {
  name: string;
  dir: string;
  set: MigrationSet;
  spec: { transactional?: boolean; roundTrip?: string; class?: string };
}

export function invertCases(): InvertCase[] {
  if (!existsSync(INVERT_FIXTURES)) return [];
  return readdirSync(INVERT_FIXTURES)
    .sort()
    .filter((name) => existsSync(path.join(INVERT_FIXTURES, name, "up.sql")))
    .map((name) => loadCase(path.join(INVERT_FIXTURES, name)));
}

export function loadCase(dir: string): InvertCase {
  const read = (f: string): string | undefined => (existsSync(path.join(dir, f)) ? readFileSync(path.join(dir, f), "utf8") : undefined);
  const spec = JSON.parse(read("case.json") ?? "{}") as InvertCase["spec"];
  const historyDir = path.join(dir, "history");
  const inputs: SqlMigrationInput[] = existsSync(historyDir)
    ? readdirSync(historyDir)
        .filter((f) => f.endsWith(".sql"))
        .sort()
        .map((f) => ({ name: `history/${f.replace(/\.sql$/, "")}`, up: readFileSync(path.join(historyDir, f), "utf8"), prelude: true }))
    : [];
  inputs.push({ name: "up", up: read("up.sql")!, down: read("down.sql"), transactional: spec.transactional ?? true });
  return { name: path.basename(dir), dir, set: migrationSetFromSql(inputs, path.relative(process.cwd(), dir)), spec };
}

export function analyzeCase(c: InvertCase): AnalyzedMigration {
  const analyzed = analyzeSet(c.set, { settings: { pgVersion: 16, timeoutsSetByRunner: false }, searchPath: ["public"], rules: [], lint: false });
  return analyzed.migrations.at(-1)!;
}

/**
 * `rules/_shared/pg-facts.ts` is data read from PostgreSQL itself (PGlite, PostgreSQL 18): which
 * built-in functions are volatile and which casts are binary coercible. This test regenerates it and
 * fails when the committed file differs; `UPDATE_PG_FACTS=1` rewrites it.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { expect, it } from "vitest";

const FILE = path.resolve(import.meta.dirname, "../../rules/_shared/pg-facts.ts");

function wrap(words: string[]): string {
  const lines: string[] = [];
  let line = "";
  for (const w of words) {
    if (line && line.length + w.length + 1 > 110) {
      lines.push(line);
      line = "";
    }
    line = line ? `${line} ${w}` : w;
  }
  if (line) lines.push(line);
  return lines.map((l) => `  ${l}`).join("\n");
}

async function generate(): Promise<string> {
  const db = new PGlite();
  const version = (await db.query<{ v: string }>("select current_setting('server_version') as v")).rows[0]!.v;
  const fns = await db.query<{ proname: string; vol: boolean }>(
    `select proname, bool_or(provolatile = 'v') as vol from pg_proc p join pg_namespace n on n.oid = p.pronamespace
     where n.nspname = 'pg_catalog' and proname !~ '^(_|binary_upgrade)' group by proname order by 1`,
  );
  const casts = await db.query<{ s: string; t: string }>(
    `select format_type(castsource, null) as s, format_type(casttarget, null) as t from pg_cast
     where castmethod = 'b' and format_type(castsource, null) !~ '^(reg|oid|pg_)' and format_type(casttarget, null) !~ '^(reg|oid|pg_)'
     order by 1, 2`,
  );
  await db.close();
  const volatile = fns.rows.filter((r) => r.vol).map((r) => r.proname);
  const stable = fns.rows.filter((r) => !r.vol).map((r) => r.proname);
  return `/**
 * Facts read from PostgreSQL ${version} (PGlite) by test/rules/pg-facts.test.ts; regenerate with
 * \`UPDATE_PG_FACTS=1 npx vitest run test/rules/pg-facts.test.ts\`. Do not edit by hand.
 */

/** pg_catalog functions with at least one VOLATILE overload (\`pg_proc.provolatile = 'v'\`). */
export const VOLATILE_FUNCTIONS = \`
${wrap(volatile)}
\`;

/** pg_catalog functions whose every overload is STABLE or IMMUTABLE. */
export const NON_VOLATILE_FUNCTIONS = \`
${wrap(stable)}
\`;

/** Casts PostgreSQL performs without calling a function (\`pg_cast.castmethod = 'b'\`), as format_type names. */
export const BINARY_COERCIBLE_CASTS: readonly (readonly [string, string])[] = [
${casts.rows.map((r) => `  [${JSON.stringify(r.s)}, ${JSON.stringify(r.t)}],`).join("\n")}
];
`;
}

it("rules/_shared/pg-facts.ts matches PostgreSQL", async () => {
  const text = await generate();
  if (process.env["UPDATE_PG_FACTS"] === "1") writeFileSync(FILE, text);
  expect(readFileSync(FILE, "utf8")).toBe(text);
});

/**
 * Inline `-- ROLLBACK START` … `-- ROLLBACK END` sections in every layout whose runner applies the
 * whole file: the up excludes the section, the down is the section (commented or live, read as SQL),
 * and each section says whether it is live.
 */
import { describe, expect, it } from "vitest";
import { uncommentSections, findSections, isLiveSection, commentOut } from "../../src/parse/sections.js";
import { onlySet } from "./helpers.js";

const COMMENTED = "CREATE TABLE a (id int);\n-- ROLLBACK START\n-- -- why: a was new\n-- DROP TABLE a;\n-- ROLLBACK END\n";
const LIVE = "CREATE TABLE a (id int);\n-- ROLLBACK START\n-- why: a was new\nDROP TABLE a;\n-- ROLLBACK END\n";

const slices = (text: string, regions: { start: number; end: number }[] | undefined) => (regions ?? []).map((r) => text.slice(r.start, r.end));

const cases: [string, Record<string, string>, string][] = [
  ["supabase", { "supabase/config.toml": "", "supabase/migrations/20240101000000_a.sql": "<sql>" }, "supabase/migrations/20240101000000_a.sql"],
  ["postgres-migrations", { "package.json": '{"dependencies":{"postgres-migrations":"5"}}', "migrations/00001-a.sql": "<sql>" }, "migrations/00001-a.sql"],
  ["flyway", { "db/V1__a.sql": "<sql>" }, "db/V1__a.sql"],
  ["prisma", { "prisma/migrations/migration_lock.toml": "", "prisma/migrations/20240101000000_a/migration.sql": "<sql>" }, "prisma/migrations/20240101000000_a/migration.sql"],
  ["plain", { "db/001_a.sql": "<sql>" }, "db/001_a.sql"],
];

describe("inline ROLLBACK sections", () => {
  for (const [layout, tree, file] of cases) {
    for (const [form, sql] of [["commented", COMMENTED], ["live", LIVE]] as const) {
      it(`${layout}: a ${form} section is the down, not part of the up`, async () => {
        const set = await onlySet(Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, v.replace("<sql>", sql)])));
        expect(set.layout).toBe(layout);
        const [m] = set.migrations;
        expect(slices(m!.up.text, m!.up.regions).join("").trim()).toBe("CREATE TABLE a (id int);");
        expect(m!.down!.path).toBe(file);
        // Read as SQL either way; positions stay the file's (same length, same offsets).
        expect(m!.down!.text).toHaveLength(sql.length);
        const down = slices(m!.down!.text, m!.down!.regions).join("");
        expect(down.replace(/^ +/gm, "")).toContain("\nDROP TABLE a;\n");
        const at = m!.down!.text.indexOf("DROP TABLE a;");
        expect(sql.slice(at, at + 13)).toBe("DROP TABLE a;");
        expect(m!.rollbackSections!.map((s) => s.live)).toEqual([form === "live"]);
        expect(m!.downTarget).toEqual({ kind: "section", path: file, style: "rollback" });
      });
    }
  }

  it("dbmate files are split by their own markers only", async () => {
    const set = await onlySet({ "db/migrations/20240101000000_a.sql": "-- migrate:up\nCREATE TABLE a (id int);\n-- migrate:down\nDROP TABLE a;\n" });
    expect(set.layout).toBe("dbmate");
    expect(set.migrations[0]!.rollbackSections).toBeUndefined();
  });

  it("a down file beside the up is kept as the down; the section is still cut from the up", async () => {
    const set = await onlySet({ "migrations/001_a.up.sql": COMMENTED, "migrations/001_a.down.sql": "DROP TABLE a;\n" });
    const [m] = set.migrations;
    expect(m!.down!.path).toBe("migrations/001_a.down.sql");
    expect(slices(m!.up.text, m!.up.regions).join("").trim()).toBe("CREATE TABLE a (id int);");
  });

  it("uncommenting keeps a live section's comments, commentOut marks every non-blank line", () => {
    const s = findSections(LIVE);
    expect(isLiveSection(LIVE, s.down[0]!)).toBe(true);
    expect(uncommentSections(LIVE, s.down)).toBe(LIVE);
    const c = findSections(COMMENTED);
    expect(isLiveSection(COMMENTED, c.down[0]!)).toBe(false);
    expect(uncommentSections(COMMENTED, c.down)).toBe("CREATE TABLE a (id int);\n-- ROLLBACK START\n   -- why: a was new\n   DROP TABLE a;\n-- ROLLBACK END\n");
    expect(commentOut("\nDROP TABLE a;\n\n  -- x\n")).toBe("\n-- DROP TABLE a;\n\n--   -- x\n");
  });
});

/**
 * sqitch: the order comes from `sqitch.plan`; each change has `deploy/<change>.sql`,
 * `revert/<change>.sql` and `verify/<change>.sql`. A reworked change appears twice in the plan; its
 * older scripts are named `<change>@<tag>.sql` after the first tag that follows it. sqitch runs each
 * script through psql, so the script's own BEGIN/COMMIT (which sqitch's templates write) is the only
 * transaction.
 */
import { at, defineLayout, detected, readSql, NOT_MINE, transaction } from "./common.js";
import { LayoutInputError } from "./errors.js";
import type { DirListing, LayoutFs, Migration, MigrationSet } from "./types.js";

export const PLAN = "sqitch.plan";

interface PlannedChange {
  name: string;
  /** `@tag` for a reworked change's older scripts. */
  script: string;
  line: number;
}

export function parsePlan(text: string): PlannedChange[] {
  const changes: { name: string; line: number }[] = [];
  const tagsAfter: { index: number; tag: string }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/\s+#.*$/, "").trim();
    if (!line || line.startsWith("%") || line.startsWith("#")) return;
    if (line.startsWith("@")) {
      tagsAfter.push({ index: changes.length, tag: line.split(/\s+/)[0]! });
      return;
    }
    const name = line.split(/[\s[]/)[0]!;
    changes.push({ name, line: i + 1 });
  });
  return changes.map((c, i) => {
    const later = changes.slice(i + 1).some((d) => d.name === c.name);
    if (!later) return { ...c, script: c.name };
    // The first tag placed after this change names its frozen scripts.
    const tag = tagsAfter.find((t) => t.index > i)?.tag;
    return { ...c, script: tag ? `${c.name}${tag}` : c.name };
  });
}

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const planPath = at(dir, PLAN);
  const files = new Set(dir.files);
  const used = new Set<string>();
  const migrations: Migration[] = [];
  for (const [i, change] of parsePlan(await fs.readText(planPath)).entries()) {
    const deploy = `deploy/${change.script}.sql`;
    if (!files.has(deploy)) {
      throw new LayoutInputError("malformed", `line ${change.line} plans "${change.name}" but ${at(dir, deploy)} does not exist`, planPath);
    }
    const revert = `revert/${change.script}.sql`;
    const verify = `verify/${change.script}.sql`;
    used.add(deploy);
    const m: Migration = {
      id: change.script,
      version: String(i + 1).padStart(4, "0"),
      name: change.name,
      up: await readSql(dir, fs, deploy),
      expectsDown: true,
      downTarget: { kind: "file", path: at(dir, revert) },
      ...transaction("per-statement", "sqitch runs each script with psql: the script's own BEGIN/COMMIT is its only transaction"),
    };
    if (files.has(revert)) {
      used.add(revert);
      m.down = await readSql(dir, fs, revert);
    }
    if (files.has(verify)) {
      used.add(verify);
      m.verify = await readSql(dir, fs, verify);
    }
    migrations.push(m);
  }
  const stray = dir.files.filter((f) => f.endsWith(".sql") && !used.has(f)).map((f) => at(dir, f));
  return { layout: "sqitch", root: dir.root, migrations, stray };
}

export const sqitch = defineLayout(
  "sqitch",
  (dir) => (dir.files.includes(PLAN) ? detected(100, "sqitch.plan") : NOT_MINE),
  load,
);

/**
 * sqitch: the order comes from `sqitch.plan`; each change has `deploy/<change>.sql`,
 * `revert/<change>.sql` and `verify/<change>.sql`. A reworked change appears twice in the plan; its
 * older scripts are named `<change>@<tag>.sql` after the first tag that follows it. sqitch runs each
 * script through psql, so the script's own BEGIN/COMMIT (which sqitch's templates write) is the only
 * transaction.
 */
import { at, defineLayout, detected, readSql, NOT_MINE, transaction } from "./common.js";
import { LayoutInputError } from "./errors.js";
import { parseSqitchPlan } from "./sqitch-plan.js";
import type { DirListing, LayoutFs, Migration, MigrationSet } from "./types.js";

export const PLAN = "sqitch.plan";

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const planPath = at(dir, PLAN);
  const files = new Set(dir.files);
  const used = new Set<string>();
  const migrations: Migration[] = [];
  const plan = parseSqitchPlan(await fs.readText(planPath));
  const planned = { project: plan.project, ...(plan.uri ? { uri: plan.uri } : {}) };
  for (const [i, change] of plan.changes.entries()) {
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
      sqitch: { ...planned, change },
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

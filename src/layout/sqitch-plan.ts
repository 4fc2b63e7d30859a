/**
 * `sqitch.plan`, read once for the layout (which change comes when, which scripts it runs) and the
 * journal (the ids sqitch gives changes and tags in its registry). Sources (Debian sqitch 1.3.1,
 * `App/Sqitch/`): `Plan.pm` (a line is a `%pragma`, a change `name [deps] date planner <email> # note`, or a
 * tag `@name date planner <email> # note` placed after the change it tags; a reworked change is planned
 * again under its name, its older scripts named `<change>@<tag>` after the first tag that follows it) and
 * `Plan/Change.pm` / `Plan/Tag.pm` (`info` and `id`: SHA-1 of `<kind> <byte length>\0<info>`).
 */
import { sha1Hex } from "./journal-support.js";

/** A tag of the plan (`@v1.0 …` after the change it tags), with its id (Plan/Tag.pm). */
export interface PlannedTag {
  name: string;
  planned: string;
  plannerName: string;
  plannerEmail: string;
  note: string;
  id: string;
}

/** One change of the plan: where it stands, which scripts it runs, and what its id is computed from. */
export interface PlannedChange {
  name: string;
  /** `<change>` or, for a reworked change's older scripts, `<change>@<tag>`. */
  script: string;
  /** 1-based line of the plan. */
  line: number;
  tags: PlannedTag[];
  requires: string[];
  conflicts: string[];
  planned: string;
  plannerName: string;
  plannerEmail: string;
  note: string;
  id: string;
}

export interface SqitchPlan {
  project: string;
  uri?: string;
  changes: PlannedChange[];
}

/** What a migration of the sqitch layout carries from the plan. */
export interface SqitchPlanned {
  project: string;
  uri?: string;
  change: PlannedChange;
}

/** `rest` of a change or tag line: `date planner <email> # note` (lines missing a part keep it empty). */
const PLANNED = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)\s+(.+?)\s+<([^>]*)>(?:\s+#\s?(.*))?$/;
/** A change's name ends at white space or its `[dependencies]`. */
const CHANGE = /^([^\s[]+)\s*(?:\[([^\]]*)\])?\s*(.*)$/;

interface Planning {
  planned: string;
  plannerName: string;
  plannerEmail: string;
  note: string;
}

function planningOf(rest: string): Planning {
  const m = PLANNED.exec(rest);
  if (!m) return { planned: "", plannerName: "", plannerEmail: "", note: "" };
  return { planned: m[1]!, plannerName: m[2]!, plannerEmail: m[3]!, note: m[4] ?? "" };
}

/** SHA-1 of `<kind> <byte length>\0<info>`: how sqitch names changes and tags. */
function objectId(kind: "change" | "tag", info: string): string {
  return sha1Hex(`${kind} ${Buffer.byteLength(info, "utf8")}\0${info}`);
}

function head(plan: Omit<SqitchPlan, "changes">): string[] {
  return [`project ${plan.project}`, ...(plan.uri ? [`uri ${plan.uri}`] : [])];
}

function tagOf(plan: Omit<SqitchPlan, "changes">, name: string, tagged: PlannedChange, p: Planning): PlannedTag {
  const info = [...head(plan), `tag ${name}`, `change ${tagged.id}`, `planner ${p.plannerName} <${p.plannerEmail}>`, `date ${p.planned}`, ...(p.note ? ["", p.note] : [])];
  return { name, ...p, id: objectId("tag", info.join("\n")) };
}

function changeOf(plan: Omit<SqitchPlan, "changes">, c: Omit<PlannedChange, "id">, parent: PlannedChange | undefined): PlannedChange {
  const info = [
    ...head(plan),
    `change ${c.name}`,
    ...(parent ? [`parent ${parent.id}`] : []),
    `planner ${c.plannerName} <${c.plannerEmail}>`,
    `date ${c.planned}`,
    ...(c.requires.length ? [`requires\n  + ${c.requires.join("\n  + ")}`] : []),
    ...(c.conflicts.length ? [`conflicts\n  - ${c.conflicts.join("\n  - ")}`] : []),
    ...(c.note ? ["", c.note] : []),
  ];
  return { ...c, id: objectId("change", info.join("\n")) };
}

/** The plan's changes in order, with their scripts and the ids sqitch gives them. */
export function parseSqitchPlan(text: string): SqitchPlan {
  const plan: Omit<SqitchPlan, "changes"> = { project: "" };
  const changes: PlannedChange[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const pragma = /^%(\w+)\s*=\s*(.*)$/.exec(line);
    if (pragma) {
      if (pragma[1] === "project") plan.project = pragma[2]!.trim();
      if (pragma[1] === "uri") plan.uri = pragma[2]!.trim();
      return;
    }
    if (line.startsWith("%")) return;
    if (line.startsWith("@")) {
      const tagged = changes.at(-1);
      const name = line.split(/\s+/)[0]!;
      if (tagged) tagged.tags.push(tagOf(plan, name, tagged, planningOf(line.slice(name.length).trim())));
      return;
    }
    const [, name, deps = "", rest = ""] = CHANGE.exec(line)!;
    const listed = deps.split(/\s+/).filter(Boolean);
    const change = {
      name: name!,
      script: name!,
      line: i + 1,
      tags: [],
      requires: listed.filter((d) => !d.startsWith("!")),
      conflicts: listed.filter((d) => d.startsWith("!")).map((d) => d.slice(1)),
      ...planningOf(rest),
    };
    changes.push(changeOf(plan, change, changes.at(-1)));
  });
  // A change planned again later runs its frozen scripts, named after the first tag placed after it.
  changes.forEach((c, i) => {
    if (!changes.slice(i + 1).some((d) => d.name === c.name)) return;
    const tag = changes.slice(i).flatMap((d) => d.tags)[0];
    if (tag) c.script = `${c.name}${tag.name}`;
  });
  return { ...plan, changes };
}

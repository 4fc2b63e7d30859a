/**
 * `plan --rollback --steps N` on the bundled examples, proven on embedded PostgreSQL: apply every
 * migration, run the plan's script, and compare the schema with the one N migrations back. The only
 * differences allowed are the ones the plan itself declares (irreversible parts).
 */
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { analyzedSets, rollbackPlan } from "../../src/history/api.js";
import { irreversibleParts, renderRollback } from "../../src/history/rollback.js";
import { diff, formatDiff, isSame } from "../../src/verify/diff.js";
import { PgliteEngine } from "../../src/verify/pglite.js";
import { prepareScript, runScript } from "../../src/verify/script.js";
import type { Snapshot } from "../../src/verify/snapshot.js";

const ROOT = path.resolve(import.meta.dirname, "../..");

interface Outcome {
  expected: Snapshot;
  actual: Snapshot;
  failure?: string;
}

/** Apply the example's migrations on a fresh PGlite, roll back `steps` with the plan, snapshot both ends. */
async function rollBack(example: string, steps: number, downs: "generated" | "written" = "generated"): Promise<Outcome & { irreversible: string[] }> {
  const [analyzed] = await analyzedSets([example], { cwd: ROOT });
  const ups = analyzed!.migrations.map((m) => m.migration.up);
  const plan = await rollbackPlan([example], { steps }, { cwd: ROOT, downs });
  const engine = await PgliteEngine.create();
  try {
    for (const up of ups.slice(0, ups.length - steps)) await engine.exec(up.text);
    const expected = await engine.snapshot();
    for (const up of ups.slice(ups.length - steps)) await engine.exec(up.text);
    const script = renderRollback(plan, "test");
    const failure = await runScript(engine, prepareScript({ path: "rollback.sql", text: script }));
    const actual = await engine.snapshot();
    return { expected, actual, irreversible: irreversibleParts(plan).map((p) => p.migration.id), ...(failure ? { failure: JSON.stringify(failure) } : {}) };
  } finally {
    await engine.close();
  }
}

describe("plan --rollback on the bundled examples, applied on PGlite", () => {
  beforeAll(async () => {
    // Boot one engine first so the per-test timings do not include loading the WASM.
    await (await PgliteEngine.create()).close();
  });

  it("drizzle --steps 3: the script applies cleanly and restores the schema of 0001, except the enum value it declares irreversible", async () => {
    const { expected, actual, failure, irreversible } = await rollBack("examples/drizzle-app", 3);
    expect(failure).toBeUndefined();
    expect(irreversible).toEqual(["0002_project_status_paused"]);
    const d = diff(expected, actual);
    expect(d.columnOrder).toEqual([]);
    expect(formatDiff(d)).toEqual(['~ enum public.project_status › labels: ["active","archived"] → ["active","paused","archived"]']);
  });

  it("drizzle --steps 2: no irreversible part, the schema is exactly the one after 0002", async () => {
    const { expected, actual, failure, irreversible } = await rollBack("examples/drizzle-app", 2);
    expect(failure).toBeUndefined();
    expect(irreversible).toEqual([]);
    expect(formatDiff(diff(expected, actual))).toEqual([]);
    expect(isSame(diff(expected, actual))).toBe(true);
  });

  it("diesel --steps 3: restores the schema of three migrations back (a re-added column goes last), except the enum value", async () => {
    const { expected, actual, failure, irreversible } = await rollBack("examples/diesel-app", 3);
    expect(failure).toBeUndefined();
    expect(irreversible).toEqual(["2024-03-20-093000_add_archived_post_state"]);
    const d = diff(expected, actual);
    expect(d.differences.map((x) => x.path.join(" › "))).toEqual(["enum public.post_state › labels"]);
    expect(d.columnOrder.map((c) => c.path.join(" › "))).toEqual(["table public.authors"]);
  });

  it("diesel --steps 3 --downs written runs the hand-written downs: the example's wrong one loses legacy_code's DEFAULT", async () => {
    const { expected, actual, failure } = await rollBack("examples/diesel-app", 3, "written");
    expect(failure).toBeUndefined();
    // The example's hand-written down is wrong on purpose: it re-adds legacy_code without its DEFAULT ''.
    expect(formatDiff(diff(expected, actual)).some((l) => l.includes("column legacy_code › default"))).toBe(true);
  });
});

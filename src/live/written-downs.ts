/**
 * `--downs prefer-written`: a hand-written down is used only where `verify` does not find it wrong. On the
 * PGlite engine the drift check has just replayed the applied history on, each part's down is run newest
 * first and the result compared with the schema its migration started from; a written down that fails
 * or leaves a different schema is reported and replaced by the generated one (which is then run there,
 * so the next part is checked from the right state).
 */
import type { RollbackPart } from "../history/rollback.js";
import { diff, formatDiff, isSame } from "../verify/diff.js";
import type { Engine } from "../verify/engine.js";
import { prepare, runScript } from "../verify/script.js";
import type { Snapshot } from "../verify/snapshot.js";
import type { ReplayHook } from "./drift.js";

/** Part id → why its written down was found wrong. */
export type WrittenDownProblems = Map<string, string>;

async function attempt(engine: Engine, part: RollbackPart, expected: Snapshot): Promise<string | undefined> {
  const path = part.source === "written" && part.migration.down ? part.migration.down.path : `generated down of ${part.migration.id}`;
  const failure = await runScript(engine, await prepare({ path, text: part.sql }));
  if (failure) return `fails on PGlite at ${failure.location.path}:${failure.location.line}:${failure.location.column}: ${failure.error.message}`;
  const d = diff(expected, await engine.snapshot());
  if (isSame(d) || d.differences.length === 0) return undefined;
  const lines = formatDiff(d);
  return `leaves a schema that differs from the one before the migration (${lines[0]}${lines.length > 1 ? ` and ${lines.length - 1} more` : ""})`;
}

export function writtenDownCheck(parts: readonly RollbackPart[], generated: readonly RollbackPart[], problems: WrittenDownProblems): ReplayHook {
  return {
    keep: parts.length,
    async run(engine, states) {
      for (const [i, part] of parts.entries()) {
        const expected = states[i]!;
        await engine.begin();
        await engine.savepoint("written_down");
        let problem = await attempt(engine, part, expected);
        if (problem && part.source === "written") {
          problems.set(part.migration.id, problem);
          await engine.rollbackTo("written_down");
          problem = await attempt(engine, generated[i]!, expected);
        }
        await engine.commit();
        // Without a down that reaches the right schema, later parts cannot be judged from here.
        if (problem) return;
      }
    },
  };
}

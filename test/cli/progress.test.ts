/** The progress line's stages: what `verify` shows while PGlite starts, before there is anything to count. */
import { afterEach, beforeEach, expect, it } from "vitest";
import { progressBar } from "../../src/cli/progress.js";

let ci: string | undefined;
beforeEach(() => {
  ci = process.env["CI"];
  delete process.env["CI"];
});
afterEach(() => {
  if (ci === undefined) delete process.env["CI"];
  else process.env["CI"] = ci;
});

function terminal(isTTY: boolean): { stream: NodeJS.WriteStream; written: () => string } {
  let text = "";
  const stream = { isTTY, write: (s: string) => ((text += s), true) } as unknown as NodeJS.WriteStream;
  return { stream, written: () => text };
}

it("shows a stage at once on a terminal, and clears it when done", () => {
  const t = terminal(true);
  const p = progressBar("verifying", t.stream);
  p.stage("starting embedded PostgreSQL (PGlite)");
  expect(t.written()).toBe("\r\u001b[Kverifying: starting embedded PostgreSQL (PGlite)…");
  p.update(1, 2);
  expect(t.written()).toMatch(/verifying \[#{15} {15}\] 1\/2$/);
  p.done();
  expect(t.written().endsWith("\r\u001b[K")).toBe(true);
});

it("says nothing when the stream is not a terminal", () => {
  const t = terminal(false);
  const p = progressBar("verifying", t.stream);
  p.stage("starting embedded PostgreSQL (PGlite)");
  p.done();
  expect(t.written()).toBe("");
});

/**
 * The confirmation on a terminal: the real CLI runs under a pseudo-terminal (util-linux `script`, so stdin
 * and stderr are a TTY and `rollback` asks), against drizzle-orm's migrator's database on PostgreSQL. The
 * plan with the lossy reasons comes before the question; "n" leaves the journal and the schema untouched,
 * "y" rolls back.
 */
import { spawn, spawnSync } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/verify/diff.js";
import { drizzleAppApplied, drizzleRows, liveServer, liveSnapshot, relationExists, ROOT } from "./helpers.js";

const { serverUrl, database } = await liveServer("live confirmation tests");
const SCRIPT = spawnSync("script", ["--version"]).status === 0 ? "script" : undefined;
const skip = !serverUrl ? "no PostgreSQL server" : !SCRIPT ? "util-linux `script` is not installed (it provides the pseudo-terminal)" : "";

const QUESTION = "[yes/no] ";

const quoted = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`;
/** readline's cursor moves (`ESC[150G`, `ESC[1G ESC[0J`): not text. */
const CURSOR_MOVES = new RegExp(`${String.fromCharCode(27)}\\[[0-9;?]*[A-Za-z]`, "g");

/** The CLI under a pseudo-terminal; `answer` is typed once the question is on the screen. All it printed, and its exit code. */
function underTerminal(args: string[], answer: string): Promise<{ screen: string; code: number | null }> {
  const tsx = pathToFileURL(path.join(ROOT, "node_modules/tsx/dist/loader.mjs")).href;
  const command = [process.execPath, "--import", tsx, path.join(ROOT, "test/e2e/cli.ts"), ...args].map(quoted).join(" ");
  // -q: no banner; -f: flush as it is written; -e: exit with the command's code; -c: the command.
  const child = spawn(SCRIPT!, ["-qfec", command, "/dev/null"], { env: { ...process.env, NO_COLOR: "1" }, stdio: ["pipe", "pipe", "pipe"] });
  let screen = "";
  let answered = false;
  const onData = (d: Buffer) => {
    screen += String(d);
    if (!answered && screen.includes(QUESTION)) {
      answered = true;
      child.stdin.write(`${answer}\r`);
    }
  };
  child.stdout.on("data", onData);
  child.stderr.on("data", onData);
  return new Promise((resolve) =>
    child.on("exit", (code) => {
      child.stdin.end();
      resolve({ screen: screen.replace(CURSOR_MOVES, "").replace(/\r+\n/g, "\n"), code });
    }),
  );
}

describe.skipIf(skip !== "")(`rollback asks on a terminal${skip ? ` (skipped: ${skip})` : ""}`, { timeout: 400_000 }, () => {
  it('"n" leaves the journal and the schema untouched; the lossy reasons come before the question', async () => {
    const { url, folder } = await drizzleAppApplied(database);
    const rows = await drizzleRows(url);
    const before = canonicalJson(await liveSnapshot(url));
    const run = await underTerminal(["rollback", folder, "--database-url", url, "--steps", "1", "--no-audit"], "n");
    const question = run.screen.indexOf(`Roll back 1 migration on `);
    expect(question, run.screen).toBeGreaterThan(0);
    expect(run.screen.slice(question)).toMatch(/^Roll back 1 migration on .* \(1 lossy: the data they dropped does not come back\)\? \[yes\/no\] n\n/);
    const plan = run.screen.slice(0, question);
    expect(plan).toContain(
      "  1. 0004_project_members  lossy  (generated down)\n       line 22: the values of users.last_login_at are gone (the column comes back empty)\n       drops table project_members\n",
    );
    expect(run.screen.slice(question)).toContain("not confirmed: nothing was rolled back");
    expect(run.code).toBe(1);
    expect(await drizzleRows(url)).toEqual(rows);
    expect(canonicalJson(await liveSnapshot(url))).toBe(before);
  });

  it('"y" rolls back the migration and its journal row', async () => {
    const { url, folder } = await drizzleAppApplied(database);
    const rows = await drizzleRows(url);
    const run = await underTerminal(["rollback", folder, "--database-url", url, "--steps", "1", "--no-audit"], "y");
    expect(run.screen).toMatch(/\(1 lossy: the data they dropped does not come back\)\? \[yes\/no\] y\n/);
    expect(run.screen).toContain("rolled back 0004_project_members");
    expect(run.code).toBe(0);
    expect(await drizzleRows(url)).toEqual(rows.slice(0, 4));
    expect(await relationExists(url, "public.project_members")).toBe(false);
  });
});

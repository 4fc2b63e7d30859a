/**
 * sqitch's registry: recorded by our module on PGlite and the server, and a round trip with the real
 * sqitch (Debian `sqitch` + `libdbd-pg-perl`) against PostgreSQL: `sqitch deploy`, read the registry with
 * the module (change ids and script hashes must be sqitch's), run the newest change's revert script and
 * the module's un-record, check `sqitch status` and `sqitch log` agree, then `sqitch deploy` must deploy
 * exactly that change again.
 */
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseSqitchPlan } from "../../src/layout/sqitch-plan.js";
import { sqitchJournal } from "../../src/layout/sqitch-journal.js";
import { NO_SERVER, pgliteDatabase, recordApplied, SERVER_URL, serverDatabase, setFromFolder, summary, unrecordNewest, type TestDatabase } from "./harness.js";
import { projectFolder, runner, SQITCH } from "./real-runners.js";

const PROJECT = {
  "sqitch.conf": "[core]\n\tengine = pg\n",
  "sqitch.plan":
    "%syntax-version=1.0.0\n%project=journaltest\n\n" +
    "users 2024-01-01T00:00:00Z Test Planner <planner@example.com> # Add users\n" +
    "posts [users] 2024-01-02T00:00:00Z Test Planner <planner@example.com> # Add posts\n",
  "deploy/users.sql": "BEGIN;\nCREATE TABLE users (id bigint PRIMARY KEY);\nCOMMIT;\n",
  "revert/users.sql": "BEGIN;\nDROP TABLE users;\nCOMMIT;\n",
  "deploy/posts.sql": "BEGIN;\nCREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\nCOMMIT;\n",
  "revert/posts.sql": "BEGIN;\nDROP TABLE posts;\nCOMMIT;\n",
};
// What sqitch 1.3.1 wrote for this plan (change ids) and `sha1sum deploy/*.sql` (script hashes).
const USERS_ID = "e8606f7e04e9de328391ef414b64c406ecb1316b";
const POSTS_ID = "7e92cf23c531e3396b47ad52a72c4fa87c1ba44f";
const USERS_HASH = "d24b5cc4b97c310eca3004dde64c8ba545688b7b";
const POSTS_HASH = "d7cc18be6ec1c8d4fa7d32febb76be82a7f34867";

const dir = projectFolder("sqitch", PROJECT);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it("change ids are sqitch's: SHA-1 of the plan entry with its parent", () => {
  expect(parseSqitchPlan(PROJECT["sqitch.plan"]).changes.map((c) => [c.name, c.id])).toEqual([
    ["users", USERS_ID],
    ["posts", POSTS_ID],
  ]);
});

function recordSuite(open: () => Promise<TestDatabase>) {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await open();
  });
  afterAll(async () => db?.close());

  it("records changes, dependencies and deploy events; un-records with a revert event", async () => {
    const set = await setFromFolder(dir, "sqitch");
    await recordApplied(db, sqitchJournal, set);
    expect(await db.client.query("SELECT change_id, change, script_hash, project, note FROM sqitch.changes ORDER BY committed_at")).toEqual([
      { change_id: USERS_ID, change: "users", script_hash: USERS_HASH, project: "journaltest", note: "Add users" },
      { change_id: POSTS_ID, change: "posts", script_hash: POSTS_HASH, project: "journaltest", note: "Add posts" },
    ]);
    expect(await db.client.query("SELECT change_id, type, dependency, dependency_id FROM sqitch.dependencies")).toEqual([
      { change_id: POSTS_ID, type: "require", dependency: "users", dependency_id: USERS_ID },
    ]);
    const state = await sqitchJournal.read(db.client, set, {});
    expect(summary(state.entries)).toEqual([
      { id: "users", recorded: `users ${USERS_ID}`, state: "applied", hash: USERS_HASH },
      { id: "posts", recorded: `posts ${POSTS_ID}`, state: "applied", hash: POSTS_HASH },
    ]);
    expect(sqitchJournal.hashOf!(set.migrations[1]!)).toBe(POSTS_HASH);
    await unrecordNewest(db, sqitchJournal, set);
    expect(await db.client.query("SELECT change FROM sqitch.changes")).toEqual([{ change: "users" }]);
    expect(await db.client.query("SELECT change_id FROM sqitch.dependencies")).toEqual([]);
    expect(await db.client.query("SELECT event, change, requires FROM sqitch.events ORDER BY committed_at")).toEqual([
      { event: "deploy", change: "users", requires: [] },
      { event: "deploy", change: "posts", requires: ["users"] },
      { event: "revert", change: "posts", requires: ["users"] },
    ]);
  });
}

describe("sqitch registry on PGlite", () => recordSuite(pgliteDatabase));
describe.skipIf(!SERVER_URL)(`sqitch registry on PostgreSQL (${SERVER_URL ? "server" : NO_SERVER})`, () => recordSuite(() => serverDatabase("sqitch_rec")));

const skipReal = !SERVER_URL ? NO_SERVER : !SQITCH ? "sqitch is not installed (apt-get install sqitch libdbd-pg-perl; .ci/run installs it)" : "";

describe.skipIf(skipReal !== "")(`the real sqitch${skipReal ? ` (skipped: ${skipReal})` : ""}`, () => {
  let db: TestDatabase;
  let target: string;
  const sqitch = (...args: string[]) => runner(SQITCH!, [...args], { SQITCH_FULLNAME: "Test Deployer", SQITCH_EMAIL: "deployer@example.com" }, dir);
  beforeAll(async () => {
    db = await serverDatabase("sqitch_real");
    target = `db:${db.url!.replace(/^postgres(ql)?:/, "pg:")}`;
  });
  afterAll(async () => db?.close());

  it("deploy, read, revert + un-record, status and log agree, deploy re-applies exactly that change", async () => {
    expect(await sqitch("deploy", target)).toMatch(/\+ users \.\. ok[\s\S]*\+ posts \.\. ok/);
    const set = await setFromFolder(dir, "sqitch");
    const state = await sqitchJournal.read(db.client, set, {});
    expect(summary(state.entries)).toEqual([
      { id: "users", recorded: `users ${USERS_ID}`, state: "applied", hash: USERS_HASH },
      { id: "posts", recorded: `posts ${POSTS_ID}`, state: "applied", hash: POSTS_HASH },
    ]);
    // The registry sqitch made has the tables and columns our DDL makes.
    const columns = "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'sqitch' ORDER BY 1, 2";
    const theirs = await db.client.query(columns);

    // rollback: the newest change's revert script, then its un-record, in one transaction.
    await db.client.query("BEGIN");
    await db.client.query(readFileSync(join(dir, "revert/posts.sql"), "utf8").replace(/^BEGIN;|COMMIT;\s*$/gm, ""));
    for (const s of sqitchJournal.unrecordSql(state.entries[1]!, state, {})) await db.client.query(s.text, s.params);
    await db.client.query("COMMIT");
    const registryRows = "SELECT change_id, change, script_hash FROM sqitch.changes ORDER BY committed_at";
    const eventKinds = "SELECT event, change, tags, requires, conflicts FROM sqitch.events ORDER BY committed_at";
    const oursLeft = await db.client.query(registryRows);
    const oursEvents = await db.client.query(eventKinds);

    const status = await sqitch("status", target);
    expect(status).toContain(`# Change:   ${USERS_ID}`);
    expect(status).toMatch(/Undeployed change:\s*\n\s*\* posts/);
    const log = await sqitch("log", target, "--format", "oneline");
    // Newest first, after the "On database" header: the revert we logged, as sqitch's own would read.
    expect(log.split("\n").filter(Boolean).slice(1, 4)).toEqual([
      `${POSTS_ID} revert journaltest:posts Add posts`,
      `${POSTS_ID} deploy journaltest:posts Add posts`,
      `${USERS_ID} deploy journaltest:users Add users`,
    ]);

    const again = await sqitch("deploy", target);
    expect(again).toContain("+ posts .. ok");
    expect(again).not.toContain("+ users");
    expect(summary((await sqitchJournal.read(db.client, set, {})).entries).map((e) => e.recorded)).toEqual([`users ${USERS_ID}`, `posts ${POSTS_ID}`]);

    // sqitch's own revert leaves the registry as our un-record did, and logs the same kind of event.
    expect(await sqitch("revert", "-y", "--to", "@HEAD^", target)).toContain("- posts .. ok");
    expect(await db.client.query(registryRows)).toEqual(oursLeft);
    const events = await db.client.query(eventKinds);
    expect(events.slice(-1)).toEqual(oursEvents.slice(-1));
    await sqitch("deploy", target);

    // Our createSql builds the same registry, column for column.
    await db.client.query("DROP SCHEMA sqitch CASCADE");
    for (const sql of sqitchJournal.createSql({})) await db.client.query(sql);
    expect(await db.client.query(columns)).toEqual(theirs);
  });

  it("a tagged and reworked plan: our records are sqitch's, row for row (ids, hashes, tags, dependencies, events)", async () => {
    const reworked = projectFolder("sqitch-rework", {
      "sqitch.conf": "[core]\n\tengine = pg\n",
      "sqitch.plan":
        "%syntax-version=1.0.0\n%project=reworktest\n\n" +
        "users 2024-01-01T00:00:00Z Test Planner <planner@example.com> # Add users\n" +
        "@v1.0 2024-01-01T12:00:00Z Test Planner <planner@example.com> # First release\n" +
        "posts [users] 2024-01-02T00:00:00Z Test Planner <planner@example.com> # Add posts\n" +
        "users [users@v1.0] 2024-01-03T00:00:00Z Test Planner <planner@example.com> # Name the users\n",
      "deploy/users@v1.0.sql": "BEGIN;\nCREATE TABLE users (id bigint PRIMARY KEY);\nCOMMIT;\n",
      "revert/users@v1.0.sql": "BEGIN;\nDROP TABLE users;\nCOMMIT;\n",
      "deploy/users.sql": "BEGIN;\nALTER TABLE users ADD COLUMN name text;\nCOMMIT;\n",
      "revert/users.sql": "BEGIN;\nALTER TABLE users DROP COLUMN name;\nCOMMIT;\n",
      "deploy/posts.sql": "BEGIN;\nCREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint REFERENCES users);\nCOMMIT;\n",
      "revert/posts.sql": "BEGIN;\nDROP TABLE posts;\nCOMMIT;\n",
    });
    // A database of its own: the first round trip left its tables behind.
    const own = await serverDatabase("sqitch_rework");
    try {
      const db = own;
      const out = await runner(SQITCH!, ["deploy", `db:${own.url!.replace(/^postgres(ql)?:/, "pg:")}`], { SQITCH_FULLNAME: "Test Deployer", SQITCH_EMAIL: "deployer@example.com" }, reworked);
      expect(out).toMatch(/\+ users @v1\.0 \.+ ok\n\s*\+ posts \.+ ok\n\s*\+ users \.+ ok/);
      const set = await setFromFolder(reworked, "sqitch");
      expect(set.migrations.map((m) => m.id)).toEqual(["users@v1.0", "posts", "users"]);
      const settings = { schema: "ours" };
      for (const sql of sqitchJournal.createSql(settings)) await db.client.query(sql);
      for (const m of set.migrations) for (const st of sqitchJournal.recordSql(m, set, settings)) await db.client.query(st.text, st.params);
      const same = (registry: string) => ({
        changes: `SELECT change_id, script_hash, change, project, note, planned_at, planner_name, planner_email FROM ${registry}.changes WHERE project = 'reworktest' ORDER BY committed_at`,
        tags: `SELECT tag_id, tag, project, change_id, note, planned_at, planner_name, planner_email FROM ${registry}.tags WHERE project = 'reworktest' ORDER BY tag`,
        dependencies: `SELECT d.change_id, type, dependency, dependency_id FROM ${registry}.dependencies d JOIN ${registry}.changes c USING (change_id) WHERE c.project = 'reworktest' ORDER BY 1, 3`,
        events: `SELECT event, change_id, change, project, note, requires, conflicts, tags, planned_at, planner_name, planner_email FROM ${registry}.events WHERE project = 'reworktest' ORDER BY committed_at`,
      });
      for (const [what, query] of Object.entries(same("sqitch"))) {
        const theirs = await db.client.query(query);
        expect(theirs.length, what).toBeGreaterThan(0);
        expect(await db.client.query(same("ours")[what as keyof ReturnType<typeof same>]), what).toEqual(theirs);
      }
      // Reading sqitch's own registry: each row finds its instance of the reworked change, in plan order.
      for (const registry of [{}, settings]) {
        expect(summary((await sqitchJournal.read(db.client, set, registry)).entries).map((e) => [e.id, e.hash])).toEqual(
          set.migrations.map((m) => [m.id, sqitchJournal.hashOf!(m)]),
        );
      }
    } finally {
      await own.close();
      rmSync(reworked, { recursive: true, force: true });
    }
  });
});

/**
 * `rollback` between two runs of the real runners: dbmate (npm `dbmate`) and sqitch (Debian `sqitch`) apply a
 * project to a fresh database on PostgreSQL, `migration-lint rollback --steps 2 --yes` rolls the newest two
 * back, the runner's own status must then list exactly those two as pending, the catalog must be the one the
 * runner left after the first migration, and the runner's next run must re-apply exactly those two and end
 * on the catalog it had before the rollback.
 */
import { rmSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { canonicalJson } from "../../src/verify/diff.js";
import { runCli } from "../e2e/in-process.js";
import { NO_SERVER, SERVER_URL } from "../journal/harness.js";
import { DBMATE, projectFolder, runner, SQITCH } from "../journal/real-runners.js";
import { liveDatabases, liveSnapshot } from "./helpers.js";

const database = liveDatabases(SERVER_URL, "mlrunner");
const folders: string[] = [];
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

const USERS = "CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);";
const POSTS = "CREATE TABLE posts (id bigint PRIMARY KEY, user_id bigint NOT NULL REFERENCES users (id), title text);\nCREATE INDEX posts_user_id_idx ON posts (user_id);";
const SLUG = "ALTER TABLE users ADD COLUMN slug text;\nCREATE UNIQUE INDEX users_slug_key ON users (slug);";

/** The live catalog without the runner's journal, whose rows are not schema. */
async function schemaOf(url: string): Promise<string> {
  return canonicalJson(await liveSnapshot(url));
}

describe.skipIf(!SERVER_URL)(`rollback between two runs of the real dbmate${SERVER_URL ? "" : ` (skipped: ${NO_SERVER})`}`, () => {
  it("dbmate up, rollback --steps 2 --yes, dbmate status shows both pending, dbmate up re-applies exactly those two", { timeout: 240_000 }, async () => {
    const url = await database();
    // posts keeps an empty migrate:down section, as teams often leave it: its part runs the generated down.
    const dir = projectFolder("dbmate-rollback", { "db/migrations/20240101000000_users.sql": `-- migrate:up\n${USERS}\n\n-- migrate:down\nDROP TABLE users;\n` });
    folders.push(dir);
    const dbmateUrl = `${url}?sslmode=disable`;
    const dbmate = (...args: string[]) => runner(DBMATE, ["--url", dbmateUrl, "--migrations-dir", "db/migrations", "--no-dump-schema", ...args], {}, dir);

    await dbmate("up");
    const afterFirst = await schemaOf(url);
    writeFileSync(`${dir}/db/migrations/20240201000000_posts.sql`, `-- migrate:up\n${POSTS}\n\n-- migrate:down\n`);
    writeFileSync(`${dir}/db/migrations/20240301000000_users_slug.sql`, `-- migrate:up\n${SLUG}\n\n-- migrate:down\nDROP INDEX users_slug_key;\nALTER TABLE users DROP COLUMN slug;\n`);
    await dbmate("up");
    const full = await schemaOf(url);

    const run = await runCli(["rollback", `${dir}/db/migrations`, "--database-url", url, "--steps", "2", "--yes", "--allow-lossy", "--no-audit"], dir);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("20240301000000_users_slug");
    expect(run.stdout).toContain("20240201000000_posts");
    const status = await dbmate("status");
    expect(status).toContain("[X] 20240101000000_users.sql");
    expect(status).toContain("[ ] 20240201000000_posts.sql");
    expect(status).toContain("[ ] 20240301000000_users_slug.sql");
    expect(await schemaOf(url)).toBe(afterFirst);

    const again = await dbmate("up");
    expect(again).toContain("Applying: 20240201000000_posts.sql");
    expect(again).toContain("Applying: 20240301000000_users_slug.sql");
    expect(again).not.toContain("20240101000000_users.sql");
    expect(await schemaOf(url)).toBe(full);
  });
});

const skipSqitch = !SERVER_URL ? NO_SERVER : !SQITCH ? "sqitch is not installed (apt-get install sqitch libdbd-pg-perl; .ci/run installs it)" : "";
describe.skipIf(skipSqitch !== "")(`rollback between two runs of the real sqitch${skipSqitch ? ` (skipped: ${skipSqitch})` : ""}`, () => {
  it("sqitch deploy, rollback --steps 2 --yes, sqitch status shows both undeployed, sqitch deploy re-deploys exactly those two", { timeout: 240_000 }, async () => {
    const url = await database();
    const dir = projectFolder("sqitch-rollback", {
      "sqitch.conf": "[core]\n\tengine = pg\n",
      "sqitch.plan":
        "%syntax-version=1.0.0\n%project=rollbacktest\n\n" +
        "users 2024-01-01T00:00:00Z Test Planner <planner@example.com> # Add users\n" +
        "posts [users] 2024-01-02T00:00:00Z Test Planner <planner@example.com> # Add posts\n" +
        "users_slug [users] 2024-01-03T00:00:00Z Test Planner <planner@example.com> # Add users.slug\n",
      "deploy/users.sql": `BEGIN;\n${USERS}\nCOMMIT;\n`,
      "revert/users.sql": "BEGIN;\nDROP TABLE users;\nCOMMIT;\n",
      "deploy/posts.sql": `BEGIN;\n${POSTS}\nCOMMIT;\n`,
      "revert/posts.sql": "BEGIN;\nDROP TABLE posts;\nCOMMIT;\n",
      "deploy/users_slug.sql": `BEGIN;\n${SLUG}\nCOMMIT;\n`,
      "revert/users_slug.sql": "BEGIN;\nDROP INDEX users_slug_key;\nALTER TABLE users DROP COLUMN slug;\nCOMMIT;\n",
    });
    folders.push(dir);
    const target = `db:${url.replace(/^postgres(ql)?:/, "pg:")}`;
    const sqitch = (...args: string[]) => runner(SQITCH!, args, { SQITCH_FULLNAME: "Test Deployer", SQITCH_EMAIL: "deployer@example.com" }, dir);

    await sqitch("deploy", "--to", "users", target);
    const afterFirst = await schemaOf(url);
    await sqitch("deploy", target);
    const full = await schemaOf(url);

    const run = await runCli(["rollback", dir, "--database-url", url, "--steps", "2", "--yes", "--allow-lossy", "--no-audit"], dir);
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const status = await sqitch("status", target);
    expect(status).toMatch(/# Change:\s+[0-9a-f]{40}\n# Name:\s+users\n/);
    expect(status).toMatch(/Undeployed changes:\s*\n\s*\* posts\n\s*\* users_slug/);
    expect(await schemaOf(url)).toBe(afterFirst);

    const again = await sqitch("deploy", target);
    expect(again).toMatch(/\+ posts \.+ ok[\s\S]*\+ users_slug \.+ ok/);
    expect(again).not.toMatch(/\+ users \./);
    expect(await schemaOf(url)).toBe(full);
  });
});

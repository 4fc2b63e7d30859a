/**
 * What a user can get wrong, through the real command line: each ends as one `migration-lint: …` line
 * (usage errors add the `--help` pointer) and exit 2, never "internal error" nor a stack trace. Folders
 * that yield no migration, file system errors on named paths, bytes PostgreSQL rejects, verify's
 * database problems on a real server, Ctrl-C, repeated or out-of-range options, formats a command has
 * no form for, `--fix` on a set with an unwritable target.
 */
import { spawn } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startPostgres, type TestServer } from "../setup/postgres.js";
import { Repo } from "./helpers.js";
import { runCli } from "./in-process.js";

const dir = mkdtempSync(path.join(tmpdir(), "mll-inputs-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(rel: string, text: string | Buffer): void {
  mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  writeFileSync(path.join(dir, rel), text);
}

/** One line on stderr, exit 2, nothing on stdout. */
async function inputError(args: string[]): Promise<string> {
  const run = await runCli(args, dir);
  expect(run.stderr, run.stderr).not.toMatch(/internal error|\n\s+at /);
  expect([run.code, run.stdout]).toEqual([2, ""]);
  return run.stderr;
}

describe("paths that yield no migration", () => {
  beforeAll(() => {
    mkdirSync(path.join(dir, "empty"));
    write("notes/readme.txt", "not SQL\n");
    write("drizzle/0000_init.sql", "CREATE TABLE a (id int);\n");
    write("drizzle/meta/_journal.json", JSON.stringify({ version: "7", dialect: "postgresql", entries: [{ idx: 0, version: "7", when: 1, tag: "0000_init", breakpoints: true }] }));
  });

  it("an empty folder, a folder of .txt files: exit 2 saying what was looked for", async () => {
    expect(await inputError(["empty"])).toBe("migration-lint: empty: no migrations found: the folder holds no .sql file (looked for every layout's files: .sql migrations, <version>/up.sql folders, meta/_journal.json, sqitch.plan)\n");
    expect(await inputError(["notes"])).toMatch(/^migration-lint: notes: no migrations found: the folder holds no \.sql file /);
    // The same folder among others that do hold migrations still fails the gate.
    expect(await inputError(["drizzle", "empty"])).toMatch(/^migration-lint: empty: no migrations found/);
  });

  it("a forced layout that finds nothing says what that layout reads", async () => {
    expect(await inputError(["drizzle", "--layout", "prisma"])).toBe("migration-lint: drizzle: no migrations found: --layout prisma looks for <timestamp>_<name>/migration.sql folders\n");
    expect((await runCli(["drizzle", "--layout", "drizzle", "-q"], dir)).code).toBe(0);
  });

  it("a config include that matches no migration", async () => {
    write("cfg/include.json", JSON.stringify({ include: ["migrations/**"] }));
    expect(await inputError(["drizzle", "--config", "cfg/include.json"])).toMatch(/^migration-lint: drizzle: no migrations found: none of drizzle's 1 migration\(s\) matches the config's include \(migrations\/\*\*\), relative to .*cfg\n$/);
  });
});

describe("file system errors on named paths", () => {
  it("a symlink loop, a missing path, a file used as a folder, a folder as the config: one line, exit 2", async () => {
    symlinkSync("loop-b", path.join(dir, "loop-a"));
    symlinkSync("loop-a", path.join(dir, "loop-b"));
    expect(await inputError(["loop-a"])).toBe("migration-lint: loop-a: cannot access: too many levels of symbolic links (a symlink loop?)\n");
    expect(await inputError(["verify", "loop-a"])).toBe("migration-lint: loop-a: cannot access: too many levels of symbolic links (a symlink loop?)\n");
    expect(await inputError(["no/such/dir"])).toBe("migration-lint: no/such/dir: no such file or directory\n");
    expect(await inputError(["drizzle/0000_init.sql/x"])).toBe("migration-lint: drizzle/0000_init.sql/x: no such file or directory\n");
    expect(await inputError(["drizzle", "--config", "loop-a"])).toBe("migration-lint: loop-a: cannot read config: too many levels of symbolic links (a symlink loop?)\n");
    expect(await inputError(["drizzle", "--config", "empty"])).toBe("migration-lint: empty: cannot read config: is a directory, expected a file\n");
  });

  it("the real process prints no stack trace for a symlink loop (the check before the commands load)", () => {
    const repo = new Repo("mll-loop-");
    try {
      symlinkSync("b", path.join(repo.dir, "a"));
      symlinkSync("a", path.join(repo.dir, "b"));
      expect(repo.cli(["a"])).toEqual({ code: 2, stdout: "", stderr: "migration-lint: a: cannot access: too many levels of symbolic links (a symlink loop?)\n" });
    } finally {
      repo.cleanup();
    }
  }, 30_000);
});

describe("bytes PostgreSQL rejects", () => {
  it("invalid UTF-8 and NUL bytes are reported at their line:col as PostgreSQL's invalid byte sequence", async () => {
    write("latin1/001_cafe.sql", Buffer.concat([Buffer.from("CREATE TABLE ok (id bigint);\nCREATE TABLE caf"), Buffer.from([0xe9]), Buffer.from(" (id bigint);\n")]));
    expect(await inputError(["latin1"])).toBe('migration-lint: latin1/001_cafe.sql:2:17: invalid byte sequence for encoding "UTF8": 0xe9 0x20\n');
    write("nul/001_nul.sql", Buffer.concat([Buffer.from("SELECT 'é"), Buffer.from([0]), Buffer.from("';\n")]));
    expect(await inputError(["nul"])).toBe('migration-lint: nul/001_nul.sql:1:10: invalid byte sequence for encoding "UTF8": 0x00\n');
    // A surrogate encoded in UTF-8 (CESU-8) is not UTF-8 either.
    write("cesu/001_s.sql", Buffer.concat([Buffer.from("SELECT '"), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from("';\n")]));
    expect(await inputError(["cesu"])).toBe('migration-lint: cesu/001_s.sql:1:9: invalid byte sequence for encoding "UTF8": 0xed 0xa0\n');
  });
});

describe("options", () => {
  it("an option given twice, --max-warnings below 0, a rule severity that does not exist", async () => {
    expect(await inputError(["drizzle", "--since", "a", "--since", "b"])).toBe("migration-lint: --since takes one value, and was given 2: a, b\nRun 'migration-lint --help' for usage.\n");
    expect(await inputError(["drizzle", "--max-warnings", "-1"])).toBe("migration-lint: --max-warnings takes a whole number of warnings, 0 or more (got -1)\nRun 'migration-lint --help' for usage.\n");
    write("cfg/severity.json", JSON.stringify({ rules: { "ban-drop-table": "err" } }));
    expect(await inputError(["drizzle", "--config", "cfg/severity.json"])).toBe(
      'migration-lint: cfg/severity.json: rules.ban-drop-table: expected "off", "info", "warning" or "error", or [severity, { options }] (got "err")\n',
    );
  });

  it("--format sarif or junit on verify, plan and deps is a usage error, before anything runs", async () => {
    for (const [command, format] of [["verify", "sarif"], ["plan", "junit"], ["deps", "sarif"]] as const) {
      expect(await inputError([command, "drizzle", "--format", format])).toBe(
        `migration-lint: migration-lint ${command} writes --format stylish or json; --format ${format} is for linting (migration-lint [paths..] --format ${format})\nRun 'migration-lint --help' for usage.\n`,
      );
    }
  });

  it("-q does not claim there were no problems when it hid warnings", async () => {
    const run = await runCli(["drizzle", "-q"], dir);
    expect(run.stdout).toBe("1 file checked, no errors (1 warning or info hidden by --quiet).\n");
    expect((await runCli(["drizzle"], dir)).stdout).toMatch(/prefer-bigint-over-int|1 problem/);
  });
});

describe("--fix writes all targets or none", () => {
  it("an unwritable target: nothing is written anywhere, the message names it; fixed, every down is written", async () => {
    write("fixa/migrations/001_a.up.sql", "CREATE TABLE a (id bigint PRIMARY KEY);\n");
    write("fixa/migrations/001_a.down.sql", "");
    write("fixb/supabase/config.toml", "");
    write("fixb/supabase/migrations/20240101000000_b.sql", "CREATE TABLE b (id bigint PRIMARY KEY);\n");
    // The folder supabase downs go to is a file: no down can be created there (permission bits would not stop root).
    write("fixb/supabase/migrations/rollback", "not a folder\n");
    const run = await runCli(["fixa", "fixb", "--fix"], dir);
    expect([run.code, run.stderr]).toEqual([2, "migration-lint: --fix wrote nothing: cannot write fixb/supabase/migrations/rollback/20240101000000_b.down.sql (fixb/supabase/migrations/rollback is a file, not a folder)\n"]);
    expect(readFileSync(path.join(dir, "fixa/migrations/001_a.down.sql"), "utf8")).toBe("");
    // A target that is a folder is found while reading, before anything is written.
    mkdirSync(path.join(dir, "fixa/migrations/002_c.down.sql"));
    write("fixa/migrations/002_c.up.sql", "CREATE TABLE c (id bigint PRIMARY KEY);\n");
    expect((await runCli(["fixa", "--fix"], dir)).stderr).toBe("migration-lint: fixa/migrations/002_c.down.sql: --fix wrote nothing: cannot read the current down: is a directory, expected a file\n");
    expect(readFileSync(path.join(dir, "fixa/migrations/001_a.down.sql"), "utf8")).toBe("");
    rmSync(path.join(dir, "fixa/migrations/002_c.down.sql"), { recursive: true });
    rmSync(path.join(dir, "fixb/supabase/migrations/rollback"));
    const again = await runCli(["fixa", "fixb", "--fix"], dir);
    expect(again.stderr).toContain("wrote fixa/migrations/001_a.down.sql (reversible): generated down written\n");
    expect(again.stderr).toContain("wrote fixb/supabase/migrations/rollback/20240101000000_b.down.sql (reversible): generated down written\n");
    expect(readFileSync(path.join(dir, "fixa/migrations/001_a.down.sql"), "utf8")).toContain("DROP TABLE IF EXISTS a;");
  });

  it.skipIf(process.getuid?.() === 0)("a read-only folder (not as root, whom permission bits do not stop)", async () => {
    write("ro/migrations/001_a.up.sql", "CREATE TABLE a (id bigint PRIMARY KEY);\n");
    chmodSync(path.join(dir, "ro/migrations"), 0o555);
    try {
      const run = await runCli(["ro", "--fix"], dir);
      expect(run.stderr).toMatch(/--fix wrote nothing: cannot write ro\/migrations\/001_a\.down\.sql \(the folder ro\/migrations is not writable\)/);
    } finally {
      chmodSync(path.join(dir, "ro/migrations"), 0o755);
    }
  });
});

describe("verify on a real PostgreSQL server: what the user got wrong", () => {
  let server: TestServer;
  let base = "";
  const scratch = `mll_inputs_nonempty_${process.pid}`;
  beforeAll(async () => {
    server = await startPostgres();
    if ("url" in server) {
      base = server.url;
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${scratch}`);
      await admin.end();
      const db = new pg.Client({ connectionString: withDatabase(base, scratch) });
      await db.connect();
      await db.query("CREATE TABLE kept (id int)");
      await db.end();
    }
  }, 60_000);
  afterAll(async () => {
    if (!("url" in server)) return;
    const admin = new pg.Client({ connectionString: base });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${scratch} WITH (FORCE)`);
    await admin.end();
    await server.stop();
  });
  const withDatabase = (url: string, db: string) => url.replace(/\/[^/]*$/, `/${db}`);
  const skip = () => !("url" in server) && `no server: ${(server as { skip: string }).skip}`;

  it("a bad URL, a wrong role, a wrong database, a refused connection, a non-empty database", async (ctx) => {
    if (skip()) return ctx.skip();
    write("pgset/001_a.sql", "CREATE TABLE a (id bigint);\n");
    write("pgset/001_down_a.sql", "DROP TABLE a;\n");
    expect(await inputError(["verify", "pgset", "--database-url", "notaurl"])).toBe("migration-lint: --database-url: expected postgres://user:password@host:port/database, got notaurl\n");
    const role = base.replace(/\/\/[^@/]*@/, "//no_such_role@");
    expect(await inputError(["verify", "pgset", "--database-url", role])).toMatch(/^migration-lint: cannot connect to .*: role "no_such_role" does not exist \(check the user, password and database name in --database-url\)\n$/);
    expect(await inputError(["verify", "pgset", "--database-url", withDatabase(base, "no_such_db")])).toMatch(/: database "no_such_db" does not exist \(check the user/);
    expect(await inputError(["verify", "pgset", "--database-url", "postgres://postgres@127.0.0.1:1/postgres"])).toBe(
      "migration-lint: cannot connect to postgres://postgres@127.0.0.1:1/postgres: connect ECONNREFUSED 127.0.0.1:1 (is the server running, and is that its host and port?)\n",
    );
    expect(await inputError(["verify", "pgset", "--in-place", "--database-url", withDatabase(base, scratch)])).toMatch(
      new RegExp(`^migration-lint: refusing to verify in database ${scratch}: it has user tables \\(public.kept\\)\\. Point --database-url at an empty database, .* or pass --allow-nonempty .*\\n$`),
    );
  }, 60_000);

  it("Ctrl-C during verify: exit 130, at most one line saying so, and the throw-away database is dropped", async (ctx) => {
    if (skip()) return ctx.skip();
    const repo = new Repo("mll-sigint-");
    try {
      for (let i = 1; i <= 300; i++) {
        const v = String(i).padStart(4, "0");
        repo.write(`m/${v}_t${i}.sql`, `CREATE TABLE t${i} (id bigint);\n`);
        repo.write(`m/${v}_down_t${i}.sql`, `DROP TABLE t${i};\n`);
      }
      const child = spawn(path.join(repo.bin, "migration-lint"), ["verify", "m", "--database-url", base], { cwd: repo.dir, env: { ...process.env, NO_COLOR: "1", CI: "1" } });
      let stderr = "";
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      const admin = new pg.Client({ connectionString: base });
      await admin.connect();
      const scratchDbs = async () => (await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE 'migration_lint_${child.pid}_%'`)).rows;
      for (let i = 0; i < 300 && (await scratchDbs()).length === 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await scratchDbs()).toHaveLength(1);
      // The engine is handed to the command (which installs the Ctrl-C handler) right after it starts.
      await new Promise((r) => setTimeout(r, 1000));
      child.kill("SIGINT");
      expect([await exited, stderr]).toEqual([130, expect.any(String)]);
      expect(stderr).not.toMatch(/internal error|\n\s+at /);
      expect(stderr.split("\n").filter((l) => l.startsWith("migration-lint:")).length).toBeLessThanOrEqual(1);
      expect(await scratchDbs()).toEqual([]);
      await admin.end();
    } finally {
      repo.cleanup();
    }
  }, 90_000);
});

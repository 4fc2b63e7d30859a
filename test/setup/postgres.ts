/**
 * A real PostgreSQL server for the server-engine tests.
 *
 * Order of preference:
 * 1. `MIGRATION_LINT_TEST_DATABASE_URL`: a server someone started (`.ci/postgres.sh start` exports it in CI).
 * 2. A private cluster started here from the Debian binaries (`/usr/lib/postgresql/<v>/bin`): initdb in a
 *    temporary directory, on a free loopback port, as user `postgres` when we are root (initdb refuses
 *    root), stopped and deleted by `stop()`.
 * When neither works the result says why, and the tests skip with that reason.
 */
import { execFile } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export type TestServer = { url: string; stop(): Promise<void> } | { skip: string };

export async function startPostgres(): Promise<TestServer> {
  const given = process.env["MIGRATION_LINT_TEST_DATABASE_URL"];
  if (given) return { url: given, stop: async () => undefined };
  const bin = findBinDir();
  if (!bin) return { skip: "no PostgreSQL server binaries (install Debian's postgresql, or set MIGRATION_LINT_TEST_DATABASE_URL)" };
  try {
    return await startCluster(bin);
  } catch (error) {
    return { skip: `could not start PostgreSQL from ${bin}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function findBinDir(): string | undefined {
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((v) => existsSync(join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] ? join(root, versions[0], "bin") : undefined;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

async function startCluster(bin: string): Promise<TestServer> {
  const asRoot = process.getuid?.() === 0;
  const dir = mkdtempSync(join(tmpdir(), "migration-lint-pg-"));
  // The server runs as postgres: it must own its data directory and be able to reach it.
  chmodSync(dir, 0o755);
  const data = join(dir, "data");
  const port = await freePort();
  const sh = async (cmd: string, args: string[]) => {
    const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", cmd, ...args]] : [cmd, args];
    await run(file, argv, { timeout: 60_000 });
  };
  if (asRoot) chownSync(dir, ...(await postgresIds()));
  await sh(join(bin, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync", "--locale=C"]);
  await sh(join(bin, "pg_ctl"), [
    "-D",
    data,
    "-l",
    join(dir, "log"),
    "-w",
    "-o",
    `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c full_page_writes=off`,
    "start",
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop: async () => {
      await sh(join(bin, "pg_ctl"), ["-D", data, "-m", "immediate", "stop"]).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function postgresIds(): Promise<[number, number]> {
  const uid = Number((await run("id", ["-u", "postgres"])).stdout.trim());
  const gid = Number((await run("id", ["-g", "postgres"])).stdout.trim());
  return [uid, gid];
}

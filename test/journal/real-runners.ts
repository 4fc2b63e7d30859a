/** Running the real runners from the tests: the binaries, and whether they are installed. */
import { execFile, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { writeTree } from "../write-tree.js";

const run = promisify(execFile);

/**
 * The npm runners live in their own package, `.ci/runners` (`npm install --prefix .ci/runners`, which .ci/run
 * does): in the root package.json they would read as "this project uses dbmate" to every fixture below it.
 */
export const RUNNERS = resolve(import.meta.dirname, "../../.ci/runners");
export const RUNNERS_MISSING = existsSync(join(RUNNERS, "node_modules")) ? "" : "the npm runners are not installed (npm install --prefix .ci/runners)";
export const DBMATE = join(RUNNERS, "node_modules/.bin/dbmate");
export const SUPABASE = join(RUNNERS, "node_modules/.bin/supabase");

/** postgres-migrations' `migrate`, loaded from the runners' package. */
export function postgresMigrations(): { migrate(db: { client: unknown }, dir: string): Promise<{ fileName: string }[]> } {
  return createRequire(join(RUNNERS, "package.json"))("postgres-migrations") as ReturnType<typeof postgresMigrations>;
}
/** sqitch, when it and its PostgreSQL driver (DBD::Pg) are both installed. */
export const SQITCH = ["/usr/bin/sqitch", "/usr/local/bin/sqitch"].find((p) => existsSync(p) && spawnSync("perl", ["-MDBD::Pg", "-e", "1"]).status === 0);

export async function runner(file: string, args: string[], env: Record<string, string> = {}, cwd?: string): Promise<string> {
  const { stdout, stderr } = await run(file, args, { env: { ...process.env, ...env }, cwd, timeout: 120_000 });
  return stdout + stderr;
}

/** A project folder in the temporary directory, written from a tree of relative paths. */
export function projectFolder(prefix: string, tree: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), `journal-${prefix}-`));
  writeTree(dir, tree);
  return dir;
}

/** The tool's own name, version and documentation address, read once from package.json. */
import { readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

function findPackageJson(): { version: string; homepage?: string; dir?: string } {
  // Works from src/ (tests) and from dist/src/ (the built CLI).
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, "package.json");
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, "utf8")) as { name?: string; version?: string; homepage?: string };
      if (pkg.name === "migration-lint") return { version: pkg.version ?? "0.0.0", homepage: pkg.homepage, dir };
    }
    dir = path.dirname(dir);
  }
  return { version: "0.0.0" };
}

const pkg = findPackageJson();

/** The id `npm run build` writes beside the compiled tree (scripts/bundle.mjs): a hash of the compiled files. */
export function buildIdIn(packageDir: string | undefined): string | undefined {
  if (!packageDir) return undefined;
  try {
    return readFileSync(path.join(packageDir, "dist", "src", "build-id.txt"), "utf8").trim() || undefined;
  } catch {
    return undefined;
  }
}

export const TOOL_NAME = "migration-lint";
export const TOOL_VERSION = pkg.version;
/**
 * What `--cache` keys its entries on: the version and the build. A tree installed from git keeps its
 * version across commits (a pre-commit hook's new `rev`), while the cache file in the git dir stays.
 */
export const CACHE_TOOL_ID = ((id) => (id ? `${pkg.version}+${id.slice(0, 16)}` : pkg.version))(buildIdIn(pkg.dir));
export const HOMEPAGE = pkg.homepage ?? "https://github.com/migration-lint/migration-lint";

export function ruleDocsUrl(ruleId: string): string {
  return `${HOMEPAGE}/blob/main/docs/rules/${ruleId}.md`;
}

/**
 * What the project around a migrations folder says about its runner: the nearest folder above it that
 * holds a manifest (Cargo.toml, go.mod, package.json, …) is the project, and the migration tools its
 * manifests depend on break ties between layouts whose file names look alike (sqlx / golang-migrate).
 */
import { posix } from "node:path";
import type { DiscoveryFs } from "./fs.js";
import type { ProjectHints } from "./types.js";

const MANIFESTS = [
  "Cargo.toml",
  "go.mod",
  "package.json",
  "sqlx.toml",
  "diesel.toml",
  "pyproject.toml",
  "composer.json",
  "Gemfile",
  "pom.xml",
  "build.gradle",
  "build.gradle.kts",
  "sqitch.conf",
  "flyway.conf",
  "flyway.toml",
];

/** How far up to look: a migrations folder sits a few levels under its project root. */
const MAX_LEVELS = 12;

function toolsOf(marker: string, text: string): string[] {
  const tools: string[] = [];
  if (marker === "Cargo.toml") {
    if (/^\s*sqlx(?:-[a-z]+)?\s*=|\bdependencies\.sqlx\]/m.test(text)) tools.push("sqlx");
    if (/^\s*diesel(?:_migrations)?\s*=|\bdependencies\.diesel(?:_migrations)?\]/m.test(text)) tools.push("diesel");
  } else if (marker === "go.mod") {
    if (/github\.com\/golang-migrate\/migrate/.test(text)) tools.push("golang-migrate");
    if (/github\.com\/gobuffalo\/pop|github\.com\/ory\/x\b/.test(text)) tools.push("pop");
    if (/^module\s+github\.com\/concourse\/concourse\b/m.test(text)) tools.push("concourse");
    if (/^module\s+github\.com\/authelia\/authelia\b/m.test(text)) tools.push("authelia");
  } else if (marker === "package.json") {
    let deps: Record<string, unknown> = {};
    try {
      const pkg = JSON.parse(text) as Record<string, Record<string, unknown> | undefined>;
      deps = { ...pkg.dependencies, ...pkg.devDependencies };
    } catch {
      return tools; // a broken package.json is not ours to report
    }
    const named: [string, string][] = [
      ["drizzle-kit", "drizzle"],
      ["drizzle-orm", "drizzle"],
      ["prisma", "prisma"],
      ["@prisma/client", "prisma"],
      ["postgres-migrations", "postgres-migrations"],
      ["supabase", "supabase"],
      ["dbmate", "dbmate"],
      ["typeorm", "typeorm"],
      ["@mikro-orm/migrations", "mikro-orm"],
      ["kysely", "kysely"],
      ["knex", "knex"],
      ["node-pg-migrate", "node-pg-migrate"],
      ["@payloadcms/db-postgres", "payload"],
      ["@payloadcms/db-vercel-postgres", "payload"],
    ];
    for (const [dep, tool] of named) if (dep in deps && !tools.includes(tool)) tools.push(tool);
  } else if (marker === "sqlx.toml") tools.push("sqlx");
  else if (marker === "diesel.toml") tools.push("diesel");
  return tools;
}

export async function projectHints(fs: DiscoveryFs, absoluteRoot: string, cache?: Map<string, ProjectHints | null>): Promise<ProjectHints> {
  // Folders above the project may be unreadable; they just hold no manifest.
  const kind = (p: string) => fs.kind(p).catch(() => undefined);
  let dir = absoluteRoot;
  for (let level = 0; level < MAX_LEVELS; level++) {
    const known = cache?.get(dir);
    if (known !== undefined) {
      if (known) return known;
    } else {
      const found: string[] = [];
      for (const m of MANIFESTS) if ((await kind(posix.join(dir, m))) === "file") found.push(m);
      let hints: ProjectHints | null = null;
      if (found.length) {
        const tools: string[] = [];
        for (const m of found) {
          const text = await fs.readText(posix.join(dir, m)).catch(() => "");
          for (const t of toolsOf(m, text)) if (!tools.includes(t)) tools.push(t);
        }
        hints = { markers: found, tools };
      }
      cache?.set(dir, hints);
      if (hints) return hints;
      // The repository's top is as far as a project can reach.
      if ((await kind(posix.join(dir, ".git"))) !== undefined) break;
    }
    const up = posix.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return { markers: [], tools: [] };
}

/**
 * From the paths a user gives to the migration sets to analyse.
 *
 * A directory is searched for every migration-set root under it (a folder of migrations, the parent
 * of diesel/prisma version folders, a drizzle out folder, a sqitch project); each root is scored by
 * every layout and the best one loads it. A file (the pre-commit hook passes staged files) loads the
 * WHOLE set it belongs to, because history matters, and marks only its migration as selected.
 * A `prelude/` folder above a set holds older migrations of the same framework: they are replayed
 * first as history (`prelude: true`) and never linted. Input problems throw `LayoutInputError`.
 */
import { isAbsolute, posix } from "node:path";
import { LayoutInputError } from "./errors.js";
import { nodeFs, type DiscoveryFs } from "./fs.js";
import { matchesGlob } from "./glob.js";
import { splitInlineRollbacks } from "./inline-rollback.js";
import { projectHints } from "./hints.js";
import { LOOKED_FOR } from "./looked-for.js";
import { isModuleFile } from "./ts-module.js";
import { basenameOf, joinPath, toSlashes } from "./paths.js";
import { detectLayout, layoutById } from "./registry.js";
import type { Detection, DirListing, Layout, LayoutFs, LayoutId, Migration, MigrationSet, ProjectHints, TransactionMode } from "./types.js";

/** Decides a migration's transaction from outside (the config's `transaction` globs). */
export type TransactionOverride = (
  path: string,
  migration: Migration,
  set: MigrationSet,
) => boolean | { transactional: boolean; reason: string } | undefined;

export interface DiscoverOptions {
  cwd: string;
  /** Force a layout (`--layout`), for every root or per root (display path). */
  layout?: LayoutId | ((root: string) => LayoutId | undefined);
  /** Config globs and `history` folders are relative to it; default `cwd`. */
  configDir?: string;
  /** Glob (relative to `configDir`) → does the runner wrap matching migrations; or a function. */
  transaction?: Readonly<Record<string, boolean>> | TransactionOverride;
  /** Folders of older migrations replayed before the set as history (relative to `configDir`). */
  history?: readonly string[];
  /** Globs of migration files to lint; the rest is history only. */
  include?: readonly string[];
  /** Globs of migration files not to lint (still replayed). */
  exclude?: readonly string[];
  /** The file system; default the real one at `cwd`. */
  fs?: DiscoveryFs;
}

export interface DiscoveredSet {
  set: MigrationSet;
  /** Ids of the migrations to lint; undefined = every migration that is not history. */
  selected?: ReadonlySet<string>;
  /** The set's stray files this run looks at: all of them for a folder, else the ones named. */
  strays: string[];
}

const VERSION_FILES = new Set(["up.sql", "down.sql", "migration.sql", "metadata.toml"]);
const SQITCH_FOLDERS = new Set(["deploy", "revert", "verify"]);
/** Folders of migrations for another database (authelia's `mysql/`, chirpstack's `migrations_sqlite`). */
const OTHER_DIALECT = /(?:^|[^a-z])(?:mysql|mariadb|sqlite3?|mssql|sqlserver|oracle|cockroach(?:db)?|clickhouse)(?:[^a-z]|$)/i;

export function isOtherDialectFolder(name: string): boolean {
  return OTHER_DIALECT.test(name);
}

function parentOf(dir: string): string {
  if (dir === ".") return "..";
  if (dir === ".." || dir.endsWith("/..")) return `${dir}/..`;
  return posix.dirname(dir);
}

/** Seed data (`supabase/seed.sql`, `seeds.sql`) is not a migration and makes no set of its own. */
export function isSeedFile(name: string): boolean {
  return /^seeds?(?:[._-].*)?\.sql$/i.test(name) || /\.seeds?\.sql$/i.test(name);
}

function excludedSegment(segment: string): boolean {
  return segment === "prelude" || isOtherDialectFolder(segment);
}

/**
 * Migration-set roots among `files` (relative to the searched folder; a root may be `..` when the
 * folder given is itself inside a set, e.g. a diesel version folder). `folder` is the searched folder's own
 * name: a migrations folder named directly still names migrations for the modules in it.
 */
export function candidateRoots(files: readonly string[], folder = ""): string[] {
  const all = new Set(files);
  const roots = new Set<string>();
  const rollbackFolders: string[] = [];
  for (const f of files) {
    const segments = f.split("/");
    const name = segments.pop()!;
    if (segments.some(excludedSegment)) continue;
    const dir = segments.join("/") || ".";
    if (name === "sqitch.plan") roots.add(dir);
    else if (name === "_journal.json" && basenameOf(dir) === "meta") roots.add(parentOf(dir));
    else if (isMigrationModule(f, folder)) roots.add(dir);
    else if (!name.toLowerCase().endsWith(".sql") || isSeedFile(name)) continue;
    else if (name === "up.sql" || name === "down.sql" || name === "migration.sql") roots.add(parentOf(dir));
    else if (SQITCH_FOLDERS.has(basenameOf(dir)) && all.has(joinPath(parentOf(dir), "sqitch.plan"))) continue;
    else if (basenameOf(dir) === "rollback") rollbackFolders.push(dir);
    else roots.add(dir);
  }
  for (const folder of new Set(rollbackFolders)) {
    const owner = parentOf(folder);
    if (roots.has(owner)) continue; // downs kept inside a set (drizzle, supabase, postgres-migrations)
    const besideDrizzle = [...roots].some((r) => parentOf(r) === owner && all.has(joinPath(r, "meta/_journal.json")));
    if (!besideDrizzle) roots.add(folder);
  }
  return [...roots].sort();
}

/**
 * A TypeScript/JavaScript migration module: under a folder whose path names migrations, and named as
 * the runners name them (a leading timestamp or number, MikroORM's `Migration<timestamp>`), so helpers
 * and `index.ts` files beside them make no set of their own.
 */
export function isMigrationModule(rel: string, folder = ""): boolean {
  const segments = (folder ? `${folder}/${rel}` : rel).split("/");
  const name = segments.pop()!;
  if (!isModuleFile(name) || !segments.some((s) => /migrat/i.test(s))) return false;
  return /^(?:\d|Migration\d)/.test(name) || (basenameOf(segments.join("/") || ".") === "migrations" && !/^index\./.test(name));
}

interface Registered {
  absolute: string;
  display: string;
  whole: boolean;
  /** The user pointed at this root itself (or at a file in it), not at a folder above it. */
  direct: boolean;
  /** Absolute paths of the files the user named inside this set. */
  named: Set<string>;
}

export async function discover(paths: readonly string[], options: DiscoverOptions): Promise<DiscoveredSet[]> {
  return new Discovery(options).run(paths);
}

class Discovery {
  private readonly fs: DiscoveryFs;
  private readonly options: DiscoverOptions;
  private readonly roots = new Map<string, Registered>();
  private readonly texts = new Map<string, string>();
  private readonly hintCache = new Map<string, ProjectHints | null>();
  private readonly configDir: string;
  /** Each folder the user named, with the roots found under it: one that yields no set is an input error. */
  private readonly folders: { given: string; roots: Set<string>; sqlFiles: number }[] = [];
  /** Why a root yielded no set, for the message when a named folder yields nothing. */
  private readonly emptyBecause = new Map<string, string>();

  constructor(options: DiscoverOptions) {
    this.options = options;
    this.fs = options.fs ?? nodeFs(options.cwd);
    this.configDir = this.fs.resolve(options.configDir ?? options.cwd);
  }

  async run(paths: readonly string[]): Promise<DiscoveredSet[]> {
    for (const p of paths) await this.add(toSlashes(p));
    const out: DiscoveredSet[] = [];
    const loaded = new Set<string>();
    for (const root of [...this.roots.values()].sort((a, b) => (a.display < b.display ? -1 : a.display > b.display ? 1 : 0))) {
      const found = await this.loadRoot(root);
      if (found) {
        out.push(found);
        loaded.add(root.absolute);
      }
    }
    for (const folder of this.folders) {
      if (![...folder.roots].some((r) => loaded.has(r))) throw new LayoutInputError("empty", this.nothingFound(folder), folder.given);
    }
    return out;
  }

  /** What was looked for under a named folder that yielded no migration, and why nothing matched. */
  private nothingFound(folder: { roots: Set<string>; sqlFiles: number }): string {
    const reasons = [...new Set([...folder.roots].map((r) => this.emptyBecause.get(r)).filter((r): r is string => r !== undefined))];
    if (reasons.length) return `no migrations found: ${reasons.join("; ")}`;
    const forced = this.options.layout && typeof this.options.layout !== "function" ? this.options.layout : undefined;
    if (forced) return `no migrations found: --layout ${forced} looks for ${LOOKED_FOR[forced]}`;
    const what = folder.sqlFiles ? `${folder.sqlFiles} .sql file(s), all seed data or in folders that are never migrations (prelude/, other databases)` : "no .sql file";
    return `no migrations found: the folder holds ${what} (looked for every layout's files: .sql migrations, <version>/up.sql folders, meta/_journal.json, sqitch.plan)`;
  }

  /** The path as the user should read it: relative when they gave a relative path. */
  private display(absolute: string, relativeStyle: boolean): string {
    if (!relativeStyle) return absolute;
    return posix.relative(this.fs.cwd, absolute) || ".";
  }

  private register(absolute: string, relativeStyle: boolean, named?: string, direct = true): void {
    const root = this.roots.get(absolute) ?? { absolute, display: this.display(absolute, relativeStyle), whole: false, direct, named: new Set<string>() };
    root.direct ||= direct;
    if (named === undefined) root.whole = true;
    else root.named.add(named);
    this.roots.set(absolute, root);
  }

  private async add(path: string): Promise<void> {
    const kind = await this.fs.kind(path);
    if (!kind) throw new LayoutInputError("missing", "no such file or directory", path);
    const absolute = this.fs.resolve(path);
    const relativeStyle = !isAbsolute(path) && !path.startsWith("/");
    if (kind === "file") {
      const root = await this.rootForFile(absolute);
      if (root) this.register(root, relativeStyle, absolute);
      return;
    }
    const files = await this.fs.walk(absolute);
    const folder = { given: path, roots: new Set<string>(), sqlFiles: files.filter((f) => f.toLowerCase().endsWith(".sql")).length };
    this.folders.push(folder);
    for (const rel of candidateRoots(files, basenameOf(absolute))) {
      const rootAbs = posix.join(absolute, rel);
      folder.roots.add(rootAbs);
      if (rel === ".." || rel.startsWith("../")) {
        // The folder given lies inside a set (a diesel version folder): lint just its files.
        for (const f of files) this.register(rootAbs, relativeStyle, posix.join(absolute, f));
      } else this.register(rootAbs, relativeStyle, undefined, rel === ".");
    }
  }

  private async rootForFile(absolute: string): Promise<string | undefined> {
    const dir = posix.dirname(absolute);
    const name = posix.basename(absolute);
    const folder = posix.basename(dir);
    if (folder === "prelude") return undefined; // history is replayed, never linted
    if (VERSION_FILES.has(name)) return posix.dirname(dir);
    if (name === "_journal.json" && folder === "meta") return posix.dirname(dir);
    if (SQITCH_FOLDERS.has(folder) && (await this.fs.kind(posix.join(dir, "..", "sqitch.plan"))) === "file") return posix.dirname(dir);
    if (folder === "rollback") {
      const owner = posix.dirname(dir);
      const roots = candidateRoots(await this.fs.walk(owner));
      if (roots.includes(".")) return owner;
      const drizzle = roots.find((r) => r !== "rollback" && !r.includes("/") && r !== "..");
      if (drizzle) return posix.join(owner, drizzle);
    }
    return dir;
  }

  private async readCached(path: string): Promise<string> {
    const key = this.fs.resolve(path);
    const hit = this.texts.get(key);
    if (hit !== undefined) return hit;
    const text = await this.fs.readText(path);
    this.texts.set(key, text);
    return text;
  }

  /** Reads go through the cache discovery filled while detecting. */
  private layoutFs(): LayoutFs {
    return { readText: (p) => this.readCached(p), exists: (p) => this.fs.exists(p) };
  }

  private async listing(absolute: string, display: string): Promise<DirListing> {
    const walked = await this.fs.walk(absolute);
    const nested = candidateRoots(walked).filter((r) => r !== "." && r !== ".." && !r.startsWith("../"));
    const files = walked.filter((f) => {
      const segments = f.split("/");
      if (segments.slice(0, -1).some(excludedSegment)) return false;
      return !nested.some((r) => f.startsWith(`${r}/`));
    });
    // drizzle's rollback convention may sit beside the out folder rather than inside it.
    if (files.includes("meta/_journal.json") && !files.some((f) => f.startsWith("rollback/"))) {
      const beside = posix.join(posix.dirname(absolute), "rollback");
      if ((await this.fs.kind(beside)) === "dir") {
        for (const f of await this.fs.walk(beside)) if (/^\d+_rollback\.sql$/.test(f)) files.push(`../rollback/${f}`);
      }
    }
    const contents = new Map<string, string>();
    for (const f of files) if (f.toLowerCase().endsWith(".sql") || (isModuleFile(f) && !f.includes("/"))) contents.set(f, await this.readCached(joinPath(display, f)));
    const hints = await projectHints(this.fs, absolute, this.hintCache);
    return { root: display, absolute, files, contents, hints };
  }

  private forcedLayout(display: string): LayoutId | undefined {
    const { layout } = this.options;
    return typeof layout === "function" ? layout(display) : layout;
  }

  private async loadRoot(root: Registered): Promise<DiscoveredSet | undefined> {
    const dir = await this.listing(root.absolute, root.display);
    const forced = this.forcedLayout(root.display);
    let layout: Layout;
    let detection: Detection;
    if (forced) {
      layout = layoutById(forced);
      detection = { by: "forced", score: layout.detect(dir), evidence: [`--layout ${forced}`] };
      // Forcing applies to the folders that could be that framework's; others found under a
      // searched tree are skipped, while a folder named directly is loaded as asked.
      if (!detection.score && !root.direct) return this.none(root, `--layout ${forced} looks for ${LOOKED_FOR[forced]}`);
    } else {
      const best = detectLayout(dir);
      if (!best) return undefined;
      ({ layout, detection } = best);
    }
    const set = await layout.load(dir, this.layoutFs());
    if (!set.migrations.length) return this.none(root, forced ? `--layout ${forced} looks for ${LOOKED_FOR[forced]}` : `${layout.id} looks for ${LOOKED_FOR[layout.id]}`);
    splitInlineRollbacks(set);
    set.detection = detection;
    await this.addHistory(set, layout, root);
    this.applyTransactionOverrides(set);
    const selected = this.select(set, root);
    const strays = root.whole ? set.stray : set.stray.filter((p) => root.named.has(this.fs.resolve(p)));
    // A named file the runner never applies (a stray) keeps its set, so lint can say so.
    if (selected && !selected.size && !strays.length) {
      if (root.whole && this.options.include?.length) return this.none(root, `none of ${root.display}'s ${set.migrations.filter((m) => !m.prelude).length} migration(s) matches the config's include (${this.options.include.join(", ")}), relative to ${this.configDir}`);
      if (root.whole && this.options.exclude?.length) return this.none(root, `the config's exclude (${this.options.exclude.join(", ")}) leaves none of ${root.display}'s migrations`);
      return undefined;
    }
    return selected ? { set, selected, strays } : { set, strays };
  }

  private none(root: Registered, why: string): undefined {
    this.emptyBecause.set(root.absolute, why);
    return undefined;
  }

  /** Config `history` folders and a `prelude/` folder above the set, replayed first. */
  private async addHistory(set: MigrationSet, layout: Layout, root: Registered): Promise<void> {
    const folders: string[] = [];
    const relativeStyle = !root.display.startsWith("/");
    for (const h of this.options.history ?? []) folders.push(posix.resolve(this.configDir, toSlashes(h)));
    const prelude = await this.findPrelude(root.absolute);
    if (prelude && !folders.includes(prelude)) folders.push(prelude);
    const seen = new Set(set.migrations.map((m) => m.id));
    const history: Migration[] = [];
    for (const folder of folders) {
      if ((await this.fs.kind(folder)) !== "dir") {
        throw new LayoutInputError("missing", "history folder does not exist", this.display(folder, relativeStyle));
      }
      const listing = await this.listing(folder, this.display(folder, relativeStyle));
      const older = await layout.load(listing, this.layoutFs());
      splitInlineRollbacks(older);
      for (const m of older.migrations) {
        if (seen.has(m.id)) continue;
        seen.add(m.id);
        history.push({ ...m, prelude: true });
      }
    }
    set.migrations.unshift(...history);
  }

  private async findPrelude(absoluteRoot: string): Promise<string | undefined> {
    // Folders above the project may be unreadable; they just hold no prelude.
    const kind = (p: string) => this.fs.kind(p).catch(() => undefined);
    let dir = absoluteRoot;
    for (let level = 0; level < 10; level++) {
      const candidate = posix.join(dir, "prelude");
      if (candidate !== absoluteRoot && (await kind(candidate)) === "dir") return candidate;
      if ((await kind(posix.join(dir, ".git"))) !== undefined) return undefined;
      const up = posix.dirname(dir);
      if (up === dir) return undefined;
      dir = up;
    }
    return undefined;
  }

  private configRelative(path: string): string {
    return posix.relative(this.configDir, this.fs.resolve(path));
  }

  private applyTransactionOverrides(set: MigrationSet): void {
    const override = this.options.transaction;
    if (!override) return;
    for (const m of set.migrations) {
      let decided: { transactional: boolean; reason: string } | undefined;
      if (typeof override === "function") {
        const r = override(m.up.path, m, set);
        decided = typeof r === "boolean" ? { transactional: r, reason: `transaction override for ${m.up.path}` } : r;
      } else {
        const rel = this.configRelative(m.up.path);
        for (const [glob, value] of Object.entries(override)) {
          if (matchesGlob(rel, glob)) decided = { transactional: value, reason: `config "transaction": "${glob}" is ${value}` };
        }
      }
      if (!decided) continue;
      m.transactional = decided.transactional;
      m.transactionReason = decided.reason;
      m.transactionMode = overriddenMode(decided.transactional, m.transactionMode);
    }
  }

  private select(set: MigrationSet, root: Registered): Set<string> | undefined {
    const linted = set.migrations.filter((m) => !m.prelude);
    let chosen = linted;
    if (!root.whole) {
      const named = root.named;
      const hit = (p: string | undefined) => p !== undefined && named.has(this.fs.resolve(p));
      chosen = linted.filter((m) => (m.external !== "up" && hit(m.up.path)) || hit(m.down?.path) || hit(m.verify?.path));
    }
    const { include, exclude } = this.options;
    const files = (m: Migration) => [m.up.path, m.down?.path].filter((p): p is string => p !== undefined).map((p) => this.configRelative(p));
    if (include?.length) chosen = chosen.filter((m) => files(m).some((f) => include.some((g) => matchesGlob(f, g))));
    if (exclude?.length) chosen = chosen.filter((m) => !files(m).some((f) => exclude.some((g) => matchesGlob(f, g))));
    if (chosen.length === linted.length) return undefined;
    return new Set(chosen.map((m) => m.id));
  }
}

/** A runner told not to wrap still sends the file the way it always does. */
function overriddenMode(transactional: boolean, previous: TransactionMode | undefined): TransactionMode {
  if (transactional) return previous === "all-pending" ? previous : "per-migration";
  return previous === "per-statement" ? previous : "single-query";
}

/**
 * ory/pop (popx): `<version>_<name>[.<dialect>][.autocommit].{up,down}.{sql,fizz}`. For PostgreSQL the
 * runner takes, per version and direction, the `.postgres.` file over the dialect-generic one and
 * ignores cockroach/mysql/sqlite files. Each migration runs in its own transaction, except
 * `.autocommit.` ones, which popx runs outside any (ory/x#818), statement by statement.
 * Versions compare as strings, as popx sorts them.
 */
import { at, defineLayout, detected, NOT_MINE, readSql, topLevel, transaction, usesTool } from "./common.js";
import { compareText } from "./version.js";
import type { DirListing, LayoutFs, Migration, MigrationSet } from "./types.js";

const POP = /^(\d+)_([^.]+)((?:\.[a-z0-9]+)*)\.(up|down)(\.autocommit)?\.(sql|fizz)$/;

type Dialect = "all" | "postgres" | "other";

/** pop's dialect names (`pop.CanonicalDialect`); anything else is not a pop file name. */
function canonicalDialect(flag: string | undefined): Dialect | undefined {
  if (flag === undefined) return "all";
  if (["postgres", "postgresql", "pg"].includes(flag)) return "postgres";
  if (["cockroach", "cockroachdb", "crdb", "mysql", "mariadb", "sqlite", "sqlite3"].includes(flag)) return "other";
  return undefined;
}

export interface PopFile {
  rel: string;
  version: string;
  name: string;
  dialect: Dialect;
  autocommit: boolean;
  direction: "up" | "down";
  fizz: boolean;
  /** The name's middle part as written (`.postgres`, `.postgres.autocommit`), to name the down alike. */
  flags: string;
}

export function parsePopName(rel: string): PopFile | undefined {
  const m = POP.exec(rel);
  if (!m) return undefined;
  const [, version, name, flagText, direction, trailingAuto, ext] = m as unknown as [string, string, string, string, "up" | "down", string | undefined, string];
  const flags = flagText.split(".").filter(Boolean);
  const autocommit = flags.includes("autocommit") || trailingAuto !== undefined;
  const dialects = flags.filter((f) => f !== "autocommit");
  const dialect = canonicalDialect(dialects[0]);
  if (dialects.length > 1 || !dialect) return undefined;
  return { rel, version, name, dialect, autocommit, direction, fizz: ext === "fizz", flags: flagText + (trailingAuto ?? "") };
}

/** Per version and direction, the file popx runs on PostgreSQL. */
export function effectivePopFiles(dir: DirListing): { chosen: Map<string, { up?: PopFile; down?: PopFile }>; ignored: Set<string> } {
  const chosen = new Map<string, { up?: PopFile; down?: PopFile }>();
  const ignored = new Set<string>();
  for (const rel of topLevel(dir)) {
    const f = parsePopName(rel);
    if (!f) continue;
    if (f.dialect === "other") {
      ignored.add(rel);
      continue;
    }
    const slot = chosen.get(f.version) ?? {};
    const current = slot[f.direction];
    if (!current || (current.dialect === "all" && f.dialect === "postgres")) {
      if (current) ignored.add(current.rel);
      slot[f.direction] = f;
    } else ignored.add(rel);
    chosen.set(f.version, slot);
  }
  return { chosen, ignored };
}

async function load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet> {
  const { chosen, ignored } = effectivePopFiles(dir);
  const used = new Set<string>(ignored);
  const migrations: Migration[] = [];
  for (const version of [...chosen.keys()].sort(compareText)) {
    const { up, down } = chosen.get(version)!;
    if (!up) continue; // a down without an up is never run: it stays a stray
    used.add(up.rel);
    const id = `${version}_${up.name}`;
    const tx = up.autocommit
      ? transaction("per-statement", "`.autocommit.` in the file name: popx runs it outside a transaction")
      : transaction("per-migration", "popx runs each migration in its own transaction");
    const m: Migration = {
      id,
      version,
      name: up.name,
      up: up.fizz ? { path: at(dir, up.rel), text: "" } : await readSql(dir, fs, up.rel),
      expectsDown: true,
      downTarget: { kind: "file", path: at(dir, down && !down.fizz ? down.rel : `${id}${up.flags}.down.sql`) },
      ...tx,
    };
    if (up.fizz) m.external = "up";
    if (down) {
      used.add(down.rel);
      if (down.fizz) {
        m.external = "down";
        m.expectsDown = false;
      } else m.down = await readSql(dir, fs, down.rel);
    }
    migrations.push(m);
  }
  const stray = dir.files.filter((f) => f.toLowerCase().endsWith(".sql") && !used.has(f)).map((f) => at(dir, f));
  return { layout: "pop", root: dir.root, migrations, stray };
}

export const pop = defineLayout(
  "pop",
  (dir) => {
    const files = topLevel(dir).map(parsePopName).filter((f): f is PopFile => f !== undefined);
    if (!files.length) return NOT_MINE;
    const marked = files.filter((f) => f.dialect !== "all" || f.autocommit || f.fizz).length;
    if (marked) return detected(90, `${marked} file(s) named with a pop dialect (\`.postgres.\`), \`.autocommit.\` or \`.fizz\``);
    if (usesTool(dir, "pop")) return detected(85, "go.mod above the folder requires gobuffalo/pop or ory/x (popx)");
    return NOT_MINE;
  },
  load,
);

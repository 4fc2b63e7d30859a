/**
 * Drift: does the live schema look the way the applied history says? The applied migrations (as the
 * journal lists them, in its order) are replayed on embedded PGlite and snapshotted with the verify
 * engine's snapshot; the live database is snapshotted the same way, read-only, inside one REPEATABLE READ
 * transaction (one consistent picture, nothing locked beyond what a SELECT takes); the two are compared
 * with verify's diff and reported in its `+ / - / ~` notation (`+` only live, `-` only in the history).
 *
 * Left out on both sides, because no migration creates them: the runner's journal (`ownedObjects`), this
 * tool's audit and backup schemas, and objects owned by extensions (the snapshot already skips those; an
 * extension's version is the server's business, so extensions are compared by name).
 *
 * PGlite runs as `postgres`; the live objects belong to whoever ran the migrations. That role is read as
 * the owner of the journal's table (the runner created it), else the connected user, and the replayed
 * snapshot's owners and privileges are renamed to it before comparing.
 */
import { InputError } from "../errors.js";
import type { JournalState, RunnerJournal, JournalSettings, SqlClient } from "../layout/journal.js";
import { qualified } from "../layout/drizzle-journal.js";
import type { Migration } from "../layout/types.js";
import { alignViewDefinitions } from "./view-definitions.js";
import { diff, formatDiff, type ColumnOrderDifference, type Difference } from "../verify/diff.js";
import type { Engine } from "../verify/engine.js";
import { PgliteEngine } from "../verify/pglite.js";
import { applyUp } from "../verify/roundtrip.js";
import { extensionsIn, prepare } from "../verify/script.js";
import { installShim } from "../verify/shim.js";
import { readSnapshot, SNAPSHOT_COLLECTIONS, type Snapshot } from "../verify/snapshot.js";
import { AUDIT_SCHEMA } from "./audit.js";
import { BACKUP_SCHEMA } from "./backup.js";
import { appliedEntries } from "./status.js";

export interface DriftReport {
  /** How many applied migrations were replayed. */
  applied: number;
  differences: Difference[];
  columnOrder: ColumnOrderDifference[];
  /** `formatDiff` lines, one per difference (column order moves, `↕`, are listed but are not drift). */
  lines: string[];
  /** What was left out of the comparison, for the reader. */
  excluded: string[];
}

/** Real differences; a column order move alone is not drift. */
export function isDrift(report: DriftReport): boolean {
  return report.differences.length > 0;
}

/** The applied history does not replay: the user's migrations (or PGlite's limits), said in one line. */
export class ReplayError extends InputError {}

/**
 * Called on the replay engine once the whole applied history is in, with the snapshot after each of the
 * newest `keep` migrations' predecessors (`states[i]`: the schema after applied[length - 1 - i - 1]), so
 * the downs of a rollback range can be rehearsed there (written-downs.ts).
 */
export interface ReplayHook {
  keep: number;
  run(engine: Engine, states: Snapshot[]): Promise<void>;
}

/** The replayed history's snapshot: every applied migration with a file, in journal order. */
export async function replayApplied(migrations: readonly Migration[], hook?: ReplayHook): Promise<Snapshot> {
  const scripts = [];
  for (const m of migrations) scripts.push(await prepare(m.up));
  const engine = await PgliteEngine.create({ extensions: extensionsIn(scripts) });
  try {
    await installShim(engine, scripts, "auto");
    const keepFrom = hook ? migrations.length - hook.keep - 1 : Infinity;
    const states: Snapshot[] = [];
    if (keepFrom < 0) states.push(await engine.snapshot());
    for (const [i, script] of scripts.entries()) {
      const failure = await applyUp(engine, script);
      if (failure) {
        const at = failure.location;
        throw new ReplayError(`replaying the applied history on PGlite failed at ${at.path}:${at.line}:${at.column} (${migrations[i]!.id}): ${failure.error.message}`);
      }
      if (i >= keepFrom && i < migrations.length - 1) states.push(await engine.snapshot());
    }
    const snapshot = await engine.snapshot();
    // Newest first, like the parts of a rollback.
    if (hook) await hook.run(engine, states.reverse());
    return snapshot;
  } finally {
    await engine.close();
  }
}

/** The live database's snapshot, read-only, in one REPEATABLE READ transaction. */
export async function liveSnapshot(client: SqlClient): Promise<Snapshot> {
  await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  try {
    return await readSnapshot(client);
  } finally {
    await client.query("ROLLBACK");
  }
}

async function migrationRole(client: SqlClient, journal: RunnerJournal, settings: JournalSettings, state: JournalState): Promise<string> {
  const at = journal.location(settings);
  const [row] = await client.query<{ owner: string | null }>(
    `SELECT (SELECT pg_get_userbyid(c.relowner) FROM pg_class c WHERE c.oid = to_regclass($1)) AS owner`,
    [qualified(at)],
  );
  if (row?.owner && state.exists) return row.owner;
  const [me] = await client.query<{ u: string }>("SELECT current_user AS u");
  return me!.u;
}

interface AclView {
  role: string;
  /** PostgreSQL 17 added the MAINTAIN privilege (`m`); an older server's default ACLs have no such letter. */
  hasMaintain: boolean;
}

/** Renames the replaying role (`postgres`) to the live one in owners and privilege lists, in the live server's ACL letters. */
function asLive(value: unknown, view: AclView, key?: string): unknown {
  if (Array.isArray(value)) return value.map((v) => (key === "acl" && typeof v === "string" ? aclItem(v, view) : asLive(v, view)));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === "owner" && v === "postgres" ? view.role : asLive(v, view, k)]));
  }
  return value;
}

function aclItem(item: string, view: AclView): string {
  let out = item.replace(/^postgres=/, `${view.role}=`).replace(/\/postgres$/, `/${view.role}`);
  if (!view.hasMaintain) out = out.replace(/=([^/]*)/, (_, privs: string) => `=${privs.replace(/m\*?/g, "")}`);
  return out;
}

/** The snapshot without the objects no migration made, and extensions by name only. */
function withoutUnowned(snapshot: Snapshot, schemas: ReadonlySet<string>, relations: ReadonlySet<string>): Snapshot {
  const out = { ...snapshot } as Record<string, Record<string, unknown>>;
  const inSchema = (key: string) => schemas.has(key.slice(0, key.indexOf(".")));
  for (const collection of SNAPSHOT_COLLECTIONS) {
    const kept: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(snapshot[collection])) {
      if (collection === "schemas" && schemas.has(key)) continue;
      if (collection === "extensions") {
        kept[key] = {};
        continue;
      }
      if (collection !== "schemas" && (inSchema(key) || relations.has(key))) continue;
      if (collection === "indexes" && relations.has((value as { table: string }).table)) continue;
      kept[key] = value;
    }
    out[collection] = kept;
  }
  return out as unknown as Snapshot;
}

export async function checkDrift(client: SqlClient, journal: RunnerJournal, settings: JournalSettings, state: JournalState, hook?: ReplayHook): Promise<DriftReport> {
  const applied = appliedEntries(state).flatMap((e) => (e.migration ? [e.migration] : []));
  const owned = journal.ownedObjects(settings);
  const schemas = new Set([...owned.schemas, AUDIT_SCHEMA, BACKUP_SCHEMA]);
  const relations = new Set(owned.relations);
  const role = await migrationRole(client, journal, settings, state);
  const [version] = await client.query<{ n: string }>("SELECT current_setting('server_version_num') AS n");
  const view: AclView = { role, hasMaintain: Number(version?.n ?? 0) >= 170000 };
  const expected = withoutUnowned(asLive(await replayApplied(applied, hook), view) as Snapshot, schemas, relations);
  const actual = await alignViewDefinitions(expected, withoutUnowned(await liveSnapshot(client), schemas, relations));
  const d = diff(expected, actual);
  return {
    applied: applied.length,
    differences: d.differences,
    columnOrder: d.columnOrder,
    lines: formatDiff(d),
    excluded: [...schemas].map((s) => `schema ${s}`).concat([...relations].map((r) => `relation ${r}`), ["objects owned by extensions", "extension versions"]),
  };
}

/**
 * sqitch's journal: the registry schema `sqitch` (`--registry` moves it) with releases, projects,
 * changes, tags, dependencies and events. A deployed change is a `changes` row (change_id = SHA-1 of the
 * change's plan entry, script_hash = SHA-1 of its deploy script) plus its `dependencies` rows and a
 * `deploy` event. Sources (Debian sqitch 1.3.1, `App/Sqitch/`): `Engine/pg.sql` (the registry DDL below,
 * without its COMMENTs), `Role/DBIEngine.pm` (`log_deploy_change`, `_log_event`, `register_project`,
 * `_register_release`), `Engine/pg.pm` (`log_revert_change`: delete the change's tags, read its
 * dependencies, delete the change row, whose dependencies go with it by ON DELETE CASCADE, then insert
 * a `revert` event; `try_lock`/`wait_lock`: advisory lock 75474063, `--lock-timeout` default 60 s), and
 * `Plan/Change.pm` (the change id: SHA-1 of `change <length>\0<info>`, info = project, uri, change,
 * parent id, planner, date, requires, conflicts, note).
 *
 * The events table is sqitch's own audit trail: un-recording keeps it and appends the revert event, so
 * `sqitch log` shows the rollback like one sqitch made. The committer of a revert event is the database's
 * `current_user` with an empty email (sqitch takes both from its own config, which a database tool cannot
 * read). Tested against the real sqitch (Debian `sqitch` + `libdbd-pg-perl`) in test/journal/sqitch-real.test.ts.
 */
import { join } from "node:path";
import type { JournalEntry, JournalSettings, JournalState, RunnerJournal, SqlClient, Statement } from "./journal.js";
import { alwaysQuoted, asDate, entryFor, locate, sha1Hex, strictlyAfterEvery, tableExists } from "./journal-support.js";
import { PLAN } from "./sqitch.js";
import type { SqitchPlanned } from "./sqitch-plan.js";
import type { Migration, MigrationSet } from "./types.js";

const location = (settings: JournalSettings) => locate({ schema: settings.schema }, "sqitch", "changes");
const registry = (settings: JournalSettings) => alwaysQuoted(location(settings).schema);
const TABLES = ["releases", "projects", "changes", "tags", "dependencies", "events"];
/** The indexes behind the registry's primary keys and unique constraints. */
const INDEXES = [
  "releases_pkey",
  "projects_pkey",
  "projects_uri_key",
  "changes_pkey",
  "changes_project_script_hash_key",
  "tags_pkey",
  "tags_project_tag_key",
  "dependencies_pkey",
  "events_pkey",
];

function registryDdl(r: string): string[] {
  return [
    `CREATE SCHEMA IF NOT EXISTS ${r}`,
    `CREATE TABLE ${r}.releases (
    version         REAL        PRIMARY KEY,
    installed_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    installer_name  TEXT        NOT NULL,
    installer_email TEXT        NOT NULL
)`,
    `CREATE TABLE ${r}.projects (
    project         TEXT        PRIMARY KEY,
    uri             TEXT            NULL UNIQUE,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    creator_name    TEXT        NOT NULL,
    creator_email   TEXT        NOT NULL
)`,
    `CREATE TABLE ${r}.changes (
    change_id       TEXT        PRIMARY KEY,
    script_hash     TEXT            NULL,
    change          TEXT        NOT NULL,
    project         TEXT        NOT NULL REFERENCES ${r}.projects(project) ON UPDATE CASCADE,
    note            TEXT        NOT NULL DEFAULT '',
    committed_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    committer_name  TEXT        NOT NULL,
    committer_email TEXT        NOT NULL,
    planned_at      TIMESTAMPTZ NOT NULL,
    planner_name    TEXT        NOT NULL,
    planner_email   TEXT        NOT NULL,
    UNIQUE(project, script_hash)
)`,
    `CREATE TABLE ${r}.tags (
    tag_id          TEXT        PRIMARY KEY,
    tag             TEXT        NOT NULL,
    project         TEXT        NOT NULL REFERENCES ${r}.projects(project) ON UPDATE CASCADE,
    change_id       TEXT        NOT NULL REFERENCES ${r}.changes(change_id) ON UPDATE CASCADE,
    note            TEXT        NOT NULL DEFAULT '',
    committed_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    committer_name  TEXT        NOT NULL,
    committer_email TEXT        NOT NULL,
    planned_at      TIMESTAMPTZ NOT NULL,
    planner_name    TEXT        NOT NULL,
    planner_email   TEXT        NOT NULL,
    UNIQUE(project, tag)
)`,
    `CREATE TABLE ${r}.dependencies (
    change_id       TEXT        NOT NULL REFERENCES ${r}.changes(change_id) ON UPDATE CASCADE ON DELETE CASCADE,
    type            TEXT        NOT NULL,
    dependency      TEXT        NOT NULL,
    dependency_id   TEXT            NULL REFERENCES ${r}.changes(change_id) ON UPDATE CASCADE CONSTRAINT dependencies_check CHECK (
            (type = 'require'  AND dependency_id IS NOT NULL)
         OR (type = 'conflict' AND dependency_id IS NULL)
    ),
    PRIMARY KEY (change_id, dependency)
)`,
    `CREATE TABLE ${r}.events (
    event           TEXT        NOT NULL CONSTRAINT events_event_check CHECK (
        event IN ('deploy', 'revert', 'fail', 'merge')
    ),
    change_id       TEXT        NOT NULL,
    change          TEXT        NOT NULL,
    project         TEXT        NOT NULL REFERENCES ${r}.projects(project) ON UPDATE CASCADE,
    note            TEXT        NOT NULL DEFAULT '',
    requires        TEXT[]      NOT NULL DEFAULT '{}',
    conflicts       TEXT[]      NOT NULL DEFAULT '{}',
    tags            TEXT[]      NOT NULL DEFAULT '{}',
    committed_at    TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
    committer_name  TEXT        NOT NULL,
    committer_email TEXT        NOT NULL,
    planned_at      TIMESTAMPTZ NOT NULL,
    planner_name    TEXT        NOT NULL,
    planner_email   TEXT        NOT NULL,
    PRIMARY KEY (change_id, committed_at)
)`,
    // The registry release this DDL is (`registry_release` 1.1), recorded as sqitch does on creation.
    `INSERT INTO ${r}.releases (version, installed_at, installer_name, installer_email) VALUES (1.1, clock_timestamp(), current_user, '')`,
  ];
}

/** The change a migration of the sqitch layout plans, as the layout read it from the plan. */
function plannedOf(migration: Migration, set: MigrationSet): SqitchPlanned {
  if (!migration.sqitch) throw new Error(`${migration.id} is not a change of ${join(set.root, PLAN)}`);
  return migration.sqitch;
}

/** `recorded` is `<change> <change_id>`: readable for a row with no file, exact for un-recording. */
const changeIdOf = (entry: JournalEntry) => entry.recorded.split(" ").at(-1)!;

export const sqitchJournal: RunnerJournal = {
  runner: "sqitch",
  layouts: ["sqitch"],
  location,
  createSql: (settings) => registryDdl(registry(settings)),
  recordSql: (migration: Migration, set: MigrationSet, settings: JournalSettings): Statement[] => {
    const r = registry(settings);
    const plan = plannedOf(migration, set);
    const change = plan.change;
    const index = set.migrations.indexOf(migration);
    const earlier = set.migrations.slice(0, Math.max(index, 0)).map((m) => plannedOf(m, set).change);
    const statements: Statement[] = [
      {
        text: `INSERT INTO ${r}.projects (project, uri, creator_name, creator_email, created_at) SELECT $1, $2, current_user, '', clock_timestamp() WHERE NOT EXISTS (SELECT 1 FROM ${r}.projects WHERE project = $1)`,
        params: [plan.project, plan.uri ?? null],
      },
      {
        // sqitch orders the applied changes by committed_at: several recorded in one transaction must not tie.
        text: `INSERT INTO ${r}.changes (change_id, script_hash, change, project, note, committer_name, committer_email, planned_at, planner_name, planner_email, committed_at)
 VALUES ($1, $2, $3, $4, $5, current_user, '', $6, $7, $8, ${strictlyAfterEvery(`${r}.changes`, "committed_at")})`,
        params: [change.id, sha1Hex(migration.up.text), change.name, plan.project, change.note, change.planned, change.plannerName, change.plannerEmail],
      },
    ];
    for (const dep of change.requires) {
      // `name` is the latest planned instance before this change; `name@tag` the one that tag marks.
      const [depName, depTag] = dep.split("@") as [string, string | undefined];
      const required = depTag
        ? earlier.find((c, i) => c.name === depName && earlier.slice(i).some((d) => d.tags.some((t) => t.name === `@${depTag}`)))
        : earlier.findLast((c) => c.name === depName);
      statements.push({ text: `INSERT INTO ${r}.dependencies (change_id, type, dependency, dependency_id) VALUES ($1, 'require', $2, $3)`, params: [change.id, dep, required?.id ?? null] });
    }
    for (const dep of change.conflicts) {
      statements.push({ text: `INSERT INTO ${r}.dependencies (change_id, type, dependency, dependency_id) VALUES ($1, 'conflict', $2, NULL)`, params: [change.id, dep] });
    }
    for (const tag of change.tags) {
      statements.push({
        text: `INSERT INTO ${r}.tags (tag_id, tag, project, change_id, note, committer_name, committer_email, planned_at, planner_name, planner_email, committed_at)
 VALUES ($1, $2, $3, $4, $5, current_user, '', $6, $7, $8, clock_timestamp())`,
        params: [tag.id, tag.name, plan.project, change.id, tag.note, tag.planned, tag.plannerName, tag.plannerEmail],
      });
    }
    statements.push({
      text: `INSERT INTO ${r}.events (event, change_id, change, project, note, tags, requires, conflicts, committer_name, committer_email, planned_at, planner_name, planner_email, committed_at)
 VALUES ('deploy', $1, $2, $3, $4, $5, $6, $7, current_user, '', $8, $9, $10, clock_timestamp())`,
      params: [change.id, change.name, plan.project, change.note, change.tags.map((t) => t.name), change.requires, change.conflicts, change.planned, change.plannerName, change.plannerEmail],
    });
    return statements;
  },
  async read(client: SqlClient, set: MigrationSet, settings: JournalSettings): Promise<JournalState> {
    const loc = location(settings);
    if (!(await tableExists(client, loc))) return { location: loc, exists: false, entries: [] };
    const r = registry(settings);
    const rows = await client.query<{ change_id: string; change: string; project: string; script_hash: string | null; committed_at: unknown }>(
      `SELECT change_id, change, project, script_hash, committed_at FROM ${r}.changes ORDER BY committed_at, change_id`,
    );
    // The registry may hold several projects: the set's is the one whose changes it plans.
    const names = new Set(set.migrations.map((m) => m.name));
    const score = new Map<string, number>();
    for (const row of rows) score.set(row.project, (score.get(row.project) ?? 0) + (names.has(row.change) ? 1 : 0));
    const project = [...score.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
    const unused = [...set.migrations];
    const entries = rows
      .filter((row) => row.project === project)
      .map((row) => {
        // A reworked change is planned twice under one name: rows take its instances in plan order.
        const at = unused.findIndex((m) => m.name === row.change);
        const migration = at >= 0 ? unused.splice(at, 1)[0] : undefined;
        return entryFor(migration, `${row.change} ${row.change_id}`, { appliedAt: asDate(row.committed_at), ...(row.script_hash ? { hash: row.script_hash } : {}) });
      });
    return { location: loc, exists: true, entries };
  },
  hashOf: (m) => sha1Hex(m.up.text),
  unrecordSql: (entry, _state, settings) => {
    const r = registry(settings);
    const id = changeIdOf(entry);
    return [
      {
        // The revert event carries what log_revert_change collects before deleting: tags and dependencies.
        text: `INSERT INTO ${r}.events (event, change_id, change, project, note, tags, requires, conflicts, committer_name, committer_email, planned_at, planner_name, planner_email, committed_at)
 SELECT 'revert', c.change_id, c.change, c.project, c.note,
        ARRAY(SELECT tag FROM ${r}.tags WHERE change_id = c.change_id),
        ARRAY(SELECT dependency FROM ${r}.dependencies WHERE change_id = c.change_id AND type = 'require'),
        ARRAY(SELECT dependency FROM ${r}.dependencies WHERE change_id = c.change_id AND type = 'conflict'),
        current_user, '', c.planned_at, c.planner_name, c.planner_email, clock_timestamp()
   FROM ${r}.changes c WHERE c.change_id = $1`,
        params: [id],
      },
      { text: `DELETE FROM ${r}.tags WHERE change_id = $1`, params: [id] },
      { text: `DELETE FROM ${r}.changes where change_id = $1`, params: [id] },
    ];
  },
  lock: { key: () => 75474063n, mode: "try", source: "sqitch App/Sqitch/Engine/pg.pm try_lock / wait_lock: pg_try_advisory_lock(75474063), then waits up to --lock-timeout (60 s)" },
  ownedObjects: (settings) => {
    const schema = location(settings).schema;
    return { schemas: [schema], relations: [...TABLES, ...INDEXES].map((t) => `${schema}.${t}`) };
  },
};

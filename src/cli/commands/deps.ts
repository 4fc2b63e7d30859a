/**
 * `migration-lint deps [migration] [paths..]`: which later migrations depend on what a migration
 * created or changed (a foreign key to its table, an index on its column, a view over it), read from
 * the replayed catalog. Those must be rolled back before it. Without a migration: the whole graph.
 */
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import type { ArgumentsCamelCase, Argv, CommandModule } from "yargs";
import type { SetDependencies } from "../../history/api.js";
import { dependentsOf } from "../../history/deps.js";
import { findMigration } from "../../history/find.js";
import type { LayoutId } from "../../layout/types.js";
import { onlyFormats, type GlobalOptions } from "../options.js";
import { writeOut } from "../output.js";
import { progressBar } from "../progress.js";

export interface DepsArgs extends GlobalOptions {
  migration?: string;
  paths?: string[];
}

export const depsCommand: CommandModule<GlobalOptions, DepsArgs> = {
  command: "deps [migration] [paths..]",
  describe: "List the later migrations that depend on a migration (roll them back first); without one, the whole graph",
  builder: (y: Argv<GlobalOptions>) =>
    y
      .positional("migration", { type: "string", describe: "Id, version, file or unambiguous id prefix of a migration" })
      .positional("paths", { type: "string", array: true, describe: "Migration folders to search (default: the migration's own file, else the current directory)" })
      .check(onlyFormats("deps", ["stylish", "json"])) as Argv<DepsArgs>,
  handler: async (argv: ArgumentsCamelCase<DepsArgs>) => {
    // The analysis loads when this command runs, not when it is registered (every run registers every command).
    const { migrationDependencies } = await import("../../history/api.js");
    const cwd = process.cwd();
    // `deps migrations/0003_x.sql` names the migration and where to find its set at once; `deps migrations/`
    // (a folder that is not one migration's own) asks for the whole graph of what is under it.
    let migration = argv.migration;
    let paths = argv.paths ?? [];
    if (!paths.length && migration !== undefined && existsSync(path.resolve(cwd, migration))) {
      paths = [migration];
      if (statSync(path.resolve(cwd, migration)).isDirectory() && !isMigrationFolder(path.resolve(cwd, migration))) migration = undefined;
    }
    const progress = progressBar("replaying");
    const sets = await migrationDependencies(paths, {
      cwd,
      ...(argv.config ? { configPath: argv.config } : {}),
      ...(argv.layout ? { layout: argv.layout as LayoutId } : {}),
      onProgress: (d, t) => progress.update(d, t),
    });
    progress.done();
    const json = argv.format === "json";
    if (migration !== undefined) {
      const found = findMigration(sets.map((s) => ({ ...s, set: s.analyzed.set })), migration, cwd, "migration");
      await writeOut(json ? oneJson(found.owner, found.migration.id) : oneText(found.owner, found.migration.id));
    } else {
      await writeOut(json ? graphJson(sets) : sets.map(graphText).join("\n"));
    }
    process.exitCode = 0;
  },
};

/** diesel / prisma / sqlx-style version folders hold one migration's up.sql or migration.sql. */
function isMigrationFolder(dir: string): boolean {
  return readdirSync(dir).some((f) => f === "up.sql" || f === "migration.sql");
}

function oneText(s: SetDependencies, id: string): string {
  const d = dependentsOf(s.graph, id);
  const lines = [`${s.analyzed.set.root}: ${id}`];
  if (!d.direct.length) lines.push("  needed by: nothing later (it can be rolled back on its own)");
  else {
    lines.push("  needed by (roll these back first):");
    for (const dep of d.direct) {
      lines.push(`    ${dep.id}`);
      for (const r of dep.reasons) lines.push(`      - ${r}`);
    }
  }
  if (d.indirect.length) {
    lines.push("  and through them:");
    for (const dep of d.indirect) lines.push(`    ${dep.id} (via ${dep.via})`);
  }
  if (d.needs.length) {
    lines.push("  depends on:");
    for (const dep of d.needs) {
      lines.push(`    ${dep.on}`);
      for (const r of dep.reasons) lines.push(`      - ${r}`);
    }
  }
  return lines.join("\n") + "\n";
}

function oneJson(s: SetDependencies, id: string): string {
  const d = dependentsOf(s.graph, id);
  return JSON.stringify({ root: s.analyzed.set.root, layout: s.analyzed.set.layout, migration: id, neededBy: d.direct, indirect: d.indirect, dependsOn: d.needs }, null, 2) + "\n";
}

function graphText(s: SetDependencies): string {
  const lines = [`${s.analyzed.set.root} (${s.analyzed.set.layout})`];
  for (const id of s.graph.order) {
    const deps = s.graph.dependsOn.get(id) ?? [];
    lines.push(`  ${id}${deps.length ? ` depends on ${deps.map((d) => d.on).join(", ")}` : ""}`);
  }
  return lines.join("\n") + "\n";
}

function graphJson(sets: readonly SetDependencies[]): string {
  return (
    JSON.stringify(
      sets.map((s) => ({
        root: s.analyzed.set.root,
        layout: s.analyzed.set.layout,
        migrations: s.graph.order.map((id) => ({ id, dependsOn: s.graph.dependsOn.get(id) ?? [] })),
      })),
      null,
      2,
    ) + "\n"
  );
}

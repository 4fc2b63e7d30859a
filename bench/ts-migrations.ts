/**
 * The bench row for migrations written in TypeScript (issue 13): migration-lint on the corpus's kind-E
 * histories (TypeORM, MikroORM, Kysely, knex, Payload), files per second; and beside pgfence, the one
 * peer that reads SQL out of ORM modules, on the history it can read: Flowise's TypeORM modules (on the
 * others pgfence 0.1.5 stops with exit 2: "Cannot auto-detect migration format", or a syntax error on
 * datalens' knex modules). squawk reads `.sql` only, so it has no row. Tools alternate round by round.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { alternatingRounds, type Command } from "./measure.js";
import { pairedRatio, ratio, summarize, type Summary } from "./stats.js";

/** The kind-E repositories of ../shared/corpus (MANIFEST.md, section E). */
export const TS_REPOS = ["FlowiseAI__Flowise", "medusajs__medusa", "bluesky-social__atproto", "datalens-tech__datalens-us", "payloadcms__payload"] as const;

/** The history pgfence can read (see above). */
const PEER_REPO = "FlowiseAI__Flowise";

export interface TsMigrationsResult {
  rounds: number;
  rows: { name: string; files: number; wall: Summary; filesPerSecond: number }[];
  /** migration-lint's time over pgfence's on Flowise (pgfence does less: no history, no downs). */
  ratio: { ofMedians: number | undefined; paired: number | undefined };
}

interface Tools {
  node: string;
  ours: string;
  pgfence: string;
  log: (line: string) => void;
}

/** The migration modules of one repository: `.ts`/`.js` files, without the runners' `index.ts` lists. */
export function moduleFiles(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) visit(p);
      else if (e.isFile() && /\.[cm]?[jt]s$/.test(e.name) && !/\.d\.[cm]?ts$/.test(e.name) && !/^index\.[cm]?[jt]s$/.test(e.name)) out.push(p);
    }
  };
  visit(dir);
  return out.sort();
}

export async function tsMigrationsRun(corpus: string, rounds: number, t: Tools): Promise<TsMigrationsResult> {
  const repos = TS_REPOS.map((r) => path.join(corpus, r));
  const peer = path.join(corpus, PEER_REPO);
  const peerFiles = moduleFiles(peer);
  const counted: [Command, number][] = [
    [{ name: "migration-lint, all five", file: t.node, args: [t.ours, ...repos, "--format", "json"], okCodes: [0, 1] }, repos.flatMap(moduleFiles).length],
    [{ name: "migration-lint, Flowise", file: t.node, args: [t.ours, peer, "--format", "json"], okCodes: [0, 1] }, peerFiles.length],
    [{ name: "pgfence, Flowise", file: t.pgfence, args: ["analyze", "--format", "typeorm", "--output", "json", ...peerFiles], okCodes: [0, 1] }, peerFiles.length],
  ];
  const commands = counted.map(([c]) => c);
  const samples = await alternatingRounds(commands, rounds, "TS", t.log);
  const rows = counted.map(([c, files]) => {
    const wall = summarize(samples.get(c.name)!.map((m) => m.wallMs));
    return { name: c.name, files, wall, filesPerSecond: files / (wall.median / 1000) };
  });
  const walls = (i: number) => samples.get(commands[i]!.name)!.map((m) => m.wallMs);
  return { rounds, rows, ratio: { ofMedians: ratio(rows[1]!.wall.median, rows[2]!.wall.median), paired: pairedRatio(walls(1), walls(2)) } };
}

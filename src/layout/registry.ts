/**
 * Every layout, in tie-break order: when two score the same, the earlier one wins (the more specific
 * naming first, plain folders last).
 */
import { authelia } from "./authelia.js";
import { concourse } from "./concourse.js";
import { dbmate } from "./dbmate.js";
import { diesel } from "./diesel.js";
import { drizzle } from "./drizzle.js";
import { flyway } from "./flyway.js";
import { golangMigrate } from "./golang-migrate.js";
import { knex } from "./knex.js";
import { kysely } from "./kysely.js";
import { mikroOrm } from "./mikro-orm.js";
import { nodePgMigrate } from "./node-pg-migrate.js";
import { plainTs } from "./plain-ts.js";
import { typeorm } from "./typeorm.js";
import { plain } from "./plain.js";
import { pop } from "./pop.js";
import { postgresMigrations } from "./postgres-migrations.js";
import { prisma } from "./prisma.js";
import { sqitch } from "./sqitch.js";
import { sqlx } from "./sqlx.js";
import { supabase } from "./supabase.js";
import type { Detection, DirListing, Layout, LayoutId } from "./types.js";

export const LAYOUTS: readonly Layout[] = [
  sqitch,
  drizzle,
  prisma,
  diesel,
  pop,
  authelia,
  flyway,
  dbmate,
  postgresMigrations,
  supabase,
  golangMigrate,
  sqlx,
  concourse,
  // TypeScript/JavaScript modules: most specific evidence first.
  mikroOrm,
  typeorm,
  kysely,
  nodePgMigrate,
  knex,
  plainTs,
  plain,
];

/** Every layout id, for `--layout` choices and the config schema. */
export const LAYOUT_IDS: readonly LayoutId[] = LAYOUTS.map((l) => l.id);

export function layoutById(id: LayoutId): Layout {
  const layout = LAYOUTS.find((l) => l.id === id);
  if (!layout) throw new Error(`unknown layout ${id}`);
  return layout;
}

export function isLayoutId(value: string): value is LayoutId {
  return (LAYOUT_IDS as readonly string[]).includes(value);
}

/** The best-scoring layout for a folder, or undefined when none recognises it. */
export function detectLayout(dir: DirListing): { layout: Layout; detection: Detection } | undefined {
  let best: { layout: Layout; detection: Detection } | undefined;
  for (const layout of LAYOUTS) {
    const result = layout.explain?.(dir) ?? { score: layout.detect(dir), evidence: [] };
    if (result.score > 0 && (!best || result.score > best.detection.score)) {
      best = { layout, detection: { by: "detected", score: result.score, evidence: result.evidence } };
    }
  }
  return best;
}

/**
 * What each layout's runner reads, in a few words: the message when a path, a forced `--layout` or
 * the config's `include` yields no migration says what was looked for (a CI gate pointed at the wrong
 * folder must fail, not pass with "0 files checked").
 */
import type { LayoutId } from "./types.js";

export const LOOKED_FOR: Readonly<Record<LayoutId, string>> = {
  drizzle: "<out>/<tag>.sql files listed in <out>/meta/_journal.json",
  prisma: "<timestamp>_<name>/migration.sql folders",
  supabase: "supabase/migrations/<timestamp>_<name>.sql files",
  diesel: "<version>_<name>/up.sql folders",
  "golang-migrate": "<version>_<name>.up.sql / .down.sql files",
  sqlx: "<version>_<description>.up.sql / .down.sql files",
  concourse: "<unix_ts>_<name>.up.sql files",
  pop: "<version>_<name>.up.sql files",
  authelia: "V<NNNN>.<Name>.up.sql files",
  "postgres-migrations": "<id>-<name>.sql files",
  dbmate: "<version>_<name>.sql files with a -- migrate:up marker",
  flyway: "V<version>__<description>.sql files",
  sqitch: "a sqitch.plan with deploy/<change>.sql scripts",
  plain: ".sql files (seed files aside)",
  typeorm: "<timestamp>-<Name>.ts/.js modules with a class implementing MigrationInterface",
  "mikro-orm": "Migration<timestamp>.ts/.js modules extending Migration",
  kysely: ".ts/.js modules exporting up(db) and down(db) with Kysely",
  knex: ".ts/.js modules exporting up(knex) and down(knex)",
  "node-pg-migrate": "<timestamp>_<name>.ts/.js/.sql files (pgm.* calls, or -- Up Migration / -- Down Migration)",
  "plain-ts": ".ts/.js modules exporting up and down",
};

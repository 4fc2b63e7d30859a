/**
 * The journals of the runners whose tables migration-lint knows exactly (one module each, beside its
 * layout). drizzle's and the configurable custom journal live in their own modules; the registry joins
 * them.
 */
import { autheliaJournal } from "./authelia-journal.js";
import { concourseJournal } from "./concourse-journal.js";
import { dbmateJournal } from "./dbmate-journal.js";
import { dieselJournal } from "./diesel-journal.js";
import { flywayJournal } from "./flyway-journal.js";
import { golangMigrateJournal } from "./golang-migrate-journal.js";
import type { RunnerJournal } from "./journal.js";
import { knexJournal } from "./knex-journal.js";
import { kyselyJournal } from "./kysely-journal.js";
import { mikroOrmJournal } from "./mikro-orm-journal.js";
import { nodePgMigrateJournal } from "./node-pg-migrate-journal.js";
import { popJournal } from "./pop-journal.js";
import { postgresMigrationsJournal } from "./postgres-migrations-journal.js";
import { prismaJournal } from "./prisma-journal.js";
import { sqitchJournal } from "./sqitch-journal.js";
import { sqlxJournal } from "./sqlx-journal.js";
import { supabaseJournal } from "./supabase-journal.js";
import { typeormJournal } from "./typeorm-journal.js";

export const runnerJournals: RunnerJournal[] = [
  prismaJournal,
  supabaseJournal,
  golangMigrateJournal,
  dieselJournal,
  sqlxJournal,
  popJournal,
  dbmateJournal,
  flywayJournal,
  sqitchJournal,
  postgresMigrationsJournal,
  concourseJournal,
  autheliaJournal,
  // The TypeScript runners (issue #13).
  typeormJournal,
  mikroOrmJournal,
  kyselyJournal,
  knexJournal,
  nodePgMigrateJournal,
];

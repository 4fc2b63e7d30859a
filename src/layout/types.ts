/**
 * What a migration framework's layout tells the rest of the tool: which files are migrations, in which
 * order, where each one's down lives (or would be written), and whether the runner wraps each
 * migration in a transaction. Everything after layout discovery is a pure function of `MigrationSet`.
 */
import type { Region } from "../parse/types.js";

export type LayoutId =
  | "drizzle"
  | "prisma"
  | "supabase"
  | "diesel"
  | "golang-migrate"
  | "pop"
  | "dbmate"
  | "flyway"
  | "sqitch"
  | "plain";

/** SQL held by a file, or by a section of one (dbmate, inline ROLLBACK). */
export interface SqlFile {
  /** Path as given to / found by the tool (relative to the cwd when under it). */
  path: string;
  text: string;
  /** The regions of `text` that belong to this direction; absent = the whole file. */
  regions?: Region[];
}

/** Where a generated down is written. */
export type DownTarget =
  | { kind: "file"; path: string }
  /** Replace the body of a section in the up file (dbmate `-- migrate:down`, inline ROLLBACK). */
  | { kind: "section"; path: string; style: "dbmate" | "rollback" };

export interface Migration {
  /** Unique within its set, stable across runs: usually `<version>_<name>`. */
  id: string;
  /** Sort key as the runner orders migrations. */
  version: string;
  name: string;
  up: SqlFile;
  /** The existing hand-written down, when the layout keeps one and it exists. */
  down?: SqlFile;
  /** False when the layout keeps no downs at all (prisma, supabase): no `missing-down` then. */
  expectsDown: boolean;
  downTarget: DownTarget;
  /** Does the runner wrap this migration in a transaction? */
  transactional: boolean;
  /** Why `transactional` has its value (`diesel metadata.toml run_in_transaction = false`, …), for messages. */
  transactionReason: string;
  /** Files (relative paths) that only set up history and are never linted: kratos' prelude. */
  prelude?: boolean;
}

export interface MigrationSet {
  layout: LayoutId;
  /** The folder holding the migrations (relative to the cwd when under it). */
  root: string;
  /** Ordered as the runner applies them, history prelude first. */
  migrations: Migration[];
  /** Files under the root that look like SQL but belong to no migration (reported, not fatal). */
  stray: string[];
}

/** One framework's discovery logic. */
export interface Layout {
  id: LayoutId;
  /** How sure we are this folder is ours: 0 = not at all. The highest score wins auto-detection. */
  detect(dir: DirListing): number;
  /** Build the ordered set. Reads files through `fs` so tests can hand in a fake tree. */
  load(dir: DirListing, fs: LayoutFs): Promise<MigrationSet>;
}

/** The files under a candidate root, relative to it, with `/` separators. */
export interface DirListing {
  root: string;
  files: string[];
}

export interface LayoutFs {
  readText(path: string): Promise<string>;
  exists(path: string): Promise<boolean>;
}

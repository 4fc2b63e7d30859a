/**
 * A migration file made ready to run statement by statement, and the runner that maps PostgreSQL's
 * errors back to file:line:col.
 *
 * The round trip runs every migration inside a transaction so that a failed down can be rolled back to the
 * state after the up. A few statements cannot run in a transaction block; they are made to, with the same
 * catalog result:
 * - `CREATE INDEX CONCURRENTLY`, `DROP INDEX CONCURRENTLY`, `REINDEX … CONCURRENTLY` run without
 *   CONCURRENTLY: the keyword changes how the index is built (locks), not what the catalog holds after.
 * - Transaction control in the file (`BEGIN`, `COMMIT`, `START TRANSACTION`, `END`, …) is skipped: the
 *   runner owns the transaction.
 * - `VACUUM` and `ANALYZE` are skipped: they change statistics and storage, nothing a snapshot reads.
 * Anything else PostgreSQL refuses inside a transaction (CREATE DATABASE, ALTER SYSTEM, …) fails with
 * PostgreSQL's own message.
 */
import type { Node } from "@pgsql/types";
import { asNode, findAll, loadParser, parseSql, SourceText, type Statement } from "../parse/index.js";
import type { SqlFile } from "../layout/types.js";
import type { Engine } from "./engine.js";
import { toSqlError, type SqlError } from "./errors.js";

export interface Location {
  path: string;
  line: number;
  column: number;
}

export interface Step {
  /** The SQL sent to the engine (the statement text, possibly with CONCURRENTLY blanked out). */
  sql: string;
  statement: Statement;
  /** Set when the statement is not run; says why. */
  skipped?: string;
  /** Set when the text was changed before running; says how. */
  rewritten?: string;
}

export interface PreparedScript {
  file: SqlFile;
  source: SourceText;
  steps: Step[];
  /** The first syntax error, if libpg-query rejected part of the file: nothing of it is run then. */
  syntaxError?: { message: string; location: Location };
}

export interface ScriptFailure {
  /** PostgreSQL's error (or the parser's, for a syntax error). */
  error: SqlError;
  /** Where it happened: PostgreSQL's error position inside the statement when it gave one, else the statement start. */
  location: Location;
  /** The failing statement's text, shortened for display. */
  statement: string;
}

/** Loads the parser (once) and prepares a file. */
export async function prepare(file: SqlFile): Promise<PreparedScript> {
  await loadParser();
  return prepareScript(file);
}

/** Requires `loadParser()` to have resolved. */
export function prepareScript(file: SqlFile): PreparedScript {
  const source = new SourceText(file.text, file.path, file.origin);
  const parsed = parseSql(source, file.regions);
  const script: PreparedScript = { file, source, steps: parsed.statements.map(toStep) };
  const first = parsed.syntaxErrors[0];
  if (first) {
    script.syntaxError = {
      message: first.message,
      location: { path: file.path, line: first.position.line, column: first.position.column },
    };
  }
  return script;
}

/** True when the script has nothing to run (empty, comments only, or only skipped statements). */
export function isEmptyScript(script: PreparedScript): boolean {
  return !script.syntaxError && script.steps.every((s) => s.skipped);
}

function toStep(statement: Statement): Step {
  const step: Step = { sql: statement.text, statement };
  const node = statement.node;
  switch (statement.tag) {
    case "TransactionStmt":
      step.skipped = "transaction control: the verifier runs each migration in its own transaction";
      break;
    case "VacuumStmt":
      step.skipped = "VACUUM/ANALYZE changes nothing the catalog snapshot reads";
      break;
    case "IndexStmt":
      if (asNode(node, "IndexStmt")?.concurrent) blankConcurrently(step);
      break;
    case "DropStmt":
      if (asNode(node, "DropStmt")?.concurrent) blankConcurrently(step);
      break;
    case "ReindexStmt":
      if (hasOption(asNode(node, "ReindexStmt")?.params, "concurrently")) blankConcurrently(step);
      break;
    default:
      break;
  }
  return step;
}

function hasOption(params: Node[] | undefined, name: string): boolean {
  return (params ?? []).some((p) => asNode(p, "DefElem")?.defname === name);
}

/**
 * Replaces the CONCURRENTLY keyword by spaces of the same length, so PostgreSQL's error positions still
 * point at the right character of the file. The keyword is the first word-bounded occurrence: in these
 * statements only `CREATE [UNIQUE] INDEX`, `DROP INDEX` or `REINDEX (…)` can stand before it.
 */
function blankConcurrently(step: Step): void {
  const at = step.sql.search(/\bconcurrently\b/i);
  if (at < 0) return;
  step.sql = `${step.sql.slice(0, at)}${" ".repeat("concurrently".length)}${step.sql.slice(at + "concurrently".length)}`;
  step.rewritten = "ran without CONCURRENTLY (same catalog result; it cannot run inside the verifier's transaction)";
}

/** SQLSTATE 2D000: a DO block or procedure tried to COMMIT inside the transaction the verifier holds. */
const INVALID_TRANSACTION_TERMINATION = "2D000";

export interface RunOptions {
  /** Called after each step that ran successfully. */
  after?: (step: Step) => Promise<void>;
}

/** Runs the steps in order; stops at and returns the first failure. */
export async function runScript(engine: Engine, script: PreparedScript, options: RunOptions = {}): Promise<ScriptFailure | undefined> {
  if (script.syntaxError) {
    return {
      error: { message: `syntax error: ${script.syntaxError.message}`, code: "42601" },
      location: script.syntaxError.location,
      statement: "",
    };
  }
  for (const step of script.steps) {
    if (step.skipped) continue;
    try {
      await engine.exec(step.sql);
    } catch (error) {
      const sql = toSqlError(error);
      if (!sql) throw error;
      if (sql.code === INVALID_TRANSACTION_TERMINATION && !sql.hint) {
        sql.hint = "COMMIT/ROLLBACK inside a DO block or procedure cannot run inside the verifier's per-migration transaction";
      }
      return { error: sql, location: locate(script, step, sql.position), statement: excerpt(step.statement.text) };
    }
    await options.after?.(step);
  }
  return undefined;
}

/** File location of a 1-based character position inside a step (or of the step's start). */
function locate(script: PreparedScript, step: Step, position: number | undefined): Location {
  const start = step.statement.range.start;
  if (!position) return { path: script.file.path, line: start.line, column: start.column };
  const startIndex = script.source.indexAt(start.offset);
  const at = script.source.positionAtIndex(script.source.indexAfterCodePoints(startIndex, position - 1));
  return { path: script.file.path, line: at.line, column: at.column };
}

function excerpt(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Extension names the scripts CREATE (DO-block bodies included), for `PgliteEngine.create`. */
export function extensionsIn(scripts: Iterable<PreparedScript>): Set<string> {
  const names = new Set<string>();
  for (const script of scripts) {
    for (const step of script.steps) {
      for (const stmt of [step.statement, ...(step.statement.body ?? [])]) {
        for (const ext of findAll(stmt.node, "CreateExtensionStmt")) if (ext.extname) names.add(ext.extname);
      }
    }
  }
  return names;
}

/** The notes a script's rewrites and skips leave, one per distinct reason, for the report. */
export function scriptNotes(script: PreparedScript): string[] {
  const notes = new Set<string>();
  for (const step of script.steps) {
    const note = step.skipped ?? step.rewritten;
    if (!note) continue;
    const where = `${script.file.path}:${step.statement.range.start.line}`;
    notes.add(step.skipped ? `${where}: skipped ${step.statement.tag} (${note})` : `${where}: ${note}`);
  }
  return [...notes];
}

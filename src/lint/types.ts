/**
 * The finding model and the rule contract. A rule is one file in `rules/` exporting
 * `defineRule({ meta, check })`; `check` gets a context for one migration and reports findings by
 * message id, so tests assert ids and data while the prose can improve.
 */
import type { Range } from "../parse/source.js";

export type Severity = "error" | "warning" | "info";
export type SeverityOrOff = Severity | "off";

export interface Finding {
  ruleId: string;
  severity: Severity;
  /** The file the finding is in (an up, a down, a journal, the lock file). */
  path: string;
  range: Range;
  messageId: string;
  /** What is wrong, with the message's data filled in. */
  message: string;
  /** What to do instead. */
  help?: string;
  data?: Record<string, string | number>;
  /** A machine-applicable fix: replace [start, end) (UTF-16 indexes into the file) with `text`. */
  fix?: Fix;
  /** The migration the finding belongs to (its id within the set). */
  migrationId?: string;
}

export interface Fix {
  path: string;
  edits: { start: number; end: number; text: string }[];
}

export type RuleCategory = "correctness" | "transactions" | "idempotency" | "reversibility" | "locking" | "style" | "history";

export interface RuleMeta<M extends string = string> {
  id: string;
  description: string;
  category: RuleCategory;
  defaultSeverity: SeverityOrOff;
  fixable: boolean;
  /** Message templates by id: `"Add NOT VALID to {{name}}"`. */
  messages: Record<M, string>;
  /** The safe recipe, one line per message id or one for all. */
  help: Partial<Record<M, string>> | string;
  docs: {
    /** Why the rule matters, a paragraph of Markdown. */
    rationale: string;
    /** SQL that must raise the rule (the test suite runs it). */
    bad: string;
    /** SQL that must not raise it. */
    good: string;
    /**
     * How the examples run when they are tested and shown: whether the runner wraps the migration in a
     * transaction (default: it does), the target PostgreSQL major version (default: the config's), and
     * an earlier, applied migration the examples build on.
     */
    runner?: { transactional?: boolean; pgVersion?: number; history?: string };
    /**
     * The examples describe a project's files rather than one migration's SQL (a lock, a journal, a
     * stray file): they are tested by the project fixtures `fixtures/projects/<id>-bad` and `-good`.
     */
    project?: boolean;
    /** Hand-written down files paired with `bad` and `good`, for the rules that check downs. */
    downs?: { bad?: string; good?: string };
    /** Peer tools' ids this rule covers: `{ squawk: ["require-concurrent-index-creation"], atlas: ["PG101"] }`. */
    peers?: Partial<Record<"squawk" | "atlas" | "strong_migrations" | "eugene" | "pgfence", string[]>>;
  };
}

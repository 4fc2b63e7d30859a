/**
 * What formatters receive: the files that were linted, their findings, and the metas of the rules
 * that ran. Light on purpose: no ASTs or catalogs, so a formatter cannot depend on pipeline internals.
 */
import type { Reversibility } from "../invert/types.js";
import type { LayoutId } from "../layout/types.js";
import type { Finding, RuleMeta } from "../lint/types.js";

export interface ReportedFile {
  path: string;
  /** The migration the file belongs to; absent for a stray file (one the runner never applies). */
  migrationId?: string;
  /** The migration set's root folder and layout. */
  root: string;
  layout: LayoutId;
  role: "up" | "down" | "stray";
  /** The up's migration class from the down generator. */
  reversibility?: Reversibility;
  transactional?: boolean;
}

export interface ReportInput {
  files: ReportedFile[];
  findings: Finding[];
  rules: RuleMeta[];
  toolVersion: string;
  /** Findings `--quiet` left out (warnings and infos), so the summary does not claim there were none. */
  hidden?: number;
  /** For stylish: colours on or off. */
  color: boolean;
}

export type Formatter = (input: ReportInput) => string;

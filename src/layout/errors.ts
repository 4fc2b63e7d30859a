/**
 * Input problems found while discovering migrations: a path that does not exist, a file that cannot be
 * read, a malformed `meta/_journal.json` or `sqitch.plan`. They are `InputError`s, so the CLI prints
 * one line naming the path and exits with code 2.
 */
import { InputError } from "../errors.js";
import type { Position } from "../parse/source.js";

/** `empty`: a folder the user named yields no migration (nothing the layouts look for). */
export type LayoutErrorCode = "missing" | "unreadable" | "malformed" | "empty";

export class LayoutInputError extends InputError {
  readonly code: LayoutErrorCode;

  constructor(code: LayoutErrorCode, message: string, path: string, cause?: unknown, position?: Position) {
    super(message, { path, cause, ...(position ? { position } : {}) });
    this.name = "LayoutInputError";
    this.code = code;
  }
}

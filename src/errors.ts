/**
 * Errors a user can cause: a missing path, a bad config, an unreadable file. The CLI prints the
 * message (with file:line:col when known) and exits with code 2; nothing else reaches the user.
 */
import type { Position } from "./parse/source.js";

export class InputError extends Error {
  readonly path?: string;
  readonly position?: Position;

  constructor(message: string, options: { path?: string; position?: Position; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "InputError";
    this.path = options.path;
    this.position = options.position;
  }

  /** `path:line:col: message`, as compilers print it. */
  format(): string {
    if (!this.path) return this.message;
    const at = this.position ? `:${this.position.line}:${this.position.column}` : "";
    return `${this.path}${at}: ${this.message}`;
  }
}

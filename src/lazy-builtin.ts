/**
 * A Node built-in module loaded on its first use instead of at start-up. A pre-commit run is mostly
 * start-up (issue 14), and a few built-ins cost milliseconds to load that most runs never use:
 * `child_process` (with `net`, `dgram` and the streams it pulls in) only for `--since`, `zlib` only for
 * a journal's CRC-32, `worker_threads` only when analysis workers start. `require` of a built-in is
 * synchronous, so callers stay synchronous.
 */
import { createRequire } from "node:module";

const load = createRequire(import.meta.url);

/** `() => the module`, loading `id` (a `node:` specifier) the first time it is called. */
export function lazyBuiltin<T>(id: `node:${string}`): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= load(id) as T);
}

/**
 * libpg-query, loaded on first use. Importing it instantiates its WASM parser straight away, which
 * `--help`, `--version` and the commands that parse nothing should not pay for; `loadParser()` imports
 * and initialises it once, and every parse function runs after that has resolved.
 */
import type * as LibPgQuery from "libpg-query";

type PgQuery = typeof LibPgQuery;

let module: PgQuery | undefined;
let loaded: Promise<void> | undefined;

export function loadParser(): Promise<void> {
  loaded ??= import("libpg-query").then(async (m) => {
    await m.loadModule();
    module = m;
  });
  return loaded;
}

/** The loaded module; a parse before `loadParser()` resolved is a bug, said plainly. */
export function pgQuery(): PgQuery {
  if (!module) throw new Error("the SQL parser is not loaded yet: await loadParser() first");
  return module;
}

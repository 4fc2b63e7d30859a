/**
 * A migration set built from SQL strings instead of files: for the public API (`lintSql`,
 * `generateDownSql`), the golden fixtures and the rule tests. Layout-free: each entry is one migration.
 */
import type { Migration, MigrationSet } from "../layout/types.js";

export interface SqlMigrationInput {
  /** Used as id, version and file name (`<name>.sql`). */
  name: string;
  up: string;
  down?: string;
  /** Does the runner wrap it in a transaction? Default true. */
  transactional?: boolean;
  /** History only: replayed, not linted. */
  prelude?: boolean;
}

export function migrationSetFromSql(inputs: readonly SqlMigrationInput[], root = "<memory>"): MigrationSet {
  const migrations: Migration[] = inputs.map((m) => {
    const upPath = `${root}/${m.name}.sql`;
    const downPath = `${root}/${m.name}.down.sql`;
    const transactional = m.transactional ?? true;
    return {
      id: m.name,
      version: m.name,
      name: m.name,
      up: { path: upPath, text: m.up },
      ...(m.down !== undefined ? { down: { path: downPath, text: m.down } } : {}),
      expectsDown: m.down !== undefined,
      downTarget: { kind: "file", path: downPath },
      transactional,
      transactionReason: transactional ? "the runner wraps each migration in a transaction" : "the runner does not wrap migrations",
      ...(m.prelude ? { prelude: true } : {}),
    };
  });
  return { layout: "plain", root, migrations, stray: [] };
}

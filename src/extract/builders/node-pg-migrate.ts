/**
 * node-pg-migrate's MigrationBuilder: `pgm.createTable(…)`, `pgm.addColumns(…)`, … as the steps
 * node-pg-migrate 9 collects and sends, one query each (checked against the real library's
 * `getSqlSteps()` in test/extract/builders/node-pg-migrate.test.ts). `pgm.sql` is a sink of the
 * extractor and `pgm.noTransaction()` a flag; both are left to it.
 *
 * The SQL is written with node-pg-migrate's defaults: a project that sets `decamelize` or custom
 * `typeShorthands` in its runner configuration gets other identifiers or types than shown here. A
 * module's own `exports.shorthands` is seen (its column-bearing calls are then dynamic); shorthands an
 * earlier module declared (the runner carries them over) are not.
 *
 * Other runners have methods of the same names (TypeORM's `queryRunner.dropTable`), so unless the
 * layout is node-pg-migrate a call is only taken for node-pg-migrate's when the runner is named `pgm`
 * (node-pg-migrate's own templates) or the module names node-pg-migrate / its MigrationBuilder type.
 */
import type { BuilderContext, BuilderMapper } from "./builder.js";
import { OPERATIONS } from "./pgm-operations.js";
import { readValue } from "./pgm-values.js";
import { flattenChain, NotStatic } from "./static-value.js";

const LEFT_TO_EXTRACTOR = new Set(["sql", "noTransaction", "func", "db"]);
const MENTIONS_PGM = /\bMigrationBuilder\b|["']node-pg-migrate["']/;
/** `exports.shorthands = {…}`: types of this module's (and later modules') columns may be its own names. */
const DECLARES_SHORTHANDS = /\b(?:module\.)?exports\.shorthands\b|\bexport\s+(?:const|let|var)\s+shorthands\b/;
const USES_SHORTHANDS = new Set(["createTable", "addColumns", "addColumn", "createType", "addType", "createSequence"]);

function isPgmModule(ctx: BuilderContext, root: string): boolean {
  return ctx.layout === "node-pg-migrate" || root === "pgm" || MENTIONS_PGM.test(ctx.text);
}

export const nodePgMigrateMapper: BuilderMapper = {
  library: "node-pg-migrate",
  compile(call, ctx) {
    const chain = flattenChain(call);
    if (!chain || !ctx.runner.has(chain.root) || chain.steps.length !== 1) return undefined;
    const [step] = chain.steps;
    if (!step?.args || LEFT_TO_EXTRACTOR.has(step.name) || !isPgmModule(ctx, chain.root)) return undefined;
    const operation = OPERATIONS[step.name];
    if (!operation) return { dynamic: `pgm.${step.name}() is not mapped` };
    if (USES_SHORTHANDS.has(step.name) && DECLARES_SHORTHANDS.test(ctx.text)) return { dynamic: "the module declares type shorthands, which node-pg-migrate applies to column types" };
    try {
      for (const a of step.args) if (a.type === "SpreadElement") return { dynamic: "arguments spread" };
      return { sql: operation(ctx, step.args.map((a) => readValue(ctx, a)), call) };
    } catch (e) {
      if (e instanceof NotStatic) return { dynamic: e.message };
      throw e;
    }
  },
};

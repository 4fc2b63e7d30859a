/**
 * Kysely's schema module: `await db.schema[.withSchema('s')].createTable('x').addColumn(…)….execute()`
 * as the statement Kysely 0.28's PostgreSQL compiler sends (its own `.compile().sql`, checked against
 * the real library in test/extract/builders/kysely.test.ts). A chain that does not end in `.execute()`
 * sends nothing where it stands (it is kept in a variable, passed on, or compiled only): that is
 * reported, not guessed at.
 */
import type { BuilderMapper } from "./builder.js";
import { STATEMENTS } from "./kysely-statements.js";
import { flattenChain, notStatic, NotStatic, stringArg } from "./static-value.js";

const MENTIONS_KYSELY = /["']kysely["']|\bKysely\b/;

export const kyselyMapper: BuilderMapper = {
  library: "kysely",
  compile(call, ctx) {
    const chain = flattenChain(call);
    if (!chain || !ctx.runner.has(chain.root)) return undefined;
    const [schemaStep, ...steps] = chain.steps;
    if (schemaStep?.name !== "schema" || schemaStep.args) return undefined;
    try {
      let schema: string | undefined;
      while (steps[0]?.name === "withSchema" && steps[0].args) {
        schema = stringArg(ctx, steps[0].args[0], "schema name", steps[0].node);
        steps.shift();
      }
      const last = steps[steps.length - 1];
      const executed = last?.name === "execute" && last.args !== undefined;
      // knex's `knex.schema.renameTable('a', 'b')` has the same shape and no .execute(): unless the layout
      // says Kysely, only a chain that is executed, or one in a module that names Kysely, is Kysely's —
      // decided before anything is claimed.
      if (ctx.layout !== "kysely" && !executed && !MENTIONS_KYSELY.test(ctx.text)) return undefined;
      const head = steps.shift();
      if (!head?.args) return { dynamic: "a Kysely schema builder with no statement" };
      const statement = STATEMENTS[head.name];
      if (!statement) return { dynamic: `Kysely's db.schema.${head.name}() is not mapped` };
      if (!executed) return { dynamic: "a Kysely schema builder not executed here (no .execute()): it sends nothing where it stands" };
      if (last?.args?.length) notStatic(ctx, last.node, "execute() with arguments");
      const rest = steps.slice(0, -1);
      for (const s of rest) if (!s.args) notStatic(ctx, s.node, `.${s.name} is read, not called`);
      return { sql: [statement(ctx, head, rest, schema)] };
    } catch (e) {
      if (e instanceof NotStatic) return { dynamic: e.message };
      throw e;
    }
  },
};

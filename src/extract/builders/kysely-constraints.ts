/**
 * Kysely's table constraints (`addPrimaryKeyConstraint`, `addUniqueConstraint`, `addCheckConstraint`,
 * `addForeignKeyConstraint`), shared by createTable and alterTable (where alterTable's foreign key
 * takes `.onDelete()`… on the chain instead of in a callback).
 */
import type { BuilderContext } from "./builder.js";
import { action, ident, sqlExpr, table } from "./kysely-sql.js";
import { callbackSteps, notStatic, stringArg, stringList, type Step } from "./static-value.js";

export interface ConstraintOptions {
  nullsNotDistinct?: boolean;
  deferrable?: boolean;
  initiallyDeferred?: boolean;
  onDelete?: string;
  onUpdate?: string;
}

/** One modifier of a constraint (from its callback or, for alterTable's foreign key, the chain); false when not one. */
export function constraintOption(ctx: BuilderContext, opts: ConstraintOptions, s: Step, allowed: readonly string[]): boolean {
  if (!allowed.includes(s.name)) return false;
  switch (s.name) {
    case "nullsNotDistinct":
      opts.nullsNotDistinct = true;
      return true;
    case "deferrable":
    case "notDeferrable":
      opts.deferrable = s.name === "deferrable";
      return true;
    case "initiallyDeferred":
    case "initiallyImmediate":
      opts.initiallyDeferred = s.name === "initiallyDeferred";
      return true;
    case "onDelete":
    case "onUpdate":
      opts[s.name] = action(ctx, s.args![0], s.node);
      return true;
    default:
      return false;
  }
}

const DEFERRABLE = ["deferrable", "notDeferrable", "initiallyDeferred", "initiallyImmediate"];
export const ALLOWED: Record<string, readonly string[]> = {
  addPrimaryKeyConstraint: DEFERRABLE,
  addUniqueConstraint: ["nullsNotDistinct", ...DEFERRABLE],
  addCheckConstraint: [],
  addForeignKeyConstraint: ["onDelete", "onUpdate", ...DEFERRABLE],
};

function deferrable(o: ConstraintOptions): string {
  let s = "";
  if (o.deferrable !== undefined) s += o.deferrable ? " deferrable" : " not deferrable";
  if (o.initiallyDeferred !== undefined) s += o.initiallyDeferred ? " initially deferred" : " initially immediate";
  return s;
}

/** The constraint's SQL (`constraint "n" unique ("a")`); `callbackIndex` is where its build callback sits. */
export function tableConstraint(ctx: BuilderContext, step: Step, schema: string | undefined, chained: Step[] = []): string {
  const args = step.args!;
  const name = ident(stringArg(ctx, args[0], "constraint name", step.node));
  const opts: ConstraintOptions = {};
  const callbackIndex = { addPrimaryKeyConstraint: 2, addUniqueConstraint: 2, addCheckConstraint: 2, addForeignKeyConstraint: 4 }[step.name]!;
  const allowed = ALLOWED[step.name]!;
  const build = args[callbackIndex];
  for (const s of [...(build ? callbackSteps(ctx, build, step.name) : []), ...chained]) {
    if (!constraintOption(ctx, opts, s, allowed)) notStatic(ctx, s.node, `${step.name} .${s.name}() is not mapped`);
  }
  const cols = (i: number) => stringList(ctx, args[i], "columns", step.node).map(ident).join(", ");
  switch (step.name) {
    case "addPrimaryKeyConstraint":
      return `constraint ${name} primary key (${cols(1)})${deferrable(opts)}`;
    case "addUniqueConstraint":
      return `constraint ${name} unique${opts.nullsNotDistinct ? " nulls not distinct" : ""} (${cols(1)})${deferrable(opts)}`;
    case "addCheckConstraint":
      return `constraint ${name} check (${sqlExpr(ctx, args[1], "check", step.node)})`;
    default: {
      const target = table(stringArg(ctx, args[2], "referenced table", step.node), schema);
      return `constraint ${name} foreign key (${cols(1)}) references ${target} (${cols(3)})${opts.onDelete ? ` on delete ${opts.onDelete}` : ""}${opts.onUpdate ? ` on update ${opts.onUpdate}` : ""}${deferrable(opts)}`;
    }
  }
}

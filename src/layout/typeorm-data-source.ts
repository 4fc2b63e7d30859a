/**
 * TypeORM's `migrationsTransactionMode` ('all' | 'each' | 'none'), read statically from the project's
 * data source: the options object of a `new DataSource({…})` (or the object an `ormconfig` file exports)
 * in a data-source / ormconfig file in the migrations folder or a folder above it, up to the project's
 * package.json. The file is parsed with oxc-parser, as src/extract parses migrations: nothing runs, so
 * only a string literal counts (a mode computed at run time is not known and the caller falls back).
 */
import { parseSync, visitorKeys } from "oxc-parser";
import { joinPath } from "./paths.js";
import type { DirListing, LayoutFs } from "./types.js";

export type TypeormTransactionMode = "all" | "each" | "none";

const MODES: readonly string[] = ["all", "each", "none"];
const NAMES = ["data-source", "dataSource", "datasource", "ormconfig", "typeorm.config", "typeorm-config", "typeorm"];
const EXTENSIONS = [".ts", ".js", ".mts", ".mjs", ".cts", ".cjs"];
/** The migrations folder sits a few levels under the project (`src/db/migrations`). */
const MAX_LEVELS = 4;

export interface DataSourceMode {
  mode: TypeormTransactionMode;
  /** The file it was read from, as the user sees it. */
  file: string;
}

type Node = { type: string; [key: string]: unknown };

const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && typeof (v as Node).type === "string";

function children(node: Node): Node[] {
  const out: Node[] = [];
  for (const key of visitorKeys[node.type] ?? []) {
    const value = node[key];
    if (Array.isArray(value)) out.push(...value.filter(isNode));
    else if (isNode(value)) out.push(value);
  }
  return out;
}

function keyName(property: Node): string | undefined {
  const key = property["key"] as Node | undefined;
  if (!key || property["computed"]) return undefined;
  if (key.type === "Identifier") return key["name"] as string;
  if (key.type === "Literal" && typeof key["value"] === "string") return key["value"];
  return undefined;
}

/** `migrationsTransactionMode: "each"` in an object literal, when its value is a known mode. */
function modeIn(object: Node): TypeormTransactionMode | undefined {
  for (const property of (object["properties"] as Node[] | undefined) ?? []) {
    if (property.type !== "Property" || keyName(property) !== "migrationsTransactionMode") continue;
    let value = property["value"] as Node;
    // `"each" as const`, `("each" satisfies Mode)`: the literal inside.
    while (["TSAsExpression", "TSSatisfiesExpression", "TSTypeAssertion", "ParenthesizedExpression"].includes(value.type)) value = value["expression"] as Node;
    const text = value.type === "Literal" ? value["value"] : value.type === "TemplateLiteral" && !(value["expressions"] as unknown[]).length ? ((value["quasis"] as Node[])[0]?.["value"] as { cooked?: string })?.cooked : undefined;
    return typeof text === "string" && MODES.includes(text) ? (text as TypeormTransactionMode) : undefined;
  }
  return undefined;
}

/** The options objects of the module: `new DataSource({…})`, and (ormconfig) any exported object literal. */
function optionObjects(program: Node, ormconfig: boolean): Node[] {
  const found: Node[] = [];
  const visit = (node: Node) => {
    if (node.type === "NewExpression") {
      const callee = node["callee"] as Node;
      const first = (node["arguments"] as Node[])[0];
      if (callee.type === "Identifier" && callee["name"] === "DataSource" && first?.type === "ObjectExpression") found.push(first);
    }
    if (ormconfig && node.type === "ObjectExpression") found.push(node);
    for (const child of children(node)) visit(child);
  };
  visit(program);
  return found;
}

/** The mode a data-source or ormconfig text states, if it states one statically. */
export function transactionModeOf(file: string, text: string): TypeormTransactionMode | undefined {
  const ormconfig = /(^|\/)ormconfig\.[^/]+$/.test(file);
  if (file.endsWith(".json")) {
    try {
      const parsed = JSON.parse(text) as unknown;
      const configs = Array.isArray(parsed) ? parsed : [parsed];
      const mode = configs.map((c) => (c as Record<string, unknown> | null)?.["migrationsTransactionMode"]).find((m) => typeof m === "string");
      return typeof mode === "string" && MODES.includes(mode) ? (mode as TypeormTransactionMode) : undefined;
    } catch {
      return undefined; // a broken ormconfig.json is TypeORM's to report
    }
  }
  const lang = /\.[cm]?ts$/.test(file) ? "ts" : "js";
  const { program, errors } = parseSync(file, text, { lang, sourceType: "module" });
  if (errors.length && !program.body.length) return undefined;
  for (const object of optionObjects(program as unknown as Node, ormconfig)) {
    const mode = modeIn(object);
    if (mode) return mode;
  }
  return undefined;
}

/** The nearest data-source / ormconfig file that states the mode, from the migrations folder up to the project. */
export async function dataSourceMode(dir: DirListing, fs: LayoutFs): Promise<DataSourceMode | undefined> {
  let folder = dir.root;
  for (let level = 0; level <= MAX_LEVELS; level++) {
    for (const candidate of [...NAMES.flatMap((n) => EXTENSIONS.map((e) => `${n}${e}`)), "ormconfig.json"]) {
      const file = joinPath(folder, candidate);
      if (!(await fs.exists(file))) continue;
      const mode = transactionModeOf(file, await fs.readText(file));
      if (mode) return { mode, file };
    }
    // The project's package.json ends the search: a data source above it belongs to another project.
    if (await fs.exists(joinPath(folder, "package.json"))) return undefined;
    folder = joinPath(folder, "..");
  }
  return undefined;
}

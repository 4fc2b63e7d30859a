/**
 * Parsing a TypeScript / JavaScript migration module without running it: oxc-parser (chosen by
 * measurement, see docs/performance.md) gives an ESTree AST whose `start`/`end` are UTF-16 indexes
 * into the file, the unit the rest of the tool counts columns in.
 *
 * The AST is walked generically through oxc's `visitorKeys`; the few node kinds the extractor reads
 * are described by the small interfaces below, so a misread field is a type error.
 */
import { parseSync, visitorKeys } from "oxc-parser";

export interface JsNode {
  type: string;
  start: number;
  end: number;
  [key: string]: unknown;
}

export interface ModuleSyntaxError {
  message: string;
  /** UTF-16 index into the file. */
  index: number;
}

export interface ParsedModule {
  text: string;
  program: JsNode;
  errors: ModuleSyntaxError[];
}

export function parseModule(path: string, text: string): ParsedModule {
  const lang = /\.[cm]?js$/i.test(path) ? "js" : "ts";
  const result = parseSync(path, text, { lang, sourceType: "module", preserveParens: false });
  const errors = result.errors
    .filter((e) => e.severity === "Error")
    .map((e) => ({ message: e.message, index: e.labels[0]?.start ?? 0 }));
  return { text, program: result.program as unknown as JsNode, errors };
}

export function isNode(value: unknown): value is JsNode {
  return typeof value === "object" && value !== null && typeof (value as JsNode).type === "string";
}

/** The child nodes of `node`, in source order. */
export function children(node: JsNode): JsNode[] {
  const out: JsNode[] = [];
  for (const key of visitorKeys[node.type] ?? []) {
    const value = node[key];
    if (Array.isArray(value)) {
      for (const v of value) if (isNode(v)) out.push(v);
    } else if (isNode(value)) out.push(value);
  }
  return out;
}

export function child(node: JsNode, key: string): JsNode | undefined {
  const value = node[key];
  return isNode(value) ? value : undefined;
}

export function childList(node: JsNode, key: string): JsNode[] {
  const value = node[key];
  return Array.isArray(value) ? value.filter(isNode) : [];
}

/** `Identifier` name, or the string value of a string-literal key. */
export function nameOf(node: JsNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.type === "Identifier" || node.type === "PrivateIdentifier") return node.name as string;
  if (node.type === "Literal" && typeof node.value === "string") return node.value;
  return undefined;
}

/** Type-only wrappers around an expression (`x as string`, `x!`, `x satisfies T`). */
export function unwrap(node: JsNode): JsNode {
  let n = node;
  while (["TSAsExpression", "TSNonNullExpression", "TSSatisfiesExpression", "TSTypeAssertion", "ParenthesizedExpression", "AwaitExpression"].includes(n.type)) {
    const inner = child(n, n.type === "AwaitExpression" ? "argument" : "expression");
    if (!inner) break;
    n = inner;
  }
  return n;
}

export function isFunction(node: JsNode): boolean {
  return node.type === "FunctionExpression" || node.type === "ArrowFunctionExpression" || node.type === "FunctionDeclaration";
}

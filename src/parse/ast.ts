/**
 * Typed access to libpg-query's AST (`@pgsql/types`), and the one generic walk over it.
 *
 * A node is a single-key object such as `{ CreateStmt: {...} }`. `NodeTag` is the union of those
 * keys and `NodeOf<"CreateStmt">` the payload type, so callers never cast.
 */
import type { Node } from "@pgsql/types";

type KeysOfUnion<T> = T extends unknown ? keyof T : never;
export type NodeTag = KeysOfUnion<Node>;
export type NodeOf<K extends NodeTag> = Extract<Node, Record<K, unknown>> extends Record<K, infer V> ? V : never;

export function nodeTag(node: Node): NodeTag {
  for (const key in node) return key as NodeTag;
  throw new Error("empty AST node");
}

/** The payload of `node` when it is of kind `tag`, else undefined. */
export function asNode<K extends NodeTag>(node: Node | undefined | null, tag: K): NodeOf<K> | undefined {
  if (!node || typeof node !== "object") return undefined;
  return (node as Record<string, unknown>)[tag] as NodeOf<K> | undefined;
}

export function isNode<K extends NodeTag>(node: Node | undefined | null, tag: K): boolean {
  return !!node && typeof node === "object" && tag in node;
}

/** `String` nodes' values from a name list (`["public", "users"]` from `names: [{String:…}, …]`). */
export function stringValues(nodes: Node[] | undefined): string[] {
  if (!nodes) return [];
  const out: string[] = [];
  for (const n of nodes) {
    const s = asNode(n, "String");
    if (s?.sval !== undefined) out.push(s.sval);
  }
  return out;
}

export type Visitor = (tag: string, value: Record<string, unknown>, path: readonly string[]) => void | false;

/**
 * Depth-first walk over every AST node under `root` (the root itself included). Returning `false`
 * from the visitor skips that node's children. `path` lists the tags of the ancestors.
 */
export function walk(root: unknown, visit: Visitor): void {
  const path: string[] = [];
  const step = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) step(item);
      return;
    }
    if (!value || typeof value !== "object") return;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    // A node wrapper has exactly one key whose name starts with an upper-case letter.
    if (keys.length === 1 && /^[A-Z]/.test(keys[0]!)) {
      const tag = keys[0]!;
      const payload = obj[tag];
      if (payload && typeof payload === "object" && !Array.isArray(payload)) {
        if (visit(tag, payload as Record<string, unknown>, path) === false) return;
        path.push(tag);
        for (const k in payload) step((payload as Record<string, unknown>)[k]);
        path.pop();
        return;
      }
    }
    for (const k of keys) step(obj[k]);
  };
  step(root);
}

/** Every node of one kind under `root`. */
export function findAll<K extends NodeTag>(root: unknown, tag: K): NodeOf<K>[] {
  const out: NodeOf<K>[] = [];
  walk(root, (t, v) => {
    if (t === tag) out.push(v as NodeOf<K>);
  });
  return out;
}

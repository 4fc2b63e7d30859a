/**
 * A persistent (immutable) hash map with string keys: a hash array mapped trie.
 *
 * Why not `new Map(old)` per change: the catalog is replayed statement by statement and every
 * intermediate catalog stays alive (the rules and the down planner read the catalog before each
 * statement). Copying a map of N tables per ALTER would make the replay quadratic; here `set` and
 * `delete` copy one path of at most 7 nodes and share the rest. Two versions of a map share their
 * untouched sub-tries, so `diffMaps` skips them by identity and costs O(changes), not O(size).
 *
 * The trie shape depends only on the key set, never on the insertion order, so iteration order is
 * deterministic (hash order); callers that render SQL sort what they emit.
 */

const BITS = 5;
const MASK = (1 << BITS) - 1;
/** Below this depth the 32-bit hash is exhausted; colliding keys share a bucket. */
const MAX_DEPTH = 7;

interface Leaf<V> {
  kind: 0;
  hash: number;
  key: string;
  value: V;
}
interface Branch<V> {
  kind: 1;
  bitmap: number;
  children: readonly TrieNode<V>[];
}
interface Bucket<V> {
  kind: 2;
  hash: number;
  leaves: readonly Leaf<V>[];
}
type TrieNode<V> = Leaf<V> | Branch<V> | Bucket<V>;

function hashString(s: string): number {
  // FNV-1a, 32 bit.
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}

const fragment = (hash: number, depth: number): number => (hash >>> (depth * BITS)) & MASK;

function lookup<V>(node: TrieNode<V> | undefined, hash: number, key: string): Leaf<V> | undefined {
  let depth = 0;
  while (node) {
    if (node.kind === 0) return node.key === key ? node : undefined;
    if (node.kind === 2) return node.hash === hash ? node.leaves.find((l) => l.key === key) : undefined;
    const bit = 1 << fragment(hash, depth);
    if (!(node.bitmap & bit)) return undefined;
    node = node.children[popcount(node.bitmap & (bit - 1))];
    depth++;
  }
  return undefined;
}

function merge<V>(a: Leaf<V>, b: Leaf<V>, depth: number): TrieNode<V> {
  if (depth >= MAX_DEPTH) return { kind: 2, hash: a.hash, leaves: [a, b] };
  const fa = fragment(a.hash, depth);
  const fb = fragment(b.hash, depth);
  if (fa === fb) return { kind: 1, bitmap: 1 << fa, children: [merge(a, b, depth + 1)] };
  return { kind: 1, bitmap: (1 << fa) | (1 << fb), children: fa < fb ? [a, b] : [b, a] };
}

/** Returns the new node and whether a key was added (for the size). */
function insert<V>(node: TrieNode<V> | undefined, leaf: Leaf<V>, depth: number): [TrieNode<V>, boolean] {
  if (!node) return [leaf, true];
  if (node.kind === 0) {
    if (node.key === leaf.key) return [leaf, false];
    return [merge(node, leaf, depth), true];
  }
  if (node.kind === 2) {
    const i = node.leaves.findIndex((l) => l.key === leaf.key);
    const leaves = node.leaves.slice();
    if (i >= 0) leaves[i] = leaf;
    else leaves.push(leaf);
    return [{ kind: 2, hash: node.hash, leaves }, i < 0];
  }
  const bit = 1 << fragment(leaf.hash, depth);
  const at = popcount(node.bitmap & (bit - 1));
  const children = node.children.slice();
  if (node.bitmap & bit) {
    const [child, added] = insert(children[at], leaf, depth + 1);
    children[at] = child;
    return [{ kind: 1, bitmap: node.bitmap, children }, added];
  }
  children.splice(at, 0, leaf);
  return [{ kind: 1, bitmap: node.bitmap | bit, children }, true];
}

/** Returns the new node (undefined when empty) or the same node when the key was absent. */
function remove<V>(node: TrieNode<V>, hash: number, key: string, depth: number): TrieNode<V> | undefined {
  if (node.kind === 0) return node.key === key ? undefined : node;
  if (node.kind === 2) {
    const leaves = node.leaves.filter((l) => l.key !== key);
    if (leaves.length === node.leaves.length) return node;
    return leaves.length === 1 ? leaves[0] : { kind: 2, hash: node.hash, leaves };
  }
  const bit = 1 << fragment(hash, depth);
  if (!(node.bitmap & bit)) return node;
  const at = popcount(node.bitmap & (bit - 1));
  const child = node.children[at]!;
  const next = remove(child, hash, key, depth + 1);
  if (next === child) return node;
  const children = node.children.slice();
  if (next) children[at] = next;
  else children.splice(at, 1);
  const bitmap = next ? node.bitmap : node.bitmap & ~bit;
  if (children.length === 0) return undefined;
  // A branch holding a single leaf collapses into it, so the shape stays canonical.
  if (children.length === 1 && children[0]!.kind === 0) return children[0];
  return { kind: 1, bitmap, children };
}

/**
 * The leaves in trie order, collected by plain recursion: a recursive generator passes every leaf up
 * through one generator frame per level, which made whole-map scans (name checks, indexes of a table)
 * 5-10× slower than the scan itself.
 */
function leaves<V>(node: TrieNode<V> | undefined, out: Leaf<V>[] = []): Leaf<V>[] {
  if (!node) return out;
  if (node.kind === 0) out.push(node);
  else if (node.kind === 2) for (const l of node.leaves) out.push(l);
  else for (const c of node.children) leaves(c, out);
  return out;
}

export class PMap<V> implements ReadonlyMap<string, V> {
  private static readonly EMPTY = new PMap<never>(undefined, 0);

  private constructor(
    private readonly root: TrieNode<V> | undefined,
    readonly size: number,
  ) {}

  static empty<V>(): PMap<V> {
    return PMap.EMPTY as PMap<V>;
  }

  static from<V>(entries: Iterable<readonly [string, V]>): PMap<V> {
    let m = PMap.empty<V>();
    for (const [k, v] of entries) m = m.set(k, v);
    return m;
  }

  get(key: string): V | undefined {
    return lookup(this.root, hashString(key), key)?.value;
  }

  has(key: string): boolean {
    return lookup(this.root, hashString(key), key) !== undefined;
  }

  set(key: string, value: V): PMap<V> {
    const hash = hashString(key);
    const old = lookup(this.root, hash, key);
    if (old && old.value === value) return this;
    const [root, added] = insert(this.root, { kind: 0, hash, key, value }, 0);
    return new PMap(root, this.size + (added ? 1 : 0));
  }

  delete(key: string): PMap<V> {
    if (!this.root) return this;
    const root = remove(this.root, hashString(key), key, 0);
    return root === this.root ? this : new PMap(root, this.size - 1);
  }

  *entries(): MapIterator<[string, V]> {
    for (const l of leaves(this.root)) yield [l.key, l.value];
  }

  *keys(): MapIterator<string> {
    for (const l of leaves(this.root)) yield l.key;
  }

  *values(): MapIterator<V> {
    for (const l of leaves(this.root)) yield l.value;
  }

  [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  forEach(fn: (value: V, key: string, map: ReadonlyMap<string, V>) => void): void {
    for (const l of leaves(this.root)) fn(l.value, l.key, this);
  }

  /** @internal for diffMaps */
  static rootOf<V>(m: PMap<V>): TrieNode<V> | undefined {
    return m.root;
  }
}

/** A read-only map that may be persistent; plain Maps are accepted where callers build one by hand. */
export type AnyMap<V> = ReadonlyMap<string, V>;

/** Converts any ReadonlyMap to a PMap (no copy when it already is one). */
export function toPMap<V>(m: AnyMap<V>): PMap<V> {
  return m instanceof PMap ? m : PMap.from(m);
}

export type Change<V> = { key: string; before: V | undefined; after: V | undefined };

/**
 * The changes between two sub-tries at the same position, pushed to `out` in no particular order.
 * Shared sub-tries are skipped; below a branch on one side only, a key can only sit in the other
 * side's sub-trie at this position (its hash decides where), so each side's leaves are matched here.
 */
function diffNodes<V>(a: TrieNode<V> | undefined, b: TrieNode<V> | undefined, out: Change<V>[]): void {
  if (a === b) return;
  if (a?.kind === 1 && b?.kind === 1) {
    for (let bits = a.bitmap | b.bitmap; bits !== 0; bits &= bits - 1) {
      const bit = bits & -bits;
      const ca = a.bitmap & bit ? a.children[popcount(a.bitmap & (bit - 1))] : undefined;
      const cb = b.bitmap & bit ? b.children[popcount(b.bitmap & (bit - 1))] : undefined;
      diffNodes(ca, cb, out);
    }
    return;
  }
  // Two single leaves, the usual case (one entry replaced): no lists to build.
  if (a?.kind === 0 && b?.kind === 0 && a.key === b.key) {
    if (a.value !== b.value) out.push({ key: a.key, before: a.value, after: b.value });
    return;
  }
  const as = leaves(a);
  const bs = leaves(b);
  for (const x of as) {
    const y = bs.find((l) => l.key === x.key);
    if (!y) out.push({ key: x.key, before: x.value, after: undefined });
    else if (y.value !== x.value) out.push({ key: x.key, before: x.value, after: y.value });
  }
  for (const y of bs) if (!as.some((l) => l.key === y.key)) out.push({ key: y.key, before: undefined, after: y.value });
}

/**
 * The keys whose values differ (by identity) between two maps. Sub-tries shared by both are skipped,
 * so comparing two versions of the catalog costs the size of the change.
 */
export function diffMaps<V>(before: AnyMap<V>, after: AnyMap<V>): Change<V>[] {
  const out: Change<V>[] = [];
  if (before instanceof PMap && after instanceof PMap) {
    diffNodes(PMap.rootOf(before), PMap.rootOf(after), out);
  } else {
    for (const [k, v] of before) if (after.get(k) !== v) out.push({ key: k, before: v, after: after.get(k) });
    for (const [k, v] of after) if (!before.has(k)) out.push({ key: k, before: undefined, after: v });
  }
  return out.sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
}

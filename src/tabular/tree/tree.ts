import { type Artifact, requireTensor, tensor } from '../../core/artifact.js';
import type { Tensor } from '../../core/safetensors.js';

/**
 * Binary decision trees in flat typed arrays (one entry per node; children by index), shared by CART, random forests
 * and gradient boosting. A split sends a row left when `x[feature] <= threshold`, and a missing value (NaN) to the
 * side `defaultLeft` says. Leaves have `feature = -1` and `nOut` values (class probabilities or a boosting weight).
 */
export interface Tree {
  nNodes: number;
  nOut: number;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  defaultLeft: Uint8Array;
  /** nNodes x nOut values (every node has one; leaves' are used for prediction). */
  value: Float64Array;
  /** Split gain (loss reduction) at internal nodes, 0 at leaves. */
  gain: Float64Array;
  /** Sum of hessians (boosting) or of sample weights (CART) reaching the node: TreeSHAP's cover. */
  cover: Float64Array;
}

/** Growable tree storage: nodes are appended; capacity doubles. */
export class TreeBuilder {
  n = 0;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  right: Int32Array;
  defaultLeft: Uint8Array;
  value: Float64Array;
  gain: Float64Array;
  cover: Float64Array;

  constructor(readonly nOut: number, capacity = 64) {
    this.feature = new Int32Array(capacity);
    this.threshold = new Float64Array(capacity);
    this.left = new Int32Array(capacity);
    this.right = new Int32Array(capacity);
    this.defaultLeft = new Uint8Array(capacity);
    this.value = new Float64Array(capacity * nOut);
    this.gain = new Float64Array(capacity);
    this.cover = new Float64Array(capacity);
  }

  /** Appends a leaf (value zeros, set afterwards) and returns its index. */
  addLeaf(cover: number): number {
    if (this.n === this.feature.length) this.grow();
    const i = this.n++;
    this.feature[i] = -1;
    this.left[i] = -1;
    this.right[i] = -1;
    this.cover[i] = cover;
    return i;
  }

  /** Turns leaf `i` into a split with two new leaf children; returns the left child's index (right is +1). */
  split(i: number, feature: number, threshold: number, defaultLeft: boolean, gain: number, coverLeft: number, coverRight: number): number {
    const l = this.addLeaf(coverLeft);
    const r = this.addLeaf(coverRight);
    this.feature[i] = feature;
    this.threshold[i] = threshold;
    this.defaultLeft[i] = defaultLeft ? 1 : 0;
    this.gain[i] = gain;
    this.left[i] = l;
    this.right[i] = r;
    return l;
  }

  private grow(): void {
    const c = this.feature.length * 2;
    const k = this.nOut;
    const g = <T extends Int32Array | Float64Array | Uint8Array>(a: T, size: number, Ctor: new (n: number) => T): T => {
      const b = new Ctor(size);
      b.set(a);
      return b;
    };
    this.feature = g(this.feature, c, Int32Array);
    this.threshold = g(this.threshold, c, Float64Array);
    this.left = g(this.left, c, Int32Array);
    this.right = g(this.right, c, Int32Array);
    this.defaultLeft = g(this.defaultLeft, c, Uint8Array);
    this.value = g(this.value, c * k, Float64Array);
    this.gain = g(this.gain, c, Float64Array);
    this.cover = g(this.cover, c, Float64Array);
  }

  /** The finished tree, trimmed to size. */
  finish(): Tree {
    const n = this.n;
    return {
      nNodes: n,
      nOut: this.nOut,
      feature: this.feature.slice(0, n),
      threshold: this.threshold.slice(0, n),
      left: this.left.slice(0, n),
      right: this.right.slice(0, n),
      defaultLeft: this.defaultLeft.slice(0, n),
      value: this.value.slice(0, n * this.nOut),
      gain: this.gain.slice(0, n),
      cover: this.cover.slice(0, n),
    };
  }
}

/** Index of the leaf row `row` of a row-major matrix `x` (d columns) reaches. */
export function leafIndex(t: Tree, x: Float64Array | Float32Array, row: number, d: number): number {
  let node = 0;
  const base = row * d;
  const feature = t.feature;
  while (feature[node] >= 0) {
    const v = x[base + feature[node]];
    node = v !== v ? (t.defaultLeft[node] === 1 ? t.left[node] : t.right[node]) : v <= t.threshold[node] ? t.left[node] : t.right[node];
  }
  return node;
}

/**
 * A tree laid out for branch-free batch descent: a leaf points to itself with threshold +Infinity, so every row can
 * take the same number of steps (the tree's depth) whatever leaf it reaches; `right` must be `left + 1`.
 */
export interface DescentLayout {
  depth: number;
  feature: Int32Array;
  threshold: Float64Array;
  left: Int32Array;
  /** 1 when a missing value goes right (not defaultLeft), 0 at leaves. */
  nanRight: Int32Array;
}

const layouts = new WeakMap<Tree, DescentLayout | null>();

/** Deepest tree descended branch-free; deeper ones use the walk (measured: 2x slower on fully grown forest trees). */
const MAX_DESCENT_DEPTH = 16;

/**
 * The descent layout of `t`, or null when some node's right child is not left + 1 or the tree is deeper than
 * MAX_DESCENT_DEPTH (then {@link leafIndex} is used).
 */
export function descentLayout(t: Tree): DescentLayout | null {
  let l = layouts.get(t);
  if (l !== undefined) return l;
  const n = t.nNodes;
  const feature = new Int32Array(n);
  const threshold = new Float64Array(n);
  const left = new Int32Array(n);
  const nanRight = new Int32Array(n);
  const depthOf = new Int32Array(n);
  let depth = 0;
  let ok = true;
  for (let i = 0; i < n && ok; i++) {
    if (t.feature[i] < 0) {
      left[i] = i;
      threshold[i] = Infinity;
      continue;
    }
    const a = t.left[i];
    if (t.right[i] !== a + 1 || a <= i || a + 1 >= n) ok = false;
    else {
      feature[i] = t.feature[i];
      threshold[i] = t.threshold[i];
      left[i] = a;
      nanRight[i] = t.defaultLeft[i] === 1 ? 0 : 1;
      depthOf[a] = depthOf[a + 1] = depthOf[i] + 1;
      if (depthOf[i] + 1 > depth) depth = depthOf[i] + 1;
    }
  }
  // Deep trees (fully grown forest trees) would make every row take the deepest leaf's steps: walk them instead.
  l = ok && depth <= MAX_DESCENT_DEPTH ? { depth, feature, threshold, left, nanRight } : null;
  layouts.set(t, l);
  return l;
}

/**
 * The leaf of every row r0..r1-1 of `x` (d columns) in `t`, into out[r - r0]: all rows descend together, `depth`
 * steps each, four rows at a time, the side chosen without a branch (a compare materialised as 0/1); the same
 * leaves as {@link leafIndex}.
 */
export function leafIndices(t: Tree, x: Float64Array | Float32Array, r0: number, r1: number, d: number, out: Int32Array): void {
  const L = descentLayout(t);
  if (L === null) {
    for (let r = r0; r < r1; r++) out[r - r0] = leafIndex(t, x, r, d);
    return;
  }
  const { depth, feature, threshold, left, nanRight } = L;
  let r = r0;
  for (; r + 4 <= r1; r += 4) {
    let a = 0;
    let b = 0;
    let c = 0;
    let e = 0;
    const ba = r * d;
    for (let s = 0; s < depth; s++) {
      const va = x[ba + feature[a]];
      const vb = x[ba + d + feature[b]];
      const vc = x[ba + 2 * d + feature[c]];
      const ve = x[ba + 3 * d + feature[e]];
      a = left[a] + (+(va > threshold[a]) | (+(va !== va) & nanRight[a]));
      b = left[b] + (+(vb > threshold[b]) | (+(vb !== vb) & nanRight[b]));
      c = left[c] + (+(vc > threshold[c]) | (+(vc !== vc) & nanRight[c]));
      e = left[e] + (+(ve > threshold[e]) | (+(ve !== ve) & nanRight[e]));
    }
    out[r - r0] = a;
    out[r - r0 + 1] = b;
    out[r - r0 + 2] = c;
    out[r - r0 + 3] = e;
  }
  for (; r < r1; r++) {
    let a = 0;
    const ba = r * d;
    for (let s = 0; s < depth; s++) {
      const va = x[ba + feature[a]];
      a = left[a] + (+(va > threshold[a]) | (+(va !== va) & nanRight[a]));
    }
    out[r - r0] = a;
  }
}

/** Rows per block of the batch predictors: a block's features stay in cache while every tree descends them. */
export const PREDICT_BLOCK = 256;

/** Concatenates trees into tensors (node arrays end to end, with node offsets) for an artifact. */
export function treesToTensors(trees: readonly Tree[], prefix = 'tree'): Record<string, Tensor> {
  let total = 0;
  for (const t of trees) total += t.nNodes;
  const nOut = trees.length > 0 ? trees[0].nOut : 1;
  const offsets = new Int32Array(trees.length + 1);
  const feature = new Int32Array(total);
  const threshold = new Float64Array(total);
  const left = new Int32Array(total);
  const right = new Int32Array(total);
  const defaultLeft = new Uint8Array(total);
  const value = new Float64Array(total * nOut);
  const gain = new Float64Array(total);
  const cover = new Float64Array(total);
  let o = 0;
  for (let i = 0; i < trees.length; i++) {
    const t = trees[i];
    offsets[i] = o;
    feature.set(t.feature, o);
    threshold.set(t.threshold, o);
    left.set(t.left, o);
    right.set(t.right, o);
    defaultLeft.set(t.defaultLeft, o);
    value.set(t.value, o * nOut);
    gain.set(t.gain, o);
    cover.set(t.cover, o);
    o += t.nNodes;
  }
  offsets[trees.length] = o;
  return {
    [`${prefix}.offsets`]: tensor(offsets),
    [`${prefix}.feature`]: tensor(feature),
    [`${prefix}.threshold`]: tensor(threshold),
    [`${prefix}.left`]: tensor(left),
    [`${prefix}.right`]: tensor(right),
    [`${prefix}.defaultLeft`]: tensor(defaultLeft),
    [`${prefix}.value`]: tensor(value, [total, nOut]),
    [`${prefix}.gain`]: tensor(gain),
    [`${prefix}.cover`]: tensor(cover),
  };
}

/** Inverse of {@link treesToTensors}. */
export function treesFromTensors(a: Artifact, prefix = 'tree'): Tree[] {
  const offsets = requireTensor(a, `${prefix}.offsets`, Int32Array);
  const feature = requireTensor(a, `${prefix}.feature`, Int32Array);
  const threshold = requireTensor(a, `${prefix}.threshold`, Float64Array);
  const left = requireTensor(a, `${prefix}.left`, Int32Array);
  const right = requireTensor(a, `${prefix}.right`, Int32Array);
  const defaultLeft = requireTensor(a, `${prefix}.defaultLeft`, Uint8Array);
  const value = requireTensor(a, `${prefix}.value`, Float64Array);
  const gain = requireTensor(a, `${prefix}.gain`, Float64Array);
  const cover = requireTensor(a, `${prefix}.cover`, Float64Array);
  const total = feature.length;
  const nOut = total > 0 ? value.length / total : 1;
  const trees: Tree[] = [];
  for (let i = 0; i + 1 < offsets.length; i++) {
    const s = offsets[i];
    const e = offsets[i + 1];
    trees.push({
      nNodes: e - s,
      nOut,
      feature: feature.slice(s, e),
      threshold: threshold.slice(s, e),
      left: left.slice(s, e),
      right: right.slice(s, e),
      defaultLeft: defaultLeft.slice(s, e),
      value: value.slice(s * nOut, e * nOut),
      gain: gain.slice(s, e),
      cover: cover.slice(s, e),
    });
  }
  return trees;
}

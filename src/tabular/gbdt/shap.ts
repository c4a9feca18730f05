import type { Matrix } from '../matrix.js';
import type { Tree } from '../tree/tree.js';

/**
 * Exact TreeSHAP (Lundberg, Erion & Lee 2018, "Consistent individualized feature attribution for tree ensembles",
 * alg. 2): polynomial-time Shapley values of a tree's output with the tree's covers as the background distribution.
 * O(leaves * depth^2) per row and tree. The path is kept in flat arrays, one copy per recursion level.
 */
class PathState {
  feat: Int32Array;
  zero: Float64Array;
  one: Float64Array;
  w: Float64Array;
  constructor(maxDepth: number) {
    const size = ((maxDepth + 2) * (maxDepth + 3)) / 2 + 8;
    this.feat = new Int32Array(size);
    this.zero = new Float64Array(size);
    this.one = new Float64Array(size);
    this.w = new Float64Array(size);
  }
}

function extend(s: PathState, off: number, len: number, pz: number, po: number, pi: number): void {
  s.feat[off + len] = pi;
  s.zero[off + len] = pz;
  s.one[off + len] = po;
  s.w[off + len] = len === 0 ? 1 : 0;
  for (let i = len - 1; i >= 0; i--) {
    s.w[off + i + 1] += (po * s.w[off + i] * (i + 1)) / (len + 1);
    s.w[off + i] = (pz * s.w[off + i] * (len - i)) / (len + 1);
  }
}

function unwind(s: PathState, off: number, len: number, i: number): void {
  // len = number of elements - 1 (index of the last element)
  const l = len;
  const o = s.one[off + i];
  const z = s.zero[off + i];
  let n = s.w[off + l];
  for (let j = l - 1; j >= 0; j--) {
    if (o !== 0) {
      const t = s.w[off + j];
      s.w[off + j] = (n * (l + 1)) / ((j + 1) * o);
      n = t - (s.w[off + j] * z * (l - j)) / (l + 1);
    } else {
      s.w[off + j] = (s.w[off + j] * (l + 1)) / (z * (l - j));
    }
  }
  for (let j = i; j < l; j++) {
    s.feat[off + j] = s.feat[off + j + 1];
    s.zero[off + j] = s.zero[off + j + 1];
    s.one[off + j] = s.one[off + j + 1];
  }
}

function unwoundSum(s: PathState, off: number, len: number, i: number): number {
  const l = len;
  const o = s.one[off + i];
  const z = s.zero[off + i];
  let n = s.w[off + l];
  let total = 0;
  if (o !== 0) {
    for (let j = l - 1; j >= 0; j--) {
      const t = (n * (l + 1)) / ((j + 1) * o);
      total += t;
      n = s.w[off + j] - (t * z * (l - j)) / (l + 1);
    }
  } else {
    for (let j = l - 1; j >= 0; j--) total += (s.w[off + j] * (l + 1)) / (z * (l - j));
  }
  return total;
}

function recurse(t: Tree, x: Float64Array | Float32Array, base: number, phi: Float64Array, phiOff: number, node: number, s: PathState, off: number, len: number, pz: number, po: number, pi: number, outIdx: number): void {
  // Copy the parent's path to this level, then extend.
  const newOff = off + len + 1;
  for (let i = 0; i < len; i++) {
    s.feat[newOff + i] = s.feat[off + i];
    s.zero[newOff + i] = s.zero[off + i];
    s.one[newOff + i] = s.one[off + i];
    s.w[newOff + i] = s.w[off + i];
  }
  extend(s, newOff, len, pz, po, pi);
  const l = len; // index of the last element now
  const f = t.feature[node];
  if (f < 0) {
    const v = t.value[node * t.nOut + outIdx];
    for (let i = 1; i <= l; i++) {
      const w = unwoundSum(s, newOff, l, i);
      phi[phiOff + s.feat[newOff + i]] += w * (s.one[newOff + i] - s.zero[newOff + i]) * v;
    }
    return;
  }
  const xv = x[base + f];
  const goLeft = xv !== xv ? t.defaultLeft[node] === 1 : xv <= t.threshold[node];
  const hot = goLeft ? t.left[node] : t.right[node];
  const cold = goLeft ? t.right[node] : t.left[node];
  let iz = 1;
  let io = 1;
  let len2 = l + 1;
  let k = 1;
  for (; k <= l; k++) if (s.feat[newOff + k] === f) break;
  if (k <= l) {
    iz = s.zero[newOff + k];
    io = s.one[newOff + k];
    unwind(s, newOff, l, k);
    len2 = l;
  }
  const rj = t.cover[node];
  recurse(t, x, base, phi, phiOff, hot, s, newOff, len2, (iz * t.cover[hot]) / rj, io, f, outIdx);
  recurse(t, x, base, phi, phiOff, cold, s, newOff, len2, (iz * t.cover[cold]) / rj, 0, f, outIdx);
}

function depthOf(t: Tree): number {
  let max = 0;
  const stack: number[] = [0, 0];
  while (stack.length > 0) {
    const dep = stack.pop() as number;
    const node = stack.pop() as number;
    if (dep > max) max = dep;
    if (t.feature[node] >= 0) stack.push(t.left[node], dep + 1, t.right[node], dep + 1);
  }
  return max;
}

/** Expected value of a tree's output `outIdx` under its covers. */
export function treeExpectation(t: Tree, outIdx = 0): number {
  let s = 0;
  for (let i = 0; i < t.nNodes; i++) if (t.feature[i] < 0) s += t.cover[i] * t.value[i * t.nOut + outIdx];
  return s / t.cover[0];
}

/**
 * SHAP contributions for an ensemble whose margin for output c is baseMargin[c] plus the sum of trees t with
 * t % nOut === c. Returns n x nOut x (d + 1); the last entry of each block is the expected margin (bias).
 */
export function treeShapContributions(trees: readonly Tree[], nOut: number, baseMargin: Float64Array, m: Matrix): Float64Array {
  const n = m.rows;
  const d = m.cols;
  const width = d + 1;
  const out = new Float64Array(n * nOut * width);
  let maxDepth = 0;
  for (const t of trees) maxDepth = Math.max(maxDepth, depthOf(t));
  const s = new PathState(maxDepth + 2);
  const bias = Float64Array.from(baseMargin);
  for (let t = 0; t < trees.length; t++) bias[t % nOut] += treeExpectation(trees[t]);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < trees.length; t++) {
      const tree = trees[t];
      const c = t % nOut;
      if (tree.feature[0] < 0) continue;
      recurse(tree, m.data, i * d, out, (i * nOut + c) * width, 0, s, 0, 0, 1, 1, -1, 0);
    }
    for (let c = 0; c < nOut; c++) out[(i * nOut + c) * width + d] = bias[c];
  }
  return out;
}

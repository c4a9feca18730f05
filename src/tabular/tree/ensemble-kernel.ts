import { PREDICT_BLOCK, type Tree, leafIndices } from './tree.js';
import { kernelsFor } from '../gbdt/wasm.js';

/**
 * Batch prediction of a tree ensemble over row blocks, shared by the calling thread and resident pool workers (see
 * ensemble-predict.ts). Every row adds its trees' values in tree order whichever thread handles its block, so the
 * result is the same bit for bit as predicting on one thread.
 */

/** Slots of the control block (Int32Array): next block to claim, blocks done, stop flag. */
export const PCTL = { next: 0, done: 1, exit: 2, size: 4 } as const;

/**
 * Trees packed end to end in shared buffers: a Tree's node arrays for all trees, tree t's nodes at
 * [nodeOff[t], nodeOff[t + 1]) (its values at nOut times that).
 */
export interface TreePack extends Pick<Tree, 'nOut' | 'feature' | 'threshold' | 'left' | 'right' | 'defaultLeft' | 'value'> {
  /** Process-unique number of this pack: a worker rebuilds its tree views once per pack. */
  id: number;
  nTrees: number;
  nodeOff: Int32Array;
}

export interface EnsembleArgs {
  /** The trees for the JavaScript descent (absent with `wasm`). */
  pack?: TreePack;
  ctl: Int32Array;
  x: Float64Array | Float32Array;
  n: number;
  d: number;
  /** 'boost': out starts at `base` (one value per output) and tree t adds its value to output t % k; 'sum': out starts at 0 and every tree adds its nOut values. */
  mode: 'boost' | 'sum';
  k: number;
  base: Float64Array;
  out: Float64Array;
  blocks: number;
  /**
   * Boosting in WebAssembly (kernels.wat's boostRows): the memory holding the rows, the trees' descent layouts and
   * `out` (then in that memory), the compiled module, and the byte addresses [x, toff, tdep, feat, thr, left, nanr,
   * val, base] and tree count. Undefined: the JavaScript descent on `pack`.
   */
  wasm?: { memory: WebAssembly.Memory; module: WebAssembly.Module; at: Int32Array; nTrees: number };
}

/** The trees of a pack as Tree views on its buffers (no copies; gain and cover left empty: prediction does not read them). */
export function unpackTrees(p: TreePack): Tree[] {
  const trees: Tree[] = [];
  const empty = new Float64Array(0);
  for (let t = 0; t < p.nTrees; t++) {
    const o = p.nodeOff[t];
    const e = p.nodeOff[t + 1];
    trees.push({
      nNodes: e - o,
      nOut: p.nOut,
      feature: p.feature.subarray(o, e),
      threshold: p.threshold.subarray(o, e),
      left: p.left.subarray(o, e),
      right: p.right.subarray(o, e),
      defaultLeft: p.defaultLeft.subarray(o, e),
      value: p.value.subarray(o * p.nOut, e * p.nOut),
      gain: empty,
      cover: empty,
    });
  }
  return trees;
}

/** Rows [r0, r1) of block `b` of `blocks` over n rows (sizes differ by at most one). */
export function blockRows(n: number, b: number, blocks: number): [number, number] {
  return [Math.floor((b * n) / blocks), Math.floor(((b + 1) * n) / blocks)];
}

/**
 * Predictions of rows [r0, r1) into `out` (n x k). 'boost' (small trees): rows in sub-blocks of PREDICT_BLOCK whose
 * features stay in cache while every tree descends them. 'sum' (a forest's large trees): tree by tree over the
 * block's rows, so each tree is streamed once per block. Either way each row adds its trees' values in tree order.
 * `leaves` holds at least max(PREDICT_BLOCK, r1 - r0) entries.
 */
export function predictRows(trees: readonly Tree[], x: Float64Array | Float32Array, d: number, r0: number, r1: number, mode: 'boost' | 'sum', k: number, base: Float64Array, out: Float64Array, leaves: Int32Array): void {
  if (mode === 'boost') {
    for (let i = r0; i < r1; i++) for (let c = 0; c < k; c++) out[i * k + c] = base[c];
    for (let s0 = r0; s0 < r1; s0 += PREDICT_BLOCK) {
      const s1 = Math.min(r1, s0 + PREDICT_BLOCK);
      for (let t = 0; t < trees.length; t++) {
        const tree = trees[t];
        const c = t % k;
        const v = tree.value;
        leafIndices(tree, x, s0, s1, d, leaves);
        for (let i = s0; i < s1; i++) out[i * k + c] += v[leaves[i - s0]];
      }
    }
    return;
  }
  for (let i = r0 * k; i < r1 * k; i++) out[i] = 0;
  for (let t = 0; t < trees.length; t++) {
    const tree = trees[t];
    const v = tree.value;
    leafIndices(tree, x, r0, r1, d, leaves);
    for (let i = r0; i < r1; i++) {
      const leaf = leaves[i - r0];
      for (let c = 0; c < k; c++) out[i * k + c] += v[leaf * k + c];
    }
  }
}

/** Claims and predicts blocks until none is left (on any thread); returns how many this thread did. */
export function predictBlocks(a: EnsembleArgs, trees: readonly Tree[]): number {
  const leaves = a.wasm === undefined ? new Int32Array(Math.max(PREDICT_BLOCK, Math.ceil(a.n / a.blocks) + 1)) : new Int32Array(0);
  const W = a.wasm;
  const K = W === undefined ? undefined : kernelsFor(W.memory, W.module);
  let did = 0;
  for (;;) {
    if (Atomics.load(a.ctl, PCTL.exit) === 1) break;
    const b = Atomics.add(a.ctl, PCTL.next, 1);
    if (b >= a.blocks) break;
    const [r0, r1] = blockRows(a.n, b, a.blocks);
    if (K !== undefined && W !== undefined) {
      const p = W.at;
      K.boostRows(p[0], a.d, r0, r1, W.nTrees, p[1], p[2], p[3], p[4], p[5], p[6], p[7], a.k, p[8], a.out.byteOffset);
    } else predictRows(trees, a.x, a.d, r0, r1, a.mode, a.k, a.base, a.out, leaves);
    did++;
    Atomics.add(a.ctl, PCTL.done, 1);
    Atomics.notify(a.ctl, PCTL.done);
  }
  return did;
}

let lastId = -1;
let lastTrees: Tree[] = [];
let forget: ReturnType<typeof setTimeout> | undefined;
/** A worker keeps the last ensemble's tree views (and their descent layouts) this long after its last call. */
const KEEP_MS = 2000;

/**
 * Pool kernel: a worker joins the prediction. Its tree views are kept for the next call on the same pack (a forest's
 * descent layouts take a pass over every node to build), and dropped after KEEP_MS without a call, so that a worker
 * does not hold an ensemble the program has let go.
 */
export function servePredict(a: EnsembleArgs): number {
  const pack = a.pack;
  if (a.wasm !== undefined || pack === undefined) return predictBlocks(a, []);
  if (pack.id !== lastId) {
    lastTrees = unpackTrees(pack);
    lastId = pack.id;
  }
  const did = predictBlocks(a, lastTrees);
  if (forget !== undefined) clearTimeout(forget);
  forget = setTimeout(() => {
    lastTrees = [];
    lastId = -1;
    forget = undefined;
  }, KEEP_MS);
  forget.unref();
  return did;
}

import { WorkerError } from '../../core/errors.js';
import { getSharedPool, kernelModuleUrl, toShared } from '../../core/pool.js';
import { type EnsembleArgs, PCTL, type TreePack, predictBlocks, predictRows, unpackTrees } from './ensemble-kernel.js';
import { type DescentLayout, PREDICT_BLOCK, type Tree, descentLayout } from './tree.js';
import { wasmArrays } from '../gbdt/wasm.js';

const KERNEL = kernelModuleUrl(import.meta.url, './ensemble-kernel.js');

/**
 * Below this many row-tree descents a prediction stays on the calling thread: a worker's wake-up and the copy of the
 * rows into shared memory cost more than they save (3000 rows x 100 boosted trees took 6.4 ms shared with a worker
 * against 4.8 ms on one thread; 20k rows 0.017-0.021 s against 0.030 s: `bench/tabular-predict.mjs`).
 */
const MIN_PARALLEL_DESCENTS = 1_000_000;
/**
 * Row blocks per thread for boosting's small trees (enough for the threads to even out). A forest's large trees are
 * streamed from memory once per block (each block descends tree by tree), so a forest gets one block per thread: 8
 * blocks on one thread took 1.45x the time of one pass over all rows.
 */
const BOOST_BLOCKS_PER_THREAD = 4;
/**
 * Below this many row-tree descents boosting descends in JavaScript: a WebAssembly memory and instance per call cost
 * ~0.25 ms (a one-row prediction took 256 us that way against 9 us in JavaScript).
 */
const MIN_WASM_DESCENTS = 50_000;
/** A block claimed by a worker and not done after this long means the worker is gone. */
const WAIT_MS = 120_000;

const packs = new WeakMap<readonly Tree[], TreePack>();
let nextPackId = 1;

/**
 * The trees in shared buffers (once per ensemble), for the workers to read without a copy. The trees' own node arrays
 * are then pointed at their part of the shared buffers (same values), so the ensemble is not held in memory twice.
 */
export function packTrees(trees: readonly Tree[]): TreePack {
  let p = packs.get(trees);
  // (An ensemble that grew since it was packed is packed again.)
  if (p !== undefined && p.nTrees === trees.length) return p;
  const nTrees = trees.length;
  const nOut = trees[0].nOut;
  const nodeOff = new Int32Array(new SharedArrayBuffer(4 * (nTrees + 1)));
  for (let t = 0; t < nTrees; t++) nodeOff[t + 1] = nodeOff[t] + trees[t].nNodes;
  const total = nodeOff[nTrees];
  const i32 = (): Int32Array => new Int32Array(new SharedArrayBuffer(4 * Math.max(1, total)));
  const f64 = (len: number): Float64Array => new Float64Array(new SharedArrayBuffer(8 * Math.max(1, len)));
  p = { id: nextPackId++, nTrees, nOut, nodeOff, feature: i32(), threshold: f64(total), left: i32(), right: i32(), defaultLeft: new Uint8Array(new SharedArrayBuffer(Math.max(1, total))), value: f64(total * nOut) };
  for (let t = 0; t < nTrees; t++) {
    const tr = trees[t];
    const o = nodeOff[t];
    const n = tr.nNodes;
    p.feature.set(tr.feature.subarray(0, n), o);
    p.threshold.set(tr.threshold.subarray(0, n), o);
    p.left.set(tr.left.subarray(0, n), o);
    p.right.set(tr.right.subarray(0, n), o);
    p.defaultLeft.set(tr.defaultLeft.subarray(0, n), o);
    p.value.set(tr.value.subarray(0, n * nOut), o * nOut);
  }
  const views = unpackTrees(p);
  for (let t = 0; t < nTrees; t++) {
    const tr = trees[t] as Tree;
    const v = views[t];
    tr.feature = v.feature;
    tr.threshold = v.threshold;
    tr.left = v.left;
    tr.right = v.right;
    tr.defaultLeft = v.defaultLeft;
    tr.value = v.value;
  }
  packs.set(trees, p);
  return p;
}

/** Worker threads besides this one for `threads` (0 = the shared pool's size, 1 = none). */
function helpers(threads: number): number {
  if (threads === 1) return 0;
  const size = getSharedPool().size;
  return Math.max(0, Math.min(threads === 0 ? size : threads, size) - 1);
}

/**
 * Workers to share a prediction with: those of `threads` that are free now with the kernel loaded. Rows split for a
 * worker that cannot start at once would be done by this thread in several blocks, and a forest's blocks each stream
 * every tree (a 3000-row forest prediction took 1.4x longer that way). When none is ready, the workers are asked to
 * load the kernel for the next call.
 */
function readyHelpers(threads: number): number {
  const want = helpers(threads);
  if (want === 0) return 0;
  const pool = getSharedPool();
  const ready = Math.min(want, pool.readyWorkers(KERNEL));
  if (ready === 0) pool.preload(KERNEL, want);
  return ready;
}

/**
 * Has the pool's workers load the prediction kernel now (after a fit with `threads`), so that the first prediction
 * does not wait for the import.
 */
export function preloadEnsemblePredict(threads: number): void {
  const w = helpers(threads);
  if (w > 0) getSharedPool().preload(KERNEL, w);
}

/**
 * Predictions of every row of x (n x d) by `trees`, n x k: 'boost' starts from `base` and tree t adds its value to
 * output t % k (gradient boosting's margins); 'sum' adds every tree's k values (a forest, averaged by the caller).
 * Boosting descends in WebAssembly where it runs (kernels.wat's boostRows: compiled before the first call, so a
 * process's first prediction does not run the descent unoptimised), else in JavaScript. With `threads` other than 1
 * and enough work, row blocks are shared with resident pool workers: this thread claims blocks too and waits for the
 * ones the workers took, so the call stays synchronous, and a worker that is busy or still starting only loses its
 * share. Each row adds its trees in order on whichever thread and in either language: the same values bit for bit.
 */
export function predictEnsemble(trees: readonly Tree[], x: Float64Array | Float32Array, n: number, d: number, mode: 'boost' | 'sum', k: number, base: Float64Array, threads: number): Float64Array {
  const w = n * trees.length >= MIN_PARALLEL_DESCENTS && trees.length > 0 ? readyHelpers(threads) : 0;
  const wasm = mode === 'boost' && trees.length > 0 && n * trees.length >= MIN_WASM_DESCENTS ? boostMemory(trees, x, n, d, k, base) : undefined;
  if (w === 0 && wasm === undefined) {
    const out = new Float64Array(n * k);
    predictRows(trees, x, d, 0, n, mode, k, base, out, new Int32Array(Math.max(PREDICT_BLOCK, n)));
    return out;
  }
  const blocks = w === 0 ? 1 : Math.min(n, mode === 'boost' ? BOOST_BLOCKS_PER_THREAD * (w + 1) : w + 1);
  const a: EnsembleArgs = {
    ctl: new Int32Array(new SharedArrayBuffer(4 * PCTL.size)),
    n,
    d,
    mode,
    k,
    base,
    blocks,
    ...(wasm === undefined
      ? { pack: packTrees(trees), x: toShared(x), out: new Float64Array(new SharedArrayBuffer(8 * Math.max(1, n * k))) }
      : { x: wasm.x, out: wasm.out, wasm: wasm.args }),
  };
  const ctl = a.ctl;
  // A worker that fails before claiming a block (its import, a closed pool) leaves its share to this thread; one that
  // dies holding a block ends the wait below with an error.
  if (w > 0)
    getSharedPool()
      .run<EnsembleArgs, number>({ module: KERNEL, fn: 'servePredict', args: a, total: w, chunks: w, offload: true })
      .catch(() => undefined);
  predictBlocks(a, trees);
  for (;;) {
    const done = Atomics.load(ctl, PCTL.done);
    if (done >= blocks) break;
    if (Atomics.wait(ctl, PCTL.done, done, WAIT_MS) === 'timed-out' && Atomics.load(ctl, PCTL.done) === done) {
      Atomics.store(ctl, PCTL.exit, 1);
      throw new WorkerError(`tree ensemble prediction: a worker did not finish its rows within ${WAIT_MS / 1000} s`);
    }
  }
  // Late workers see every block claimed (or this flag) and return at once.
  Atomics.store(ctl, PCTL.exit, 1);
  return a.out.slice();
}

/**
 * One WebAssembly memory holding the rows, boosting's trees in descent layout (node arrays end to end, children as
 * global node indices) and the output, for kernels.wat's boostRows. Undefined when the kernels cannot run here, the
 * arrays do not fit the memory, or a tree has no descent layout (too deep, or children not side by side).
 */
export function boostMemory(trees: readonly Tree[], x: Float64Array | Float32Array, n: number, d: number, k: number, base: Float64Array): { x: Float64Array; out: Float64Array; args: NonNullable<EnsembleArgs['wasm']> } | undefined {
  const L: DescentLayout[] = [];
  let nodes = 0;
  for (const t of trees) {
    const l = descentLayout(t);
    if (l === null || t.nOut !== 1) return undefined;
    L.push(l);
    nodes += t.nNodes;
  }
  const T = trees.length;
  const w = wasmArrays({
    x: { kind: 'f64', len: n * d },
    out: { kind: 'f64', len: n * k },
    base: { kind: 'f64', len: k },
    feat: { kind: 'i32', len: nodes },
    thr: { kind: 'f64', len: nodes },
    left: { kind: 'i32', len: nodes },
    nanr: { kind: 'i32', len: nodes },
    val: { kind: 'f64', len: nodes },
    toff: { kind: 'i32', len: T },
    tdep: { kind: 'i32', len: T },
  });
  if (w === undefined) return undefined;
  const a = w.arrays;
  a.x.set(x.subarray(0, n * d));
  a.base.set(base);
  let o = 0;
  for (let t = 0; t < T; t++) {
    const l = L[t];
    const nn = trees[t].nNodes;
    a.toff[t] = o;
    a.tdep[t] = l.depth;
    a.feat.set(l.feature, o);
    a.thr.set(l.threshold, o);
    a.nanr.set(l.nanRight, o);
    a.val.set(trees[t].value.subarray(0, nn), o);
    for (let i = 0; i < nn; i++) a.left[o + i] = l.left[i] + o;
    o += nn;
  }
  const at = Int32Array.of(a.x.byteOffset, a.toff.byteOffset, a.tdep.byteOffset, a.feat.byteOffset, a.thr.byteOffset, a.left.byteOffset, a.nanr.byteOffset, a.val.byteOffset, a.base.byteOffset);
  return { x: a.x, out: a.out, args: { memory: w.memory, module: w.module, at, nTrees: T } };
}

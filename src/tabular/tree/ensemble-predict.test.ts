import { describe, expect, it } from 'vitest';
import { getSharedPool, kernelModuleUrl, toShared } from '../../core/pool.js';
import { GBDTClassifier } from '../gbdt/gbdt.js';
import { syntheticTabular } from '../testing.js';
import { type EnsembleArgs, PCTL, predictRows, unpackTrees } from './ensemble-kernel.js';
import { boostMemory, packTrees, predictEnsemble } from './ensemble-predict.js';
import { RandomForestClassifier } from './models.js';
import { loadTabularModel } from '../registry.js';
import type { Tree } from './tree.js';

const KERNEL = kernelModuleUrl(import.meta.url, './ensemble-kernel.js');

// Three classes (a forest's leaves hold 3 values; boosting grows 3 trees a round) and 5% missing values (the
// default directions).
const { X, y } = syntheticTabular('multiclass', 3000, 8, 17, 0.05);

function serial(trees: readonly Tree[], mode: 'boost' | 'sum', k: number, base: Float64Array): Float64Array {
  const out = new Float64Array(X.rows * k);
  predictRows(trees, X.data, X.cols, 0, X.rows, mode, k, base, out, new Int32Array(X.rows));
  return out;
}

describe('tree ensemble prediction on row blocks', () => {
  it('gives the same predictions with worker threads as on one thread (forest and boosting, bit for bit)', async () => {
    // Predicting 15000 rows (the training rows five times) with 80 trees, and with 30 rounds x 3 classes: above the
    // size where rows are shared with a worker.
    const big = { data: new Float64Array(5 * X.data.length), rows: 5 * X.rows, cols: X.cols };
    for (let r = 0; r < 5; r++) big.data.set(X.data, r * X.data.length);
    const f2 = await new RandomForestClassifier({ nEstimators: 80, threads: 2, seed: 4 }).fit(X, y);
    const f1 = await new RandomForestClassifier({ nEstimators: 80, threads: 1, seed: 4 }).fit(X, y);
    expect(f2.predictProba(big)).toEqual(f1.predictProba(big));
    const g2 = await new GBDTClassifier({ nEstimators: 30, maxDepth: 4, threads: 2, seed: 4 }).fit(X, y);
    const g1 = await new GBDTClassifier({ nEstimators: 30, maxDepth: 4, threads: 1, seed: 4 }).fit(X, y);
    expect(g2.predictProba(big)).toEqual(g1.predictProba(big));
    // Again after the event loop ran (the worker is free and has the kernel loaded): the same values.
    await new Promise((r) => setTimeout(r, 20));
    expect(f2.predictProba(big)).toEqual(f1.predictProba(big));
    expect(g2.predictProba(big)).toEqual(g1.predictProba(big));
    // The forest's node arrays now live in the shared buffers (held once), and the model still saves and loads.
    // (With a pool of one thread nothing is shared and the arrays stay where they were.)
    const trees = (f2 as unknown as { trees: Tree[] }).trees;
    if (getSharedPool().size > 1) {
      expect(trees[0].feature.buffer).toBeInstanceOf(SharedArrayBuffer);
      expect(trees[0].value.buffer).toBe(trees[1].value.buffer);
    }
    expect(loadTabularModel(f2.toArtifact()).predictProba(big)).toEqual(f1.predictProba(big));
  });

  it('a worker predicting every block from the shared pack gives what this thread gives from the trees', async () => {
    const forest = await new RandomForestClassifier({ nEstimators: 12, threads: 1, seed: 9 }).fit(X, y);
    const trees = (forest as unknown as { trees: Tree[] }).trees;
    const k = trees[0].nOut;
    expect(k).toBe(3);
    const want = serial(trees, 'sum', k, new Float64Array(0));
    // The views a worker rebuilds from the shared buffers describe the same trees.
    expect(serial(unpackTrees(packTrees(trees)), 'sum', k, new Float64Array(0))).toEqual(want);
    for (const blocks of [1, 5]) {
      const a: EnsembleArgs = {
        pack: packTrees(trees),
        ctl: new Int32Array(new SharedArrayBuffer(4 * PCTL.size)),
        x: toShared(X.data),
        n: X.rows,
        d: X.cols,
        mode: 'sum',
        k,
        base: new Float64Array(0),
        out: new Float64Array(new SharedArrayBuffer(8 * X.rows * k)),
        blocks,
      };
      // Nothing claimed here: the worker takes every block.
      const [did] = await getSharedPool().run<EnsembleArgs, number>({ module: KERNEL, fn: 'servePredict', args: a, total: 1, chunks: 1, offload: true });
      expect(did).toBe(blocks);
      expect(Atomics.load(a.ctl, PCTL.done)).toBe(blocks);
      expect(a.out).toEqual(want);
    }
  });

  it('boosting in WebAssembly gives the margins of the JavaScript descent bit for bit, on this thread and on a worker', async () => {
    const g = await new GBDTClassifier({ nEstimators: 20, maxDepth: 5, threads: 1, seed: 3 }).fit(X, y);
    const b = (g as unknown as { booster: { trees: Tree[]; nOut: number; baseMargin: number[] } }).booster;
    const k = b.nOut;
    expect(k).toBe(3);
    const base = Float64Array.from(b.baseMargin);
    const want = serial(b.trees, 'boost', k, base);
    // This thread (threads 1: no worker, one block in WebAssembly).
    expect(predictEnsemble(b.trees, X.data, X.rows, X.cols, 'boost', k, base, 1)).toEqual(want);
    // A worker taking every block of the WebAssembly memory.
    const wasm = boostMemory(b.trees, X.data, X.rows, X.cols, k, base);
    if (wasm === undefined) throw new Error('WebAssembly kernels unavailable');
    const a: EnsembleArgs = { ctl: new Int32Array(new SharedArrayBuffer(4 * PCTL.size)), x: wasm.x, out: wasm.out, wasm: wasm.args, n: X.rows, d: X.cols, mode: 'boost', k, base, blocks: 7 };
    const [did] = await getSharedPool().run<EnsembleArgs, number>({ module: KERNEL, fn: 'servePredict', args: a, total: 1, chunks: 1, offload: true });
    expect(did).toBe(7);
    expect(a.out).toEqual(want);
  });

  it('boosting: base margins, tree t on output t % k, small batches on this thread', () => {
    // Two one-leaf trees per round for k = 2: outputs get base + their trees' values in order.
    const leaf = (v: number): Tree => ({ nNodes: 1, nOut: 1, feature: Int32Array.of(-1), threshold: Float64Array.of(0), left: Int32Array.of(-1), right: Int32Array.of(-1), defaultLeft: Uint8Array.of(0), value: Float64Array.of(v), gain: new Float64Array(1), cover: new Float64Array(1) });
    const trees = [leaf(0.5), leaf(-1), leaf(0.25), leaf(2)];
    const out = predictEnsemble(trees, Float64Array.of(1, 2, 3), 3, 1, 'boost', 2, Float64Array.of(10, 20), 2);
    expect(Array.from(out)).toEqual([10.75, 21, 10.75, 21, 10.75, 21]);
  });
});

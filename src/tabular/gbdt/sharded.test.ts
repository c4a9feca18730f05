import { afterAll, describe, expect, it } from 'vitest';
import { WorkerPool } from '../../core/pool.js';
import { syntheticTabular } from '../testing.js';
import { applyBins, fitBins, transposeBins } from '../tree/binning.js';
import { GBDTClassifier } from './gbdt.js';
import type { BinnedData, GrowParams } from './grow.js';
import { quantLimits, quantSeed } from './quantize.js';
import { parallelHistograms } from './parallel.js';
import { ShardedBooster } from './sharded.js';

const pool = new WorkerPool({ size: 2 });
afterAll(() => pool.close());

describe('ShardedBooster (quantised trees on row shards)', () => {
  it('shares its tasks with a worker and grows the trees of one thread, bit for bit', async () => {
    const { X, y } = syntheticTabular('binary', 20000, 8, 31, 0.05);
    const n = X.rows;
    const d = X.cols;
    const mapper = fitBins(X, 255, 1);
    const B = applyBins(X, mapper);
    const nBins = Int32Array.from(mapper.cuts, (c) => c.length);
    const data: BinnedData = { B, Bc: transposeBins(B, n, d), n, d, nBins, cuts: mapper.cuts };
    const p: GrowParams = { maxDepth: 6, maxLeaves: 0, growPolicy: 'depthwise', learningRate: 0.1, lambda: 1, alpha: 0, gamma: 0, minChildWeight: 1 };
    const lim = quantLimits(n);
    if (lim === undefined) throw new Error('no quantisation limits');
    const objective = { name: 'binary' as const, y, yIndex: Int32Array.from(y), w: new Float64Array(n).fill(1) };
    const one = new ShardedBooster({ m: X, maxBins: 255, binSeed: 1, p, lim, nOut: 1, objective, threads: 1, pool: undefined });
    const two = new ShardedBooster({ m: X, maxBins: 255, binSeed: 1, p, lim, nOut: 1, objective, threads: 2, pool });
    // The engines bin on their threads exactly as fitBins + applyBins + transposeBins.
    for (const e of [one, two]) {
      expect(e.mapper.cuts).toEqual(mapper.cuts);
      expect(e.data.B).toEqual(data.B);
      expect(e.data.Bc).toEqual(data.Bc);
      expect(e.data.nBins).toEqual(nBins);
    }
    const feats = Int32Array.from({ length: d }, (_, f) => f);
    try {
      // The worker starts asynchronously (slowly on a busy machine): grow until it has taken part, for at most 30 s.
      const deadline = Date.now() + 30_000;
      for (let t = 0; t < 5 || (two.workerTasks === 0 && Date.now() < deadline); t++) {
        const a = one.tree(0, feats, d, n, true, quantSeed(7, t), true);
        const b = two.tree(0, feats, d, n, true, quantSeed(7, t), true);
        expect(b.tree).toEqual(a.tree);
        expect(b.binThreshold).toEqual(a.binThreshold);
        if (t === 0) expect(a.tree.nNodes).toBeGreaterThan(31);
      }
      expect(two.workerTasks).toBeGreaterThan(0);
      expect([...two.margin]).toEqual([...one.margin]);
    } finally {
      await one.release();
      // Settles when the serving worker has returned to the pool.
      await two.release();
    }
  });

  it('gives the same model on 1 and 2 threads past the shared slot arena, job and range batch sizes', async () => {
    // 300 leaves best-first: more live histograms than the 128 arena slots, more final ranges than one batch (256);
    // depth 9 depthwise: levels of more than 32 nodes (several level batches).
    const { X, y } = syntheticTabular('binary', 12000, 6, 32, 0.02);
    const cases = [
      { growPolicy: 'lossguide' as const, maxDepth: 0, maxLeaves: 300, minChildWeight: 0.01 },
      { maxDepth: 9, minChildWeight: 0.01 },
    ];
    for (const c of cases) {
      const make = (threads: number) => new GBDTClassifier({ ...c, nEstimators: 2, quantizedGradients: 'on', threads });
      const a = await make(1).fit(X, y);
      const b = await make(2).fit(X, y);
      const ta = a.toArtifact().tensors;
      expect(b.toArtifact().tensors).toEqual(ta);
      const feature = ta['tree.feature']?.data as Int32Array;
      const offsets = ta['tree.offsets']?.data as Int32Array;
      let leaves = 0;
      for (let i = 0; i < offsets[1]; i++) if (feature[i] < 0) leaves++;
      expect(leaves).toBeGreaterThan(c.growPolicy === 'lossguide' ? 256 : 64);
    }
  });

  it('bins on the worker pool (large inputs) exactly as on this thread', async () => {
    const { X } = syntheticTabular('regression', 9000, 7, 33, 0.03);
    const par = await parallelHistograms(2, X.rows, X.cols, pool);
    if (par === undefined) throw new Error('no parallel builder');
    const got = await par.bin(X, 255, 5);
    const mapper = fitBins(X, 255, 5);
    const B = applyBins(X, mapper);
    expect(got.mapper.cuts).toEqual(mapper.cuts);
    expect(got.B).toEqual(B);
    expect(got.Bc).toEqual(transposeBins(B, X.rows, X.cols));
  });
});

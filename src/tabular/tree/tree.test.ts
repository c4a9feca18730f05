import { growCart } from './cart.js';
import { describe, expect, it } from 'vitest';
import { fromRows } from '../matrix.js';
import { rmse, rocAuc } from '../metrics/index.js';
import { syntheticTabular } from '../testing.js';
import { DecisionTreeClassifier, DecisionTreeRegressor, RandomForestClassifier, RandomForestRegressor } from './models.js';
import { type Tree, TreeBuilder, leafIndex, leafIndices } from './tree.js';
import { Rng } from '../../core/rng.js';

describe('CART', () => {
  it('splits a hand-made set where expected', async () => {
    // x0 separates classes at 3.5 (between 3 and 4) perfectly; x1 is noise. Gini picks x0 <= 3.5 at the root.
    const X = fromRows([[1, 5], [2, 1], [3, 4], [4, 2], [5, 5], [6, 1]]);
    const y = [0, 0, 0, 1, 1, 1];
    const t = await new DecisionTreeClassifier().fit(X, y);
    const tree = t.estimators[0];
    expect(tree.nNodes).toBe(3);
    expect(tree.feature[0]).toBe(0);
    expect(tree.threshold[0]).toBe(3.5);
    expect([...t.predict(fromRows([[3.4, 0], [3.6, 0]]))]).toEqual([0, 1]);
  });

  it('entropy and depth limit; regression tree fits a step', async () => {
    const X = fromRows([[1], [2], [3], [4], [5], [6], [7], [8]]);
    const t = await new DecisionTreeClassifier({ criterion: 'entropy', maxDepth: 1 }).fit(X, [0, 0, 1, 1, 1, 1, 1, 1]);
    expect(t.estimators[0].threshold[0]).toBe(2.5);
    const r = await new DecisionTreeRegressor({ maxDepth: 1 }).fit(X, [1, 1, 1, 1, 9, 9, 9, 9]);
    expect([...r.predict(fromRows([[4], [5]]))]).toEqual([1, 9]);
  });

  it('missing values go right unless a split separates them', async () => {
    const X = fromRows([[NaN], [NaN], [1], [2], [3], [4]]);
    const t = await new DecisionTreeClassifier().fit(X, [1, 1, 0, 0, 0, 0]);
    expect([...t.predict(fromRows([[NaN], [2.5]]))]).toEqual([1, 0]);
  });
});

describe('RandomForest', () => {
  it('reports tree progress up to the total on one thread and on worker threads', async () => {
    const tr = syntheticTabular('binary', 600, 5, 1, 0.05);
    for (const threads of [1, 2]) {
      const events: { step: string; done: number; total?: number }[] = [];
      await new RandomForestClassifier({ nEstimators: 24, threads, seed: 1 }).fit(tr.X, tr.y, { onProgress: (e) => events.push(e) });
      const trees = events.filter((e) => e.step === 'trees');
      expect(trees.length).toBeGreaterThanOrEqual(threads === 1 ? 24 : 2);
      expect(trees.every((e, i) => e.total === 24 && (i === 0 || e.done > trees[i - 1]!.done))).toBe(true);
      expect(trees[trees.length - 1]!.done).toBe(24);
    }
  });

  it('classifies well, reports OOB accuracy, and threads do not change the model', async () => {
    const tr = syntheticTabular('binary', 3000, 8, 1, 0.05);
    const te = syntheticTabular('binary', 1000, 8, 2, 0.05);
    const a = await new RandomForestClassifier({ nEstimators: 30, oobScore: true, threads: 1, seed: 3 }).fit(tr.X, tr.y);
    const b = await new RandomForestClassifier({ nEstimators: 30, oobScore: true, threads: 2, seed: 3 }).fit(tr.X, tr.y);
    const pa = a.predictProba(te.X);
    expect([...b.predictProba(te.X)]).toEqual([...pa]);
    const s = new Float64Array(1000);
    for (let i = 0; i < 1000; i++) s[i] = pa[2 * i + 1];
    expect(rocAuc(te.y, s)).toBeGreaterThan(0.9);
    expect(a.oobScore).toBeGreaterThan(0.8);
    const imp = a.featureImportance();
    expect(imp[0]).toBeGreaterThan(imp[7]);
  });

  it('regresses', async () => {
    const tr = syntheticTabular('regression', 2000, 4, 3);
    const te = syntheticTabular('regression', 500, 4, 4);
    const m = await new RandomForestRegressor({ nEstimators: 20, threads: 1, oobScore: true }).fit(tr.X, tr.y);
    expect(rmse(te.y, m.predict(te.X))).toBeLessThan(0.6);
    expect(m.oobScore).toBeGreaterThan(0.8);
  });
});

describe('growCart with minSamplesLeaf > 1 on a large node (histogram path)', () => {
  it('keeps the rows of bins too small to split at on the left of later thresholds (gain checked by hand)', () => {
    // x = 0..199 (one bin each); y = 1 for x < 19, 0 for 19 <= x < 60, 1 for x >= 60; minSamplesLeaf 20.
    const n = 200;
    const B = Uint8Array.from({ length: n }, (_, i) => i);
    const yIndex = Int32Array.from({ length: n }, (_, i) => (i < 19 || i >= 60 ? 1 : 0));
    const cuts = [Float64Array.from({ length: n }, (_, i) => i + 0.5)];
    const tree = growCart(
      { B, n, d: 1, nBins: Int32Array.of(n), cuts, k: 2, yIndex, y: new Float64Array(0) },
      new Float64Array(n).fill(1),
      { criterion: 'gini', maxDepth: 1, minSamplesSplit: 2, minSamplesLeaf: 20, maxFeatures: 1, minImpurityDecrease: 0 },
      1,
    );
    // best: x <= 59 | x > 59: left 19 ones + 41 zeros, right 140 ones. Score sum c^2 / W per side minus the parent's:
    // (19^2 + 41^2) / 60 + 140^2 / 140 - (41^2 + 159^2) / 200 = 39.2233 (the earlier code dropped the first 19 rows
    // from the left sums and reported 65.19)
    expect(tree.threshold[0]).toBe(59.5);
    expect(tree.gain[0]).toBeCloseTo(2042 / 60 + 140 - (1681 + 25281) / 200, 9);
  });

  it('does not split off fewer rows than minSamplesLeaf even where that split is pure (bootstrap-count weights)', () => {
    // x = 0..199; y = 1 for x < 10 only. Unconstrained, x <= 9 is a pure split; with minSamplesLeaf 20 the best
    // allowed threshold is x <= 19 (score 10 + 180 against 10 + z^2 / (10 + z) + 190 - z for more zeros z).
    const n = 200;
    const B = Uint8Array.from({ length: n }, (_, i) => i);
    const yIndex = Int32Array.from({ length: n }, (_, i) => (i < 10 ? 1 : 0));
    const cuts = [Float64Array.from({ length: n }, (_, i) => i + 0.5)];
    const data = { B, n, d: 1, nBins: Int32Array.of(n), cuts, k: 2, yIndex, y: new Float64Array(0) };
    const params = { criterion: 'gini' as const, maxDepth: 1, minSamplesSplit: 2, minSamplesLeaf: 20, maxFeatures: 1, minImpurityDecrease: 0 };
    expect(growCart(data, new Float64Array(n).fill(2), params, 1).threshold[0]).toBe(19.5);
    expect(growCart(data, new Float64Array(n).fill(2), { ...params, minSamplesLeaf: 1 }, 1).threshold[0]).toBe(9.5);
  });
});

describe('growCart: packed binary histograms', () => {
  it('grows the same tree from whole-number weights (packed path) as from the same weights halved (generic path)', () => {
    // Halving every weight is exact in binary and scales every gini score by exactly 1/2, so the generic path must
    // choose the same splits; whole-number weights (bootstrap counts) take the packed one-add-per-row path.
    const rng = new Rng(7);
    const n = 3000;
    const d = 4;
    const B = new Uint8Array(n * d);
    const yIndex = new Int32Array(n);
    const w = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      for (let f = 0; f < d; f++) B[f * n + i] = rng.float() < 0.02 ? 255 : rng.int(f === 3 ? 3 : 200);
      const s = B[i] + 0.5 * B[n + i] + (rng.float() < 0.15 ? 150 : 0);
      yIndex[i] = s > 170 ? 1 : 0;
      w[i] = rng.int(4);
    }
    const cuts = Array.from({ length: d }, (_, f) => Float64Array.from({ length: f === 3 ? 2 : 199 }, (_, b) => b + 0.5));
    const data = { B, n, d, nBins: Int32Array.from({ length: d }, (_, f) => (f === 3 ? 3 : 200)), cuts, k: 2, yIndex, y: new Float64Array(0) };
    const params = { criterion: 'gini' as const, maxDepth: 0, minSamplesSplit: 2, minSamplesLeaf: 1, maxFeatures: 2, minImpurityDecrease: 0 };
    const a = growCart(data, w, params, 3);
    const b = growCart(data, w.map((v) => v / 2), params, 3);
    expect(a.nNodes).toBeGreaterThan(200);
    expect(b.nNodes).toBe(a.nNodes);
    expect([...b.feature]).toEqual([...a.feature]);
    expect([...b.threshold]).toEqual([...a.threshold]);
    expect([...b.value]).toEqual([...a.value]);
    expect([...b.cover]).toEqual([...a.cover].map((c) => c / 2));
    // Entropy scores through the generic scorer from the packed sums: the same agreement.
    const ea = growCart(data, w, { ...params, criterion: 'entropy' }, 3);
    const eb = growCart(data, w.map((v) => v / 2), { ...params, criterion: 'entropy' }, 3);
    expect([...eb.threshold]).toEqual([...ea.threshold]);
  });
});

describe('leafIndices (branch-free batch descent)', () => {
  /** A random tree of depth up to `maxDepth` grown by TreeBuilder (right = left + 1), uneven leaf depths. */
  function randomTree(rng: Rng, d: number, maxDepth: number): Tree {
    const tb = new TreeBuilder(1, 8);
    tb.addLeaf(1);
    const grow = (node: number, depth: number): void => {
      if (depth >= maxDepth || (depth > 0 && rng.float() < 0.25)) return;
      const l = tb.split(node, rng.int(d), rng.normal(), rng.float() < 0.5, 1, 1, 1);
      grow(l, depth + 1);
      grow(l + 1, depth + 1);
    };
    grow(0, 0);
    for (let i = 0; i < tb.n; i++) tb.value[i] = i;
    return tb.finish();
  }

  it('reaches the leaves leafIndex reaches, with NaN, infinities and signed zeros, for any row range', () => {
    const rng = new Rng(11);
    const d = 5;
    const n = 1003;
    const x = new Float64Array(n * d);
    const specials = [Number.NaN, Infinity, -Infinity, 0, -0];
    for (let i = 0; i < x.length; i++) x[i] = rng.float() < 0.1 ? specials[rng.int(specials.length)] : rng.normal();
    for (let k = 0; k < 20; k++) {
      const tree = randomTree(rng, d, 1 + (k % 9));
      const out = new Int32Array(n);
      leafIndices(tree, x, 0, n, d, out);
      const part = new Int32Array(n);
      leafIndices(tree, x, 7, 610, d, part);
      for (let i = 0; i < n; i++) {
        const want = leafIndex(tree, x, i, d);
        expect(out[i]).toBe(want);
        if (i >= 7 && i < 610) expect(part[i - 7]).toBe(want);
      }
    }
  });

  it('falls back to the walk for a tree whose right child is not left + 1', () => {
    // Root splits x0 <= 0: left is leaf 2, right is leaf 1 (stored in the other order).
    const tree: Tree = {
      nNodes: 3,
      nOut: 1,
      feature: Int32Array.of(0, -1, -1),
      threshold: Float64Array.of(0, 0, 0),
      left: Int32Array.of(2, -1, -1),
      right: Int32Array.of(1, -1, -1),
      defaultLeft: Uint8Array.of(1, 0, 0),
      value: Float64Array.of(0, 10, 20),
      gain: new Float64Array(3),
      cover: new Float64Array(3),
    };
    const x = Float64Array.of(-1, 1, Number.NaN);
    const out = new Int32Array(3);
    leafIndices(tree, x, 0, 3, 1, out);
    expect([...out]).toEqual([2, 1, 2]);
  });
});

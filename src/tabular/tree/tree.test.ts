import { growCart } from './cart.js';
import { describe, expect, it } from 'vitest';
import { fromRows } from '../matrix.js';
import { rmse, rocAuc } from '../metrics/index.js';
import { syntheticTabular } from '../testing.js';
import { DecisionTreeClassifier, DecisionTreeRegressor, RandomForestClassifier, RandomForestRegressor } from './models.js';

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
});

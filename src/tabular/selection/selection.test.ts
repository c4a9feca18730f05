import { describe, expect, it } from 'vitest';
import { GBDTClassifier } from '../gbdt/gbdt.js';
import { LogisticRegression } from '../linear/logistic.js';
import { Ridge } from '../linear/regression.js';
import { syntheticTabular } from '../testing.js';
import { CalibratedClassifier, fitIsotonic, fitPlatt } from './calibration.js';
import { crossValidate } from './cross-validate.js';
import { permutationImportance } from './importance.js';
import { expandGrid, gridSearchCV, randomizedSearchCV } from './search.js';
import { kFold, stratifiedKFold, timeSeriesSplit, trainTestSplit } from './splits.js';
import { chooseThreshold } from './threshold.js';

describe('splits', () => {
  it('K-fold covers every row once; stratified keeps class rates; time series trains on the past', () => {
    const folds = kFold(10, 3, { seed: 1 });
    const seen = new Int32Array(10);
    for (const f of folds) for (const i of f.test) seen[i]++;
    expect([...seen]).toEqual(new Array(10).fill(1));
    const y = Float64Array.from({ length: 100 }, (_, i) => (i < 20 ? 1 : 0));
    for (const f of stratifiedKFold(y, 5, 2)) expect([...f.test].filter((i) => y[i] === 1).length).toBe(4);
    const ts = timeSeriesSplit(12, 3);
    expect(ts.map((s) => [s.train.length, s.test[0], s.test.length])).toEqual([[3, 3, 3], [6, 6, 3], [9, 9, 3]]);
    const tt = trainTestSplit(100, { testSize: 0.2, stratify: y, seed: 3 });
    expect(tt.test.length).toBe(20);
    expect([...tt.test].filter((i) => y[i] === 1).length).toBe(4);
  });
});

describe('cross-validation and search', () => {
  const d = syntheticTabular('binary', 600, 4, 1);

  it('crossValidate reports mean, std and folds', async () => {
    const r = await crossValidate(new LogisticRegression(), d.X, d.y, { cv: 4, metrics: ['auc', 'accuracy'], seed: 1 });
    expect(r.metrics['auc'].folds.length).toBe(4);
    expect(r.metrics['auc'].mean).toBeGreaterThan(0.85);
    const m = r.metrics['auc'];
    expect(m.mean).toBeCloseTo(m.folds.reduce((a, b) => a + b, 0) / 4, 12);
  });

  it('grid search in-process and on worker threads agree and pick the best', async () => {
    expect(expandGrid({ a: [1, 2], b: ['x', 'y', 'z'] }).length).toBe(6);
    const grid = { regularization: [1e-3, 1, 1e4] };
    const local = await gridSearchCV(new LogisticRegression(), d.X, d.y, grid, { cv: 3, metric: 'logloss', seed: 2 });
    const par = await gridSearchCV({ model: 'logistic', task: 'classification', pipeline: false }, d.X, d.y, grid, { cv: 3, metric: 'logloss', seed: 2, threads: 2 });
    expect(local.results.map((r) => r.score.mean)).toEqual(par.results.map((r) => r.score.mean));
    expect(local.bestParams['regularization']).not.toBe(1e4);
    expect(local.results[0].score.mean).toBeLessThanOrEqual(local.results[2].score.mean);
    const rs = await randomizedSearchCV(new Ridge(), d.X, d.y, { regularization: { low: 0.01, high: 100, log: true } }, { nIter: 3, cv: 3, metric: 'rmse' });
    expect(rs.results.length).toBe(3);
  });

  it('Platt and isotonic calibration; CalibratedClassifier outputs probabilities', async () => {
    const s = Float64Array.of(-2, -1, 0, 1, 2, 3);
    const y = Float64Array.of(0, 0, 1, 0, 1, 1);
    const { a } = fitPlatt(s, y);
    expect(a).toBeLessThan(0); // higher score -> higher probability
    const iso = fitIsotonic(s, y);
    expect([...iso.y]).toEqual([0, 0, 0.5, 1, 1]);
    expect([...iso.x]).toEqual([-2, -1, 0, 2, 3]);
    const c = await new CalibratedClassifier(new GBDTClassifier({ nEstimators: 10, threads: 1 }), 'isotonic', 3).fit(d.X, d.y);
    const p = c.predictProba(d.X);
    for (let i = 0; i < p.length; i++) expect(p[i]).toBeGreaterThanOrEqual(0);
  });

  it('threshold for a target precision and for best F1', () => {
    const y = [1, 1, 0, 1, 0, 0];
    const s = [0.9, 0.8, 0.7, 0.6, 0.5, 0.1];
    const t = chooseThreshold(y, s, { minPrecision: 0.75 });
    // At 0.6: tp 3, fp 1 -> precision 0.75, recall 1 (the most recall at precision >= 0.75).
    expect(t).toEqual({ threshold: 0.6, precision: 0.75, recall: 1, f1: 2 * 0.75 / 1.75 });
    expect(chooseThreshold(y, s).threshold).toBe(0.6);
  });

  it('permutation importance ranks the signal feature first', async () => {
    const m = await new LogisticRegression().fit(d.X, d.y);
    const imp = permutationImportance(m as never, d.X, d.y, { repeats: 3, seed: 1 });
    expect(imp.mean[0]).toBeGreaterThan(imp.mean[3]);
  });
});

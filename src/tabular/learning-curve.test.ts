import { describe, expect, it } from 'vitest';
import { loadArtifact, saveArtifact } from '../core/artifact.js';
import { GBDTClassifier, GBDTRegressor } from './gbdt/gbdt.js';
import { LogisticRegression } from './linear/logistic.js';
import { logLoss, rmse } from './metrics/index.js';
import { crossValidate } from './selection/cross-validate.js';
import { syntheticTabular } from './testing.js';
import { DecisionTreeClassifier, RandomForestClassifier, RandomForestRegressor } from './tree/models.js';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function positive(p: Float64Array): Float64Array {
  const out = new Float64Array(p.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = p[2 * i + 1]!;
  return out;
}

describe('tabular learning curves', () => {
  const tr = syntheticTabular('binary', 1500, 5, 11);
  const te = syntheticTabular('binary', 500, 5, 12);

  it('GBDT: train loss per round falls; held-out loss by staged prediction ends at the final log loss', async () => {
    const plain = await new GBDTClassifier({ nEstimators: 40, threads: 1 }).fit(tr.X, tr.y);
    expect(plain.trainHistory).toEqual([]); // not recorded unless asked
    const m = await new GBDTClassifier({ nEstimators: 40, threads: 1 }).fit(tr.X, tr.y, { learningCurve: true });
    expect([...m.predictProba(te.X)]).toEqual([...plain.predictProba(te.X)]); // recording changes nothing else
    const c = m.learningCurve({ X: te.X, y: te.y });
    expect(c.unit).toBe('boosting round');
    expect(c.steps).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    const train = c.metrics['train logloss']!;
    const held = c.metrics['held-out logloss']!;
    expect(train).toHaveLength(40);
    expect(held).toHaveLength(40);
    for (let r = 1; r < train.length; r++) expect(train[r]!).toBeLessThanOrEqual(train[r - 1]! + 1e-12);
    expect(train[39]!).toBeLessThan(train[0]! * 0.8);
    expect(held[39]!).toBeCloseTo(logLoss(te.y, positive(m.predictProba(te.X))), 9);
    // the training curve is the staged loss on the training rows
    const staged = m.stagedLoss(tr.X, tr.y);
    for (let r = 0; r < 40; r++) expect(staged[r]!).toBeCloseTo(train[r]!, 9);
  });

  it('GBDT: the validation curve of early stopping equals the staged loss on the eval set', async () => {
    const m = await new GBDTClassifier({ nEstimators: 30, threads: 1 }).fit(tr.X, tr.y, { evalSet: { X: te.X, y: te.y } });
    const c = m.learningCurve();
    const val = c.metrics['validation logloss']!;
    expect(val).toHaveLength(30);
    const staged = m.stagedLoss(te.X, te.y);
    for (let r = 0; r < 30; r++) expect(staged[r]!).toBeCloseTo(val[r]!, 9);
    expect(c.metrics['held-out logloss']).toBeUndefined();
  });

  it('GBDT regressor: rmse curves; the training history survives save/load', async () => {
    const a = syntheticTabular('regression', 800, 4, 3);
    const b = syntheticTabular('regression', 300, 4, 4);
    const m = await new GBDTRegressor({ nEstimators: 25, threads: 1 }).fit(a.X, a.y, { learningCurve: true });
    const c = m.learningCurve({ X: b.X, y: b.y });
    expect(c.metrics['held-out rmse']![24]!).toBeCloseTo(rmse(b.y, m.predict(b.X)), 9);
    const dir = await mkdtemp(join(tmpdir(), 'reckon-lc-'));
    try {
      await saveArtifact(dir, m.toArtifact());
      const back = GBDTRegressor.fromArtifact(await loadArtifact(dir));
      expect(back.learningCurve().metrics['train rmse']).toEqual(c.metrics['train rmse']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('GBDT: staged loss rejects a class never seen in training', async () => {
    const m = await new GBDTClassifier({ nEstimators: 3, threads: 1 }).fit(tr.X, tr.y);
    const y = Float64Array.from(te.y);
    y[7] = 5;
    expect(() => m.stagedLoss(te.X, y)).toThrow(/class 5 at row 8/);
  });

  it('logistic regression: the objective per iteration (L-BFGS never rises; FISTA, momentum with restarts, ends lower)', async () => {
    for (const penalty of ['l2', 'l1'] as const) {
      const m = await new LogisticRegression({ penalty, regularization: 0.5 }).fit(tr.X, tr.y);
      const c = m.learningCurve();
      const f = c.metrics['objective']!;
      expect(c.unit).toBe('iteration');
      expect(f.length).toBe(m.iterations);
      expect(f.length).toBeGreaterThan(2);
      // L-BFGS accepts Armijo steps only; FISTA may rise for one step before it restarts its momentum
      if (penalty === 'l2') for (let i = 1; i < f.length; i++) expect(f[i]!).toBeLessThanOrEqual(f[i - 1]! + 1e-12);
      else expect(f[f.length - 1]!).toBeLessThan(f[0]!);
      expect(f[f.length - 1]!).toBeLessThan(Math.log(2));
    }
  });

  it('random forest: held-out error against trees ends at the forest error; a single tree has none', async () => {
    const m = await new RandomForestClassifier({ nEstimators: 15, threads: 1, seed: 2 }).fit(tr.X, tr.y);
    const c = m.learningCurve({ X: te.X, y: te.y })!;
    expect(c.unit).toBe('trees');
    const err = c.metrics['held-out error rate']!;
    expect(err).toHaveLength(15);
    const pred = m.predict(te.X);
    let wrong = 0;
    for (let i = 0; i < pred.length; i++) if (pred[i] !== te.y[i]) wrong++;
    expect(err[14]!).toBeCloseTo(wrong / pred.length, 12);
    expect(m.learningCurve()).toBeUndefined();
    const tree = await new DecisionTreeClassifier({ maxDepth: 3 }).fit(tr.X, tr.y);
    expect(tree.learningCurve({ X: te.X, y: te.y })).toBeUndefined();
    const a = syntheticTabular('regression', 600, 4, 5);
    const b = syntheticTabular('regression', 200, 4, 6);
    const r = await new RandomForestRegressor({ nEstimators: 8, threads: 1 }).fit(a.X, a.y);
    expect(r.learningCurve({ X: b.X, y: b.y })!.metrics['held-out rmse']![7]!).toBeCloseTo(rmse(b.y, r.predict(b.X)), 9);
  });

  it('crossValidate returns one curve per fold only when asked', async () => {
    const est = new GBDTClassifier({ nEstimators: 10, threads: 1 });
    const plain = await crossValidate(est, tr.X, tr.y, { cv: 3, seed: 0 });
    expect(plain.curves).toBeUndefined();
    const r = await crossValidate(est, tr.X, tr.y, { cv: 3, seed: 0, learningCurves: true });
    expect(r.curves).toHaveLength(3);
    for (const c of r.curves!) {
      expect(c!.metrics['train logloss']).toHaveLength(10);
      expect(c!.metrics['held-out logloss']).toHaveLength(10);
    }
    expect(r.metrics).toEqual(plain.metrics);
  });
});

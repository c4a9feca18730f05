import { describe, expect, it } from 'vitest';
import { fromRows } from '../matrix.js';
import { rmse, rocAuc } from '../metrics/index.js';
import { syntheticTabular } from '../testing.js';
import { GBDTClassifier, GBDTRegressor } from './gbdt.js';

function positive(p: Float64Array): Float64Array {
  const out = new Float64Array(p.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = p[2 * i + 1];
  return out;
}

describe('GBDT', () => {
  it('learns a binary rule (test AUC > 0.9) and is deterministic', async () => {
    const tr = syntheticTabular('binary', 3000, 6, 1);
    const te = syntheticTabular('binary', 1000, 6, 2);
    const a = await new GBDTClassifier({ nEstimators: 60, threads: 1 }).fit(tr.X, tr.y);
    const b = await new GBDTClassifier({ nEstimators: 60, threads: 1 }).fit(tr.X, tr.y);
    const pa = a.predictProba(te.X);
    expect(rocAuc(te.y, positive(pa))).toBeGreaterThan(0.9);
    expect([...pa]).toEqual([...b.predictProba(te.X)]);
  });

  it('finds the one split of a step function exactly', async () => {
    // y = 1 iff x > 2.5: a single depth-1 tree must split between 2 and 3 (threshold 2.5 from bin edges).
    const X = fromRows([[1], [2], [3], [4], [1], [2], [3], [4]]);
    const m = await new GBDTRegressor({ nEstimators: 1, maxDepth: 1, learningRate: 1, l2Regularization: 0, minChildWeight: 0 }).fit(X, [0, 0, 1, 1, 0, 0, 1, 1]);
    expect([...m.predict(fromRows([[0], [2.4], [2.6], [9]]))]).toEqual([0, 0, 1, 1]);
  });

  it('regression with squared error and Poisson objectives', async () => {
    const tr = syntheticTabular('regression', 2000, 4, 3);
    const te = syntheticTabular('regression', 500, 4, 4);
    const m = await new GBDTRegressor({ nEstimators: 150, threads: 1 }).fit(tr.X, tr.y);
    expect(rmse(te.y, m.predict(te.X))).toBeLessThan(0.45);
    const counts = new Float64Array(tr.y.length);
    for (let i = 0; i < counts.length; i++) counts[i] = Math.round(Math.exp(0.5 * tr.X.data[i * 4]));
    const pm = await new GBDTRegressor({ objective: 'poisson', nEstimators: 80, threads: 1 }).fit(tr.X, counts);
    const pred = pm.predict(tr.X);
    let mean = 0;
    let pmean = 0;
    for (let i = 0; i < pred.length; i++) {
      mean += counts[i];
      pmean += pred[i];
      expect(pred[i]).toBeGreaterThan(0);
    }
    expect(Math.abs(pmean - mean) / mean).toBeLessThan(0.02);
  });

  it('multiclass softmax', async () => {
    const tr = syntheticTabular('multiclass', 2000, 4, 5);
    const m = await new GBDTClassifier({ nEstimators: 40, threads: 1 }).fit(tr.X, tr.y);
    const p = m.predictProba(tr.X);
    expect(p.length).toBe(3 * 2000);
    let correct = 0;
    const pred = m.predict(tr.X);
    for (let i = 0; i < pred.length; i++) if (pred[i] === tr.y[i]) correct++;
    expect(correct / pred.length).toBeGreaterThan(0.8);
  });

  it('learns a default direction for missing values', async () => {
    // Missing x0 means "positive": the model must send NaN to the high side.
    const n = 2000;
    const { X } = syntheticTabular('binary', n, 2, 6);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (i % 5 === 0) {
        X.data[i * 2] = NaN;
        y[i] = 1;
      } else y[i] = X.data[i * 2] > 0.5 ? 1 : 0;
    }
    const m = await new GBDTClassifier({ nEstimators: 20, threads: 1 }).fit(X, y);
    const p = m.predictProba(fromRows([[NaN, 0], [-2, 0]]));
    expect(p[1]).toBeGreaterThan(0.9);
    expect(p[3]).toBeLessThan(0.1);
  });

  it('early stopping keeps the best round on a validation set', async () => {
    const tr = syntheticTabular('binary', 1500, 6, 7);
    const events: { done: number; total: number }[] = [];
    const m = await new GBDTClassifier({ nEstimators: 400, learningRate: 0.3, earlyStoppingRounds: 10, validationFraction: 0.2, threads: 1 }).fit(tr.X, tr.y, { onProgress: (e) => events.push(e) });
    expect(m.rounds).toBeLessThan(400);
    const h = m.evalHistory;
    expect(h.length).toBe(m.rounds + 10);
    expect(Math.min(...h)).toBe(h[m.rounds - 1]);
    // the progress ends at the rounds grown, so a bar closes its line
    expect(events[events.length - 1]).toMatchObject({ done: m.rounds + 10, total: m.rounds + 10 });
  });

  it('TreeSHAP contributions sum to the margin', async () => {
    const tr = syntheticTabular('binary', 800, 5, 8, 0.1);
    const m = await new GBDTClassifier({ nEstimators: 15, maxDepth: 4, threads: 1 }).fit(tr.X, tr.y);
    const te = syntheticTabular('binary', 20, 5, 9, 0.2);
    const phi = m.predictContributions(te.X);
    const p = m.predictProba(te.X);
    for (let i = 0; i < 20; i++) {
      let s = 0;
      for (let j = 0; j <= 5; j++) s += phi[i * 6 + j];
      const margin = Math.log(p[2 * i + 1] / p[2 * i]);
      expect(s).toBeCloseTo(margin, 8);
    }
    // An unused feature gets no credit: x4 has no signal, x0 the most.
    const imp = m.featureImportance();
    expect(imp[0]).toBeGreaterThan(imp[4]);
  });

  it('lossguide growth, L1 and subsampling still learn', async () => {
    const tr = syntheticTabular('binary', 2000, 6, 10);
    const te = syntheticTabular('binary', 800, 6, 11);
    const m = await new GBDTClassifier({ growPolicy: 'lossguide', maxDepth: 0, maxLeaves: 15, l1Regularization: 0.5, subsample: 0.8, colsampleBytree: 0.7, nEstimators: 60, threads: 1 }).fit(tr.X, tr.y);
    expect(rocAuc(te.y, positive(m.predictProba(te.X)))).toBeGreaterThan(0.9);
  });

  it('quantised and exact split search give close models', async () => {
    const tr = syntheticTabular('binary', 4000, 6, 13, 0.05);
    const te = syntheticTabular('binary', 1500, 6, 14, 0.05);
    const q = await new GBDTClassifier({ nEstimators: 60, threads: 1, quantizedGradients: 'on' }).fit(tr.X, tr.y);
    const e = await new GBDTClassifier({ nEstimators: 60, threads: 1, quantizedGradients: 'off' }).fit(tr.X, tr.y);
    // "auto" is exact below 20,000 rows.
    const auto = await new GBDTClassifier({ nEstimators: 60, threads: 1 }).fit(tr.X, tr.y);
    expect([...auto.predictProba(te.X)]).toEqual([...e.predictProba(te.X)]);
    const aq = rocAuc(te.y, positive(q.predictProba(te.X)));
    const ae = rocAuc(te.y, positive(e.predictProba(te.X)));
    expect(Math.abs(aq - ae)).toBeLessThan(0.01);
    // Same first split (feature and threshold) and nearly the same probabilities.
    const ta = (q.toArtifact().tensors['tree.feature'] as { data: Int32Array }).data;
    const tb = (e.toArtifact().tensors['tree.feature'] as { data: Int32Array }).data;
    expect(ta[0]).toBe(tb[0]);
    const pq = positive(q.predictProba(te.X));
    const pe = positive(e.predictProba(te.X));
    let maxDiff = 0;
    for (let i = 0; i < pq.length; i++) maxDiff = Math.max(maxDiff, Math.abs(pq[i] - pe[i]));
    expect(maxDiff).toBeLessThan(0.2);
    // Deterministic with a seed; another seed changes the rounding.
    const q2 = await new GBDTClassifier({ nEstimators: 60, threads: 1, quantizedGradients: 'on' }).fit(tr.X, tr.y);
    expect([...q2.predictProba(te.X)]).toEqual([...q.predictProba(te.X)]);
  });

  it('threads 1 and 2 give bit-identical models on every path', async () => {
    const bin = syntheticTabular('binary', 20000, 8, 15, 0.05);
    const reg = syntheticTabular('regression', 20000, 5, 16, 0.02);
    const multi = syntheticTabular('multiclass', 12000, 5, 17);
    const cases: [Record<string, unknown>, 'c' | 'r', { X: typeof bin.X; y: Float64Array }][] = [
      [{ nEstimators: 4, quantizedGradients: 'off' }, 'c', bin],
      [{ nEstimators: 4, growPolicy: 'lossguide', maxDepth: 0, maxLeaves: 40, subsample: 0.7, colsampleBytree: 0.6, l1Regularization: 0.3 }, 'c', bin],
      [{ nEstimators: 4, maxDepth: 8 }, 'r', reg],
      [{ nEstimators: 3, quantizedGradients: 'on' }, 'c', multi],
      [{ nEstimators: 3, objective: 'poisson', quantizedGradients: 'on' }, 'r', { X: reg.X, y: reg.y.map((v) => Math.round(Math.exp(v / 4))) }],
    ];
    for (const [params, kind, data] of cases) {
      const make = (threads: number) => (kind === 'c' ? new GBDTClassifier({ ...params, threads }) : new GBDTRegressor({ ...params, threads }));
      const a = await make(1).fit(data.X, data.y);
      const b = await make(2).fit(data.X, data.y);
      expect(b.toArtifact().tensors).toEqual(a.toArtifact().tensors);
    }
  });

  it('concurrent threaded fits sharing the worker pool give the serial models', async () => {
    const a = syntheticTabular('binary', 20000, 6, 18, 0.02);
    const b = syntheticTabular('regression', 20000, 6, 19);
    const [ma, mb] = await Promise.all([new GBDTClassifier({ nEstimators: 3, threads: 2 }).fit(a.X, a.y), new GBDTRegressor({ nEstimators: 3, threads: 2 }).fit(b.X, b.y)]);
    const sa = await new GBDTClassifier({ nEstimators: 3, threads: 1 }).fit(a.X, a.y);
    const sb = await new GBDTRegressor({ nEstimators: 3, threads: 1 }).fit(b.X, b.y);
    expect(ma.toArtifact().tensors).toEqual(sa.toArtifact().tensors);
    expect(mb.toArtifact().tensors).toEqual(sb.toArtifact().tensors);
  });

  it('worker threads give the same model as one thread', async () => {
    const tr = syntheticTabular('binary', 20000, 8, 12, 0.05);
    const a = await new GBDTClassifier({ nEstimators: 5, threads: 1 }).fit(tr.X, tr.y);
    const b = await new GBDTClassifier({ nEstimators: 5, threads: 2 }).fit(tr.X, tr.y);
    expect([...b.predictProba(tr.X)]).toEqual([...a.predictProba(tr.X)]);
  });
});
